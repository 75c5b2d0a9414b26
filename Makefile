# bun-nng. Quick start on a fresh clone: `make demo`, `make test`. Every target sets up first
# (idempotent and fast when warm: scripts/setup.sh checks versions and stamps, zig build caches).
BUN      := node_modules/.bin/bun
ZIG      := scripts/zig
NNG_SRC  ?= vendor/nng/src
MBEDTLS_SRC ?= vendor/mbedtls/src
OPTIMIZE ?= ReleaseFast
ZIGFLAGS := -Doptimize=$(OPTIMIZE) -Dnng-src=$(NNG_SRC) -Dmbedtls-src=$(MBEDTLS_SRC)

.PHONY: all setup setup-interop setup-faults build demo test typecheck docs test-zig test-bun test-sanitize test-valgrind bench dist dist-check dist-smoke test-dist pack test-arm64 clean

all: build

setup:
	@NNG_SRC=$(NNG_SRC) MBEDTLS_SRC=$(MBEDTLS_SRC) bash scripts/setup.sh

# The peers of test/interop.test.ts (nngcat, nanocat, pynng); never fails: the tests say what is missing.
setup-interop:
	@bash scripts/setup-interop.sh

# ip, tc and nft for the network-fault tests of test/faults.test.ts; never fails: the tests skip, saying why.
setup-faults:
	@bash scripts/setup-faults.sh

build: setup
	@$(ZIG) build $(ZIGFLAGS)

demo: build
	@$(BUN) examples/demo.ts

test: build typecheck test-zig test-bun test-valgrind

typecheck: setup
	@node_modules/.bin/tsc -p .

# docs/reference.md from the doc comments of every export (test/docs.test.ts fails when it is stale).
docs: setup
	@$(BUN) scripts/gen-docs.ts

test-zig: setup
	@$(ZIG) build test $(ZIGFLAGS) --summary all

test-bun: build setup-interop setup-faults
	@$(BUN) test

# The whole bun:test suite against a Debug shim (Zig safety checks, assertions) with NNG's C built
# with UBSan traps, installed apart in zig-out-sanitize. The ring's stress counts are a fifth of the
# release run's (a Debug shim is slower; the time limits are the same).
test-sanitize: setup setup-interop setup-faults
	@$(ZIG) build -Doptimize=Debug -Dsanitize=true -Dnng-src=$(NNG_SRC) -Dmbedtls-src=$(MBEDTLS_SRC) -p zig-out-sanitize
	@BUN_NNG_LIB=zig-out-sanitize/lib/libbunnng.so BUN_NNG_SLEEPS=200000 BUN_NNG_WAKEUPS=200000 $(BUN) test

# The shim without JavaScript under valgrind's memcheck (test/native/harness.c drives its C ABI):
# zero errors, zero leaks. A baseline-CPU build apart, in zig-out-valgrind.
test-valgrind: setup
	@bash scripts/test-valgrind.sh

bench: build
	@$(BUN) bench/run.ts $(BENCH)
	@bash bench/compare/setup.sh
	@$(ZIG) build bench-native $(ZIGFLAGS)
	@$(BUN) bench/compare/run.ts --no-setup $(COMPARE)

# Prebuilt libraries for every platform, cross-compiled by Zig into dist/<platform>/ (ReleaseFast,
# stripped; platforms and baselines in build.zig's dist_platforms), then checked (scripts/check-dist.sh).
dist: setup
	@$(ZIG) build dist --prefix dist -Dnng-src=$(NNG_SRC) -Dmbedtls-src=$(MBEDTLS_SRC)
	@bash scripts/check-dist.sh dist

dist-check:
	@bash scripts/check-dist.sh dist

# Runs the dist libraries this machine can run: a C smoke test (dlopen, ipc/tcp/tls+tcp exchanges)
# against linux-x64-gnu and linux-x64-musl, and the whole bun:test suite against linux-x64-gnu.
dist-smoke: dist
	@bash scripts/smoke-dist.sh

test-dist: dist setup-interop
	@BUN_NNG_LIB=$(CURDIR)/dist/linux-x64-gnu/libbunnng.so $(BUN) test

# npm tarballs of bun-nng and its platform packages into .pack/ (scripts/pack.ts): the libraries come
# from dist/ (make dist) when present, else the host build stands in for the host's platform.
pack: build
	@$(BUN) scripts/pack.ts

# The suite on the linux-arm64-gnu library under qemu-user with Bun's arm64 binary (scripts/test-arm64.sh;
# installs qemu-user-static and libc6-arm64-cross with apt, fetches @oven/bun-linux-aarch64 with npm).
test-arm64: setup setup-interop
	@ZIGFLAGS="$(ZIGFLAGS)" bash scripts/test-arm64.sh

clean:
	rm -rf zig-out zig-out-sanitize zig-out-valgrind .zig-cache dist .pack
