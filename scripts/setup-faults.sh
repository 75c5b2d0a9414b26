#!/usr/bin/env bash
# Installs what the network-fault tests of test/faults.test.ts need to build two hosts on one machine:
#   ip, tc - Debian iproute2 (network namespaces, veth pairs, tc netem / tbf)
#   nft    - Debian nftables (random packet loss and partitions where the kernel has no netem)
# Idempotent: a warm run is two `command -v`. A failed install does not stop `make test`: it is
# reported here, and the tests then skip, saying what is missing (they need root anyway).
set -uo pipefail

say() { printf 'setup-faults: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

missing=()
command -v ip >/dev/null && command -v tc >/dev/null || missing+=(iproute2)
command -v nft >/dev/null || missing+=(nftables)
[ ${#missing[@]} = 0 ] && exit 0

say "installing ${missing[*]} (apt)"
apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; }
if ! apt_install; then
  as_root apt-get update -qq >/dev/null 2>&1
  apt_install || say "FAILED to install ${missing[*]} (apt-get install ${missing[*]}, as root): the network-fault tests will skip"
fi
exit 0
