#!/usr/bin/env bash
# Checks the prebuilt libraries `make dist` put in dist/<platform>/, without running them (only
# linux-x64 can run on this machine): each file exists and is a shared library of the right format
# and architecture (file(1)); it exports exactly the export fns of zig/exports.zig, nothing of NNG or
# Mbed TLS; it needs nothing but the platform's C library and system DLLs; glibc builds need no
# symbol newer than the glibc baseline of build.zig; macOS builds name the macOS baseline.
# Reads the binaries with LLVM's tools (Debian's `llvm` package, installed through apt if missing).
#   scripts/check-dist.sh [dist dir]      exit status 0 when every platform passes
set -uo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}

GLIBC_BASELINE=2.28 # keep in step with the .2.28 of the gnu triples in build.zig's dist_platforms
MACOS_BASELINE=11.0 # and with the .11.0 of the macos ones

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v llvm-readobj >/dev/null || ! command -v llvm-objdump >/dev/null || ! command -v file >/dev/null; then
  echo "check-dist: installing llvm and file (apt) to read the binaries"
  as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq llvm file >/dev/null
fi

expected=$(sed -n 's/^export fn \([A-Za-z0-9_]*\)(.*/\1/p' zig/exports.zig | sort)
n_expected=$(printf '%s\n' "$expected" | wc -l)
failures=0
fail() { printf '  FAIL %s\n' "$*"; failures=$((failures + 1)); }

# exports <format> <file>: the exported symbol names, one a line, sorted (Mach-O's leading _ removed)
exports() {
  case $1 in
    elf) llvm-nm --dynamic --defined-only --just-symbol-name "$2" ;;
    macho) llvm-objdump --macho --exports-trie "$2" | sed -n 's/^0x[0-9A-Fa-f]* *_\([^ ]*\).*/\1/p' ;;
    coff) llvm-readobj --coff-exports "$2" | sed -n 's/^ *Name: //p' ;;
  esac | sort -u
}

# Symbols the linkers add on their own, never of NNG or Mbed TLS: Mach-O's image header and DSO
# handle (Zig's linker exports them), and Zig's DLL entry point (std/start.zig exports it).
linker_symbols='^(_mh_execute_header|_mh_dylib_header|__dso_handle|_DllMainCRTStartup)$'

# check <platform> <file name> <format> <file(1) pattern> <allowed dependency pattern>
check() {
  local platform=$1 name=$2 format=$3 magic=$4 deps=$5 path="$dist/$1/$2" got extra missing needed
  local failures_before=$failures
  echo "$platform/$name"
  if [ ! -f "$path" ]; then fail "missing (run make dist)"; return; fi
  if ! file -b "$path" | grep -Eq "$magic"; then fail "file(1) says: $(file -b "$path")"; fi

  got=$(exports "$format" "$path" | grep -Ev "$linker_symbols")
  extra=$(comm -13 <(printf '%s\n' "$expected") <(printf '%s\n' "$got") | head -5)
  missing=$(comm -23 <(printf '%s\n' "$expected") <(printf '%s\n' "$got") | head -5)
  [ -z "$extra" ] || fail "exports more than zig/exports.zig, e.g.: $(echo $extra)"
  [ -z "$missing" ] || fail "does not export, e.g.: $(echo $missing)"

  case $format in
    elf) needed=$(llvm-readobj --needed-libs "$path" | sed -n 's/^  \([^ ]*\)$/\1/p' | grep -v '^\]') ;;
    # (--dylibs-used lists the library's own install name too, its LC_ID_DYLIB: not a dependency)
    macho) needed=$(llvm-objdump --macho --dylibs-used "$path" | sed -n 's/^\t\([^ ]*\) (.*/\1/p' |
      grep -vxF "$(llvm-objdump --macho --dylib-id "$path" | sed -n 2p)") ;;
    coff) needed=$(llvm-readobj --coff-imports "$path" | sed -n 's/^  Name: //p') ;;
  esac
  [ -n "$needed" ] || fail "no dependencies found (unreadable?)"
  for lib in $needed; do
    printf '%s\n' "$lib" | grep -Eiq "$deps" || fail "depends on $lib"
  done

  status() { if [ "$failures" = "$failures_before" ]; then echo "  ok: $*"; else echo "  (read: $*)"; fi; }
  case $platform in
    linux-*-gnu)
      local newest
      newest=$(llvm-readobj --dyn-syms "$path" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
      if [ "$(printf '%s\n%s\n' "$newest" "$GLIBC_BASELINE" | sort -V | tail -1)" != "$GLIBC_BASELINE" ]; then
        fail "needs glibc $newest, newer than the baseline $GLIBC_BASELINE"
      fi
      status "$(printf '%s\n' "$got" | wc -l) exports, needs $(echo $needed), glibc symbols up to $newest" ;;
    darwin-*)
      local minos
      minos=$(llvm-objdump --macho --private-headers "$path" | sed -n 's/^ *minos //p' | head -1)
      [ "$minos" = "$MACOS_BASELINE" ] || fail "minimum macOS $minos, expected $MACOS_BASELINE"
      status "$(printf '%s\n' "$got" | wc -l) exports, needs $(echo $needed), macOS >= $minos" ;;
    *) status "$(printf '%s\n' "$got" | wc -l) exports, needs $(echo $needed)" ;;
  esac
}

echo "check-dist: $n_expected exports expected (zig/exports.zig)"
glibc_deps='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|ld-linux-[a-z0-9-]+\.so\.[12])$'
musl_deps='^libc\.so$'
check linux-x64-gnu libbunnng.so elf 'ELF 64-bit LSB shared object, x86-64' "$glibc_deps"
check linux-x64-musl libbunnng.so elf 'ELF 64-bit LSB shared object, x86-64' "$musl_deps"
check linux-arm64-gnu libbunnng.so elf 'ELF 64-bit LSB shared object, ARM aarch64' "$glibc_deps"
check linux-arm64-musl libbunnng.so elf 'ELF 64-bit LSB shared object, ARM aarch64' "$musl_deps"
check darwin-x64 libbunnng.dylib macho 'Mach-O 64-bit x86_64 dynamically linked shared library' '^/usr/lib/libSystem\.B\.dylib$'
check darwin-arm64 libbunnng.dylib macho 'Mach-O 64-bit arm64 dynamically linked shared library' '^/usr/lib/libSystem\.B\.dylib$'
check win32-x64 bunnng.dll coff 'PE32\+ executable \(DLL\).*x86-64' \
  '^(kernel32|ntdll|ws2_32|mswsock|advapi32|bcrypt|api-ms-win-crt-[a-z]+-l1-1-0)\.dll$'

if [ "$failures" -gt 0 ]; then
  echo "check-dist: $failures failure(s)"
  exit 1
fi
echo "check-dist: all 7 platforms ok"
