#!/usr/bin/env bash
# Install the system packages tapir needs, only those missing (checked with dpkg -s).
# Debian/Ubuntu only; elsewhere it says what to install and exits non-zero.
set -euo pipefail

PACKAGES=(libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev tmux python3 python3-pip unzip "$@")

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "setup: system packages present"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing ${missing[*]} and apt-get is not available; install them with your package manager" >&2
    exit 1
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "setup: missing ${missing[*]}; run as root or install sudo" >&2
        exit 1
    fi
fi

echo "setup: installing ${missing[*]}"
"${SUDO[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
