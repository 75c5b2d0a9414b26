#!/usr/bin/env bash
# Installs the independent NNG implementations that test/interop.test.ts talks to. Idempotent: a
# warm run is a `command -v` and a stamp comparison.
#   nngcat  - Debian's nng-utils (apt, as root or through sudo); skipped when nngcat is on PATH
#   nanocat - Debian's nanomsg-utils (nanomsg 1.1.5's command-line tool; apt, likewise); skipped
#             when nanocat is on PATH
#   pynng   - PyPI pynng, exact pin below (a wheel with its own NNG build), installed with
#             `pip install --target .tools/py` (git-ignored); the tests run it with PYTHONPATH=.tools/py
# A failed install does not stop `make test`: it is reported here, and test/interop.test.ts then
# fails, saying what is missing. Each run retries what is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

PYNNG_VERSION=0.9.0 # keep in step with PYNNG_VERSION in test/interop.test.ts
PY_DIR=.tools/py

say() { printf 'setup-interop: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }
failed=0

# --- nngcat (Debian nng-utils), nanocat (Debian nanomsg-utils) -----------------------------------
# apt_tool TOOL PACKAGE: installs PACKAGE unless TOOL is on PATH (apt-get update once if it fails).
apt_updated=0
apt_tool() {
  local tool=$1 pkg=$2
  command -v "$tool" >/dev/null && return 0
  say "installing $pkg (apt) for $tool"
  apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1; }
  if ! apt_install && [ "$apt_updated" = 0 ]; then
    apt_updated=1
    as_root apt-get update -qq >/dev/null 2>&1
    apt_install
  fi
  if ! command -v "$tool" >/dev/null; then
    say "FAILED to install $pkg (apt-get install $pkg, as root): $tool is missing"
    failed=1
  fi
}
apt_tool nngcat nng-utils
apt_tool nanocat nanomsg-utils

# --- pynng (PyPI) into .tools/py ------------------------------------------------------------------
want="pynng==$PYNNG_VERSION $(python3 --version 2>&1)"
if [ "$(cat "$PY_DIR/.stamp" 2>/dev/null || true)" != "$want" ] || [ ! -d "$PY_DIR/pynng" ]; then
  say "installing PyPI pynng==$PYNNG_VERSION into $PY_DIR"
  tmp="$PY_DIR.tmp"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$PY_DIR")"
  if PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
       --target "$tmp" "pynng==$PYNNG_VERSION" &&
     PYTHONPATH="$tmp" python3 -c "import pynng" &&
     rm -rf "$PY_DIR" && mv "$tmp" "$PY_DIR"; then
    echo "$want" > "$PY_DIR/.stamp"
  else
    rm -rf "$tmp"
    say "FAILED to install pynng==$PYNNG_VERSION (python3 -m pip install --target $PY_DIR): pynng is missing"
    failed=1
  fi
fi

if [ "$failed" = 1 ]; then
  say "test/interop.test.ts will fail until this succeeds (re-run: bash scripts/setup-interop.sh)"
fi
exit 0
