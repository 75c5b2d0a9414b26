#!/usr/bin/env bash
# Installs the pinned toolchain and the NNG source. Idempotent: each step checks what is there first,
# so a warm run does nothing but a few version checks.
#   Bun   - npm package `bun`, exact pin in package.json, run from node_modules/.bin
#   Zig   - PyPI package `ziglang`, exact pin below, installed into .tools/zig, run as `python3 -m ziglang`
#   NNG   - NNG 2.0.0 from the crates.io crate nng-sys (cargo), sha256-checked against vendor/nng/PIN
#   TLS   - Mbed TLS 3.6 from the PyPI sdist of pynng (pip), sha256-checked against vendor/mbedtls/PIN;
#           both compiled into the shim by build.zig
set -euo pipefail
cd "$(dirname "$0")/.."

ZIG_VERSION=0.15.2
say() { printf 'setup: %s\n' "$*"; }
# pin <vendor dir> <key>: a value of <vendor dir>/PIN
pin() { sed -n "s/^$2=//p" "$1/PIN"; }

# --- Bun ------------------------------------------------------------------------------------------
# (and the other npm devDependencies: reinstalled whenever package.json or the lock file changes)
bun_pin=$(node -p 'require("./package.json").devDependencies.bun')
npm_stamp=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ "$(node_modules/.bin/bun --version 2>/dev/null || true)" != "$bun_pin" ] ||
   [ "$(cat node_modules/.bun-nng-stamp 2>/dev/null || true)" != "$npm_stamp" ]; then
  say "installing bun $bun_pin and the npm devDependencies"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_stamp" > node_modules/.bun-nng-stamp
fi

# --- Zig ------------------------------------------------------------------------------------------
if [ "$(scripts/zig version 2>/dev/null || true)" != "$ZIG_VERSION" ]; then
  say "installing zig $ZIG_VERSION (PyPI ziglang)"
  rm -rf .tools/zig
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target .tools/zig "ziglang==$ZIG_VERSION"
fi

# --- NNG and Mbed TLS sources ---------------------------------------------------------------------
# Each comes as a release archive from a package registry, through that registry's own client:
#   crates.io (cargo fetch of a throwaway manifest that pins the crate, then the .crate file from
#   cargo's cache) or PyPI (pip download of the sdist). The archive's sha256 is checked against
#   <vendor dir>/PIN before anything is unpacked, and only the tree the pin names is kept, in
#   <vendor dir>/src (git-ignored). A stamp there (.pin-sha256) makes a warm run a file read.
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# download_archive <vendor dir> <out dir>: the pinned archive into <out dir>, by its registry's client.
download_archive() {
  local dir=$1 out=$2 registry package version archive
  registry=$(pin "$dir" registry) package=$(pin "$dir" package) version=$(pin "$dir" package_version)
  archive=$(pin "$dir" archive)
  case "$registry" in
    crates.io)
      command -v cargo >/dev/null || fail "cargo is needed to fetch $package $version from crates.io (install Rust)"
      mkdir -p "$out/manifest/src"
      printf '[package]\nname = "bun-nng-fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n%s = "=%s"\n' \
        "$package" "$version" > "$out/manifest/Cargo.toml"
      : > "$out/manifest/src/lib.rs"
      (cd "$out/manifest" && cargo fetch --quiet) ||
        fail "cargo could not fetch $package $version from crates.io (see the lines above)"
      local cached
      cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$archive" 2>/dev/null | head -n 1)
      [ -n "$cached" ] || fail "cargo fetched $package $version but $archive is not in its cache"
      cp "$cached" "$out/$archive" ;;
    pypi)
      PIP_ROOT_USER_ACTION=ignore python3 -m pip download --quiet --disable-pip-version-check --no-deps \
        --no-binary "$package" "$package==$version" -d "$out" ||
        fail "pip could not download the $package $version sdist from PyPI (see the lines above)"
      [ -f "$out/$archive" ] || fail "pip downloaded $package $version but not $archive" ;;
    *) fail "$dir/PIN: unknown registry '$registry'" ;;
  esac
}

fetch_source() {
  local dir=$1 sha archive tree got name
  sha=$(pin "$dir" sha256) archive=$(pin "$dir" archive) tree=$(pin "$dir" tree)
  name="$(pin "$dir" package) $(pin "$dir" package_version)"
  if [ "$(cat "$dir/src/.pin-sha256" 2>/dev/null || true)" = "$sha" ]; then return; fi
  say "fetching $name ($(pin "$dir" registry)) for $(basename "$dir") $(pin "$dir" version)"
  tmp=$(mktemp -d) # global: the EXIT trap removes it if a step below fails
  trap 'rm -rf "$tmp"' EXIT
  download_archive "$dir" "$tmp"
  got=$(sha256sum "$tmp/$archive" | cut -d' ' -f1)
  [ "$got" = "$sha" ] || fail "sha256 mismatch for $archive: got $got, pinned $sha in $dir/PIN; nothing was unpacked"
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$archive" -C "$tmp/unpacked" "$tree" || fail "$archive has no $tree"
  rm -rf "$dir/src"
  mv "$tmp/unpacked/$tree" "$dir/src"
  rm -rf "$tmp"
  echo "$sha" > "$dir/src/.pin-sha256"
  say "$(basename "$dir") $(pin "$dir" version) unpacked into $dir/src (sha256 ok)"
}

# NNG_SRC / MBEDTLS_SRC (make variables, also read from the environment) point the build at another
# tree: then nothing is fetched for it.
if [ -z "${NNG_SRC:-}" ] || [ "${NNG_SRC}" = vendor/nng/src ]; then fetch_source vendor/nng; fi
if [ -z "${MBEDTLS_SRC:-}" ] || [ "${MBEDTLS_SRC}" = vendor/mbedtls/src ]; then fetch_source vendor/mbedtls; fi
