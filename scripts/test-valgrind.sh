#!/usr/bin/env bash
# make test-valgrind: the shim without JavaScript under valgrind's memcheck. Builds the library and
# test/native/harness.c (a C driver of its C ABI) for the baseline CPU (valgrind does not decode
# AVX-512, which a native build may use) into zig-out-valgrind, then runs the harness: any memory
# error or leak (other than the thread-local storage of NNG's process-lifetime threads, which
# bnng_init starts: test/native/valgrind.supp) fails.
set -euo pipefail
cd "$(dirname "$0")/.."
NNG_SRC="${NNG_SRC:-vendor/nng/src}"
MBEDTLS_SRC="${MBEDTLS_SRC:-vendor/mbedtls/src}"
ROUNDS="${VALGRIND_ROUNDS:-3}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }
if ! command -v valgrind >/dev/null; then
  echo "test-valgrind: installing valgrind (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1 ||
    { as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
fi
scripts/zig build install harness -Doptimize=ReleaseFast -Dcpu=baseline -Dnng-src="$NNG_SRC" -Dmbedtls-src="$MBEDTLS_SRC" -p zig-out-valgrind
start=$(date +%s.%N)
valgrind --quiet --fair-sched=yes --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible \
  --suppressions=test/native/valgrind.supp \
  zig-out-valgrind/bin/bnng-harness zig-out-valgrind/lib/libbunnng.so "$ROUNDS"
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "test-valgrind: memcheck clean (%.1f s under valgrind)\n", e - s }'
