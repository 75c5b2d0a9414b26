# bun-nng. Quick start on a fresh clone: `make demo`, `make test`. Every target sets up first
# (idempotent and fast when warm: scripts/setup.sh checks versions and stamps, zig build caches).
BUN      := node_modules/.bin/bun
ZIG      := scripts/zig
NNG_SRC  ?= vendor/nng/src
OPTIMIZE ?= ReleaseFast
ZIGFLAGS := -Doptimize=$(OPTIMIZE) -Dnng-src=$(NNG_SRC)

.PHONY: all setup setup-interop build demo test typecheck test-zig test-bun test-sanitize test-valgrind bench clean

all: build

setup:
	@bash scripts/setup.sh

# The peers of test/interop.test.ts (nngcat, pynng); never fails: the tests say what is missing.
setup-interop:
	@bash scripts/setup-interop.sh

build: setup
	@$(ZIG) build $(ZIGFLAGS)

demo: build
	@$(BUN) examples/demo.ts

test: build typecheck test-zig test-bun test-valgrind

typecheck: setup
	@node_modules/.bin/tsc -p .

test-zig: setup
	@$(ZIG) build test $(ZIGFLAGS) --summary all

test-bun: build setup-interop
	@$(BUN) test

# The whole bun:test suite against a Debug shim (Zig safety checks, assertions) with NNG's C built
# with UBSan traps, installed apart in zig-out-sanitize.
test-sanitize: setup setup-interop
	@$(ZIG) build -Doptimize=Debug -Dsanitize=true -Dnng-src=$(NNG_SRC) -p zig-out-sanitize
	@BUN_NNG_LIB=zig-out-sanitize/lib/libbunnng.so $(BUN) test

# The shim without JavaScript under valgrind's memcheck (test/native/harness.c drives its C ABI):
# zero errors, zero leaks. A baseline-CPU build apart, in zig-out-valgrind.
test-valgrind: setup
	@bash scripts/test-valgrind.sh

bench: build
	@$(BUN) bench/run.ts $(BENCH)
	@bash bench/compare/setup.sh
	@$(ZIG) build bench-native $(ZIGFLAGS)
	@$(BUN) bench/compare/run.ts --no-setup $(COMPARE)

clean:
	rm -rf zig-out zig-out-sanitize zig-out-valgrind .zig-cache
