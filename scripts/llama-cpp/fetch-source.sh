#!/usr/bin/env bash
# Fetch llama.cpp's source as shipped in the llama-cpp-python sdist on PyPI and unpack it
# under ${TAPIR_HOME}/llama.cpp-src. Idempotent. Prints the llama.cpp source directory.
# Nothing from it is ever committed to tapir.
set -euo pipefail

LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
TAPIR_HOME="${TAPIR_HOME:-$HOME/.cache/tapir}"
DL_DIR="$TAPIR_HOME/downloads"
SRC_ROOT="$TAPIR_HOME/llama.cpp-src"
SDIST="$DL_DIR/llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION.tar.gz"
SRC_DIR="$SRC_ROOT/llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION/vendor/llama.cpp"

log() { echo "fetch-source: $*" >&2; }

if [[ -f "$SRC_DIR/CMakeLists.txt" && -f "$SRC_ROOT/.complete-$LLAMA_CPP_PYTHON_VERSION" ]]; then
    echo "$SRC_DIR"
    exit 0
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
    log "installing python3-pip with apt-get"
    apt-get update >&2
    apt-get install -y --no-install-recommends python3-pip >&2
fi

mkdir -p "$DL_DIR" "$SRC_ROOT"
if [[ ! -f "$SDIST" ]]; then
    log "downloading llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION source from PyPI"
    # Only this package as source; its build tools may come as wheels (much faster).
    python3 -m pip download --no-deps --no-binary llama-cpp-python -d "$DL_DIR" \
        "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" >&2
fi
if [[ ! -f "$SDIST" ]]; then
    log "error: $SDIST was not downloaded; check access to PyPI"
    exit 1
fi
log "unpacking $SDIST"
tar xzf "$SDIST" -C "$SRC_ROOT"
touch "$SRC_ROOT/.complete-$LLAMA_CPP_PYTHON_VERSION"
echo "$SRC_DIR"
