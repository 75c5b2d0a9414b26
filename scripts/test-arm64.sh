#!/usr/bin/env bash
# make test-arm64: the linux-arm64-gnu library, cross-built by zig, and the bun:test suite run on it
# under qemu-user with Bun's own arm64 binary. Everything it needs comes from the usual registries:
#   qemu-aarch64-static and an arm64 glibc - Debian packages qemu-user-static and libc6-arm64-cross
#   Bun for arm64 - the npm package @oven/bun-linux-aarch64 at the pinned Bun version (the same
#                   binary the `bun` package installs on an arm64 machine), unpacked into .cache/
# Child Bun processes of the tests start through the emulator too (BUN_NNG_TEST_EXEC_PREFIX; the
# kernel here has no binfmt_misc to run arm64 binaries itself); python and nngcat peers run natively.
#
# Left out (by name, below): four stress tests whose time bounds assume native speed, and that
# time out under emulation (~5-10x slower here): they check throughput, not arm64 behaviour, and
# their smaller siblings run.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'test-arm64: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ZIGFLAGS=${ZIGFLAGS:--Doptimize=ReleaseFast -Dnng-src=vendor/nng/src -Dmbedtls-src=vendor/mbedtls/src}
CACHE=.cache/arm64
SYSROOT=/usr/aarch64-linux-gnu
bun_version=$(node -p 'require("./package.json").devDependencies.bun')

# --- the emulator and an arm64 C library ---------------------------------------------------------
if ! command -v qemu-aarch64-static >/dev/null || [ ! -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ]; then
  say "installing qemu-user-static and libc6-arm64-cross (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static libc6-arm64-cross >/dev/null
fi
export QEMU_LD_PREFIX=$SYSROOT

# --- Bun for arm64, the pinned version ------------------------------------------------------------
bun_dir=$CACHE/bun-$bun_version
bun_arm64=$bun_dir/package/bin/bun
if [ ! -x "$bun_arm64" ]; then
  say "fetching @oven/bun-linux-aarch64@$bun_version (npm)"
  rm -rf "$bun_dir"
  mkdir -p "$bun_dir"
  tgz=$(cd "$bun_dir" && npm pack --silent "@oven/bun-linux-aarch64@$bun_version" 2>/dev/null | tail -n1)
  tar -xzf "$bun_dir/$tgz" -C "$bun_dir"
  rm -f "$bun_dir/$tgz"
fi
got=$(qemu-aarch64-static "$bun_arm64" --version)
if [ "$got" != "$bun_version" ]; then
  echo "test-arm64: $bun_arm64 under qemu reports '$got', expected $bun_version" >&2
  exit 1
fi

# --- the library ----------------------------------------------------------------------------------
say "cross-building libbunnng for aarch64-linux-gnu (glibc 2.28 symbols, as make dist) into $CACHE/zig-out"
# shellcheck disable=SC2086 # ZIGFLAGS is a list of flags
scripts/zig build $ZIGFLAGS -Dtarget=aarch64-linux-gnu.2.28 -p "$CACHE/zig-out"
lib=$PWD/$CACHE/zig-out/lib/libbunnng.so

# --- the suite ------------------------------------------------------------------------------------
# Left out by name: four stress tests whose time bounds assume native speed; the deserializer
# fuzzing with payloads that claim sparse arrays of up to 2^32 elements, which makes Bun's JIT fail
# to mprotect under qemu-user (ENOMEM, an abort of the whole process; natively it takes ~1 s); and
# the demo, which starts its server with process.execPath, an arm64 binary the host cannot execute
# without binfmt_misc (the tests start theirs through BUN_NNG_TEST_EXEC_PREFIX).
skip='1,000,000 completions from NNG|10,000 req contexts, each request matched to its own answer \(tcp\)|1,500 socket pairs opened|1,000,000 requests at 10,000 in flight|bit-flipped, truncated and extended payloads|claims a 268,435,459-element sparse array|SerialConfig.decode keeps a sparse array sparse|examples/demo.ts'
say "bun $bun_version (arm64, qemu-aarch64-static) test, library $CACHE/zig-out/lib/libbunnng.so"
# One Bun process per test file: the whole suite in one process under qemu-user ran out of memory
# for Bun's JIT (mprotect: ENOMEM, an abort after ~290 tests), which one process per file avoids.
# Arguments given to the make target (test files or bun test flags) replace the file list.
if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(ls test/*.test.ts); fi
failed=()
for f in "${files[@]}"; do
  if ! BUN_NNG_LIB=$lib BUN_NNG_TEST_EXEC_PREFIX=qemu-aarch64-static \
    qemu-aarch64-static "$bun_arm64" test -t "^(?!.*($skip))" "$f"; then
    failed+=("$f")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "test-arm64: failed: ${failed[*]}" >&2
  exit 1
fi
say "every test file passed"
