#!/usr/bin/env bash
# Runs test/fixtures/dist/smoke.c against prebuilt libraries of `make dist` that this machine's Bun
# cannot load: the program is compiled by `zig cc` for the library's own target and C library, and
# loads the library with dlopen as bun:ffi does (versions, random bytes, pair sockets over ipc, tcp
# and tls+tcp with a generated certificate).
#   scripts/smoke-dist.sh [platform...]      default: linux-x64-gnu linux-x64-musl
#   SMOKE_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" scripts/smoke-dist.sh linux-arm64-gnu
# musl platforms need musl's dynamic loader (/lib/ld-musl-<arch>.so.1; Debian package `musl`, which
# this script installs through apt for x86_64 when it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux-x64-gnu linux-x64-musl)
nng_version=$(sed -n 's/^version=//p' vendor/nng/PIN)
mbedtls_version=$(sed -n 's/^version=//p' vendor/mbedtls/PIN)
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
for platform in "${platforms[@]}"; do
  case $platform in
    linux-x64-gnu) target=x86_64-linux-gnu.2.28 ;;
    linux-x64-musl) target=x86_64-linux-musl ;;
    linux-arm64-gnu) target=aarch64-linux-gnu.2.28 ;;
    linux-arm64-musl) target=aarch64-linux-musl ;;
    *) echo "smoke-dist: $platform cannot run on Linux; check it with scripts/check-dist.sh" >&2; exit 2 ;;
  esac
  lib=dist/$platform/libbunnng.so
  [ -f "$lib" ] || { echo "smoke-dist: $lib missing: run make dist" >&2; exit 2; }
  if [ "$platform" = linux-x64-musl ] && [ ! -e /lib/ld-musl-x86_64.so.1 ]; then
    echo "smoke-dist: installing musl (apt) for its dynamic loader"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl >/dev/null ||
      { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl >/dev/null; }
  fi
  echo "== $platform ($target)"
  # -dynamic: a musl program is static by default, and a static program cannot dlopen.
  scripts/zig cc -target "$target" -dynamic -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 \
    -o "$out/smoke-$platform" test/fixtures/dist/smoke.c -ldl
  # shellcheck disable=SC2086 # SMOKE_RUNNER is a command line
  if ! ${SMOKE_RUNNER:-} "$out/smoke-$platform" "$PWD/$lib" "$nng_version" "$mbedtls_version"; then status=1; fi
done
exit $status
