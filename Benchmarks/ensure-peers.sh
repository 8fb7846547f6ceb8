#!/usr/bin/env bash
# Makes sure the peers' C libraries (Debian: liblmdb-dev librocksdb-dev libleveldb-dev
# libsqlite3-dev) are installed: installs the missing ones when run as root, otherwise prints
# the exact command to run and exits 1.
set -euo pipefail
PACKAGES=(liblmdb-dev librocksdb-dev libleveldb-dev libsqlite3-dev)
missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if ((${#missing[@]})); then
    if [[ "$(id -u)" == 0 ]]; then
        echo "ensure-peers: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    else
        echo "ensure-peers: missing C libraries of the peers. Install them with:" >&2
        echo "    sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi
