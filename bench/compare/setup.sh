#!/usr/bin/env bash
# Installs the other implementations that bench/compare measures bun-nng against, into bench/.deps
# (git-ignored). Idempotent: each one is reinstalled only when its pin changes (stamp files), so a
# warm run costs a few file reads.
#
#   bench/.deps/zeromq    npm zeromq (zeromq.js v6; its prebuilt binary ships in the package)
#   bench/.deps/nanomsg   npm nanomsg (node-nanomsg; compiles its bundled libnanomsg with node-gyp
#                         against the headers of the local Node install: there is no download)
#   bench/.deps/pynng     PyPI pynng in a venv (a manylinux wheel with its own NNG inside)
#
# Exact versions: bench/compare/deps/<name>/package.json and package-lock.json (npm), PYNNG_VERSION
# below (PyPI). One that cannot be installed does not stop the others: its reason is written to
# bench/.deps/<name>.unavailable (with the log beside it), and the harness reports it as unavailable.
# A failed install is not retried until its pin changes or that file is deleted. Always exits 0.
set -uo pipefail
cd "$(dirname "$0")/../.."

PYNNG_VERSION=0.9.0
DEPS=bench/.deps
mkdir -p "$DEPS"

say() { printf 'bench setup: %s\n' "$*"; }
stamp_of() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

# True (and quiet) when this exact pin already failed to install: not retried on every run.
failed_before() { # name, stamp
  [ -f "$DEPS/$1.unavailable" ] && [ "$(cat "$DEPS/$1.failed-stamp" 2>/dev/null || true)" = "$2" ]
}

unavailable() { # name, reason, log, stamp
  local name=$1 reason=$2 log=${3:-}
  if [ -n "${4:-}" ]; then echo "$4" > "$DEPS/$name.failed-stamp"; fi
  {
    echo "$reason"
    if [ -n "$log" ] && [ -f "$log" ]; then
      echo "--- first errors in $log:"
      grep -iE "error|err!|fatal" "$log" | head -n 8
      echo "--- last lines of $log:"
      tail -n 8 "$log"
    fi
  } > "$DEPS/$name.unavailable"
  say "$name: UNAVAILABLE: $reason (see $DEPS/$name.unavailable)"
}

# --- npm packages (one project each, so that one failing build leaves the other installed) --------
# node-gyp needs the Node headers: take them from the local install (include/node/node.h beside the
# node binary's prefix) instead of letting it try to download them.
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

install_npm() { # name
  local name=$1 src=bench/compare/deps/$1 dst=$DEPS/$1
  local want
  want=$(stamp_of "$src/package.json" "$src/package-lock.json" <(node --version))
  if [ "$(cat "$dst/.stamp" 2>/dev/null || true)" = "$want" ] && [ -d "$dst/node_modules/$name" ]; then
    return 0
  fi
  if failed_before "$name" "$want"; then return 0; fi
  say "installing npm $name ($(node -p "require('./$src/package.json').dependencies['$name']")) into $dst"
  rm -rf "$dst" "$DEPS/$name.unavailable" "$DEPS/$name.failed-stamp"
  mkdir -p "$dst"
  cp "$src/package.json" "$src/package-lock.json" "$dst/"
  local log=$DEPS/$name-install.log
  if (cd "$dst" && npm ci --no-audit --no-fund --foreground-scripts --loglevel=error) > "$log" 2>&1 &&
     (cd "$dst" && node -e "require('$name')") >> "$log" 2>&1; then
    echo "$want" > "$dst/.stamp"
  else
    local why="npm ci of $name failed"
    if grep -q "gyp" "$log"; then why="$why (node-gyp build of its native part)"; fi
    unavailable "$name" "$why" "$log" "$want"
  fi
}

if command -v npm >/dev/null && command -v node >/dev/null; then
  install_npm zeromq
  install_npm nanomsg
else
  unavailable zeromq "node/npm not found"
  unavailable nanomsg "node/npm not found"
fi

# --- pynng (PyPI) in a venv ----------------------------------------------------------------------
install_pynng() {
  local dst=$DEPS/pynng want
  want=$(stamp_of <(echo "pynng==$PYNNG_VERSION") <(python3 --version 2>&1))
  if [ "$(cat "$dst/.stamp" 2>/dev/null || true)" = "$want" ] && [ -x "$dst/venv/bin/python" ]; then
    return 0
  fi
  if failed_before pynng "$want"; then return 0; fi
  say "installing PyPI pynng==$PYNNG_VERSION into $dst/venv"
  rm -rf "$dst" "$DEPS/pynng.unavailable" "$DEPS/pynng.failed-stamp"
  mkdir -p "$dst"
  local log=$DEPS/pynng-install.log
  if python3 -m venv "$dst/venv" > "$log" 2>&1 &&
     PIP_DISABLE_PIP_VERSION_CHECK=1 "$dst/venv/bin/python" -m pip install --quiet "pynng==$PYNNG_VERSION" >> "$log" 2>&1 &&
     "$dst/venv/bin/python" -c "import pynng" >> "$log" 2>&1; then
    echo "$want" > "$dst/.stamp"
  else
    unavailable pynng "pip install pynng==$PYNNG_VERSION into a venv failed" "$log" "$want"
  fi
}

if command -v python3 >/dev/null; then
  install_pynng
else
  unavailable pynng "python3 not found"
fi
exit 0
