#!/usr/bin/env bash
# Runs test/fixtures/dist/smoke.c against prebuilt libraries of `make dist` that this machine's Bun
# cannot load: the program is compiled by `zig cc` for the library's own target and C library, and
# loads the library as bun:ffi does (dlopen; LoadLibrary on Windows), initialises NNG (bnng_init),
# then checks versions, random bytes, pair sockets over ipc (and Windows named pipes), tcp and
# tls+tcp with a generated certificate, and that a client which does not trust the certificate is
# refused.
#   scripts/smoke-dist.sh [platform...]      default: linux-x64-gnu linux-x64-musl win32-x64 linux-arm64-gnu
#   SMOKE_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" scripts/smoke-dist.sh linux-arm64-gnu
# What it needs, installed through apt when missing: musl's dynamic loader for linux-x64-musl
# (Debian `musl`), Wine for win32-x64 (Debian `wine64`, run with a throw-away prefix), qemu-user and
# an arm64 glibc for linux-arm64-gnu (Debian `qemu-user-static`, `libc6-arm64-cross`). The macOS
# libraries and linux-arm64-musl (no arm64 musl loader in Debian) cannot run here:
# scripts/check-dist.sh checks them without running them.
set -euo pipefail
cd "$(dirname "$0")/.."

platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux-x64-gnu linux-x64-musl win32-x64 linux-arm64-gnu)
nng_version=$(sed -n 's/^version=//p' vendor/nng/PIN)
mbedtls_version=$(sed -n 's/^version=//p' vendor/mbedtls/PIN)
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
apt_install() {
  echo "smoke-dist: installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
out=$(mktemp -d)
trap 'if [ -n "${WINEPREFIX:-}" ]; then /usr/lib/wine/wineserver -k 2>/dev/null || true; fi; rm -rf "$out"' EXIT

status=0
for platform in "${platforms[@]}"; do
  runner=(${SMOKE_RUNNER:-}) # a command line, split on spaces
  lib=dist/$platform/libbunnng.so
  flags=(-dynamic -ldl) # a musl program is static by default, and a static program cannot dlopen
  exe=$out/smoke-$platform
  case $platform in
    linux-x64-gnu) target=x86_64-linux-gnu.2.28 ;;
    linux-x64-musl) target=x86_64-linux-musl
      [ -e /lib/ld-musl-x86_64.so.1 ] || apt_install musl ;;
    linux-arm64-gnu) target=aarch64-linux-gnu.2.28
      if [ ${#runner[@]} -eq 0 ]; then
        { command -v qemu-aarch64-static >/dev/null && [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; } ||
          apt_install qemu-user-static libc6-arm64-cross
        runner=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
      fi ;;
    linux-arm64-musl) target=aarch64-linux-musl ;;
    win32-x64) target=x86_64-windows-gnu lib=dist/win32-x64/bunnng.dll flags=() exe=$out/smoke-$platform.exe
      [ -x /usr/lib/wine/wine64 ] || apt_install wine64
      export WINEPREFIX=$out/wine WINEDEBUG=-all TMPDIR=$out # Wine keeps its server socket under TMPDIR
      /usr/lib/wine/wine64 wineboot -i >/dev/null 2>&1
      [ ${#runner[@]} -gt 0 ] || runner=(/usr/lib/wine/wine64) ;;
    *) echo "smoke-dist: $platform cannot run here; check it with scripts/check-dist.sh" >&2; exit 2 ;;
  esac
  [ -f "$lib" ] || { echo "smoke-dist: $lib missing: run make dist" >&2; exit 2; }
  lib_arg=$PWD/$lib
  [ "$platform" != win32-x64 ] || lib_arg="Z:${lib_arg//\//\\}" # Wine's drive Z: is the Unix root
  echo "== $platform ($target${runner[0]:+, run by ${runner[0]}})"
  scripts/zig cc -target "$target" -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 \
    -o "$exe" test/fixtures/dist/smoke.c "${flags[@]}"
  if ! timeout 120 ${runner[@]+"${runner[@]}"} "$exe" "$lib_arg" "$nng_version" "$mbedtls_version"; then status=1; fi
done
exit $status
