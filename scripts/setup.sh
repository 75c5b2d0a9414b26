#!/usr/bin/env bash
# Installs the pinned toolchain and the NNG source. Idempotent: each step checks what is there first,
# so a warm run does nothing but a few version checks.
#   Bun   - npm package `bun`, exact pin in package.json, run from node_modules/.bin
#   Zig   - PyPI package `ziglang`, exact pin below, installed into .tools/zig, run as `python3 -m ziglang`
#   NNG   - upstream tarball from Debian's source package, sha256-checked against vendor/nng/PIN
#   TLS   - Mbed TLS 2.28 the same way (vendor/mbedtls/PIN), compiled into the shim by build.zig
set -euo pipefail
cd "$(dirname "$0")/.."

ZIG_VERSION=0.15.2
say() { printf 'setup: %s\n' "$*"; }
# pin <vendor dir> <key>: a value of <vendor dir>/PIN
pin() { sed -n "s/^$2=//p" "$1/PIN"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

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

# --- apt: a deb-src entry derived from the machine's own sources ------------------------------------
apt_updated=0
ensure_deb_src() {
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then return; fi
  say "adding a deb-src entry derived from the existing apt sources"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      as_root tee /etc/apt/sources.list.d/bun-nng-src.sources >/dev/null
  else
    grep -hE '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
      as_root tee /etc/apt/sources.list.d/bun-nng-src.list >/dev/null
  fi
  apt_update
}
apt_update() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
}

# --- NNG and Mbed TLS sources ---------------------------------------------------------------------
# fetch_source <vendor dir>: the upstream tarball named by <vendor dir>/PIN, out of Debian's source
# package, sha256-checked and unpacked into <vendor dir>/src (skipped when its stamp matches the pin).
fetch_source() {
  local dir=$1 sha tarball src_pkg got
  sha=$(pin "$dir" sha256) tarball=$(pin "$dir" tarball) src_pkg="$(pin "$dir" debian_package)=$(pin "$dir" debian_version)"
  if [ "$(cat "$dir/src/.pin-sha256" 2>/dev/null || true)" = "$sha" ]; then return; fi
  say "fetching $(pin "$dir" debian_package) $(pin "$dir" version) from Debian source package $src_pkg"
  ensure_deb_src
  tmp=$(mktemp -d) # global: the EXIT trap removes it if a step below fails
  trap 'rm -rf "$tmp"' EXIT
  chmod 777 "$tmp" # apt-get source drops privileges to _apt for the download
  if ! (cd "$tmp" && apt-get source --download-only -qq "$src_pkg" >/dev/null 2>&1); then
    apt_updated=0; apt_update
    (cd "$tmp" && apt-get source --download-only -qq "$src_pkg" >/dev/null)
  fi
  got=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    echo "setup: sha256 mismatch for $tarball: got $got, pinned $sha" >&2
    exit 1
  fi
  rm -rf "$dir/src"
  mkdir -p "$dir/src"
  tar -xzf "$tmp/$tarball" -C "$dir/src" --strip-components=1
  rm -rf "$tmp"
  echo "$sha" > "$dir/src/.pin-sha256"
  say "$(pin "$dir" debian_package) source unpacked into $dir/src (sha256 ok)"
}
fetch_source vendor/nng
fetch_source vendor/mbedtls
