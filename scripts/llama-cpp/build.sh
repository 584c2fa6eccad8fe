#!/usr/bin/env bash
# Build llama.cpp's llama-bench, llama-batched-bench and llama-tokenize from the source in the
# llama-cpp-python sdist (PyPI), outside the repository, for `make bench`. Idempotent: an
# existing build is reused. Prints the directory holding the binaries.
#
# Environment: TAPIR_HOME (default ~/.cache/tapir), LLAMA_CPP_JOBS (default 2),
# LLAMA_CPP_PYTHON_VERSION (default 0.3.36, see fetch-source.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TAPIR_HOME="${TAPIR_HOME:-$HOME/.cache/tapir}"
BUILD_DIR="$TAPIR_HOME/llama.cpp-build"
BIN_DIR="$BUILD_DIR/bin"
JOBS="${LLAMA_CPP_JOBS:-2}"
TARGETS=(llama-bench llama-batched-bench llama-tokenize)

log() { echo "llama-cpp/build: $*" >&2; }

all_built() {
    local t
    for t in "${TARGETS[@]}"; do [[ -x "$BIN_DIR/$t" ]] || return 1; done
}

if all_built && [[ -f "$BUILD_DIR/.complete" ]]; then
    echo "$BIN_DIR"
    exit 0
fi

need_apt=()
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
if ((${#need_apt[@]} > 0)); then
    log "installing ${need_apt[*]} with apt-get"
    apt-get update >&2
    apt-get install -y --no-install-recommends "${need_apt[@]}" >&2
fi

SRC_DIR="$("$HERE/fetch-source.sh")"
log "configuring $SRC_DIR into $BUILD_DIR"
cmake -S "$SRC_DIR" -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DGGML_NATIVE=ON \
    -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=OFF \
    -DLLAMA_BUILD_TOOLS=ON \
    -DLLAMA_BUILD_COMMON=ON \
    -DLLAMA_OPENSSL=OFF \
    -DLLAMA_CURL=OFF \
    -DGGML_CCACHE=OFF >&2
log "building ${TARGETS[*]} with $JOBS jobs"
cmake --build "$BUILD_DIR" --config Release -j "$JOBS" --target "${TARGETS[@]}" >&2
if ! all_built; then
    log "error: the build finished but ${TARGETS[*]} are not all in $BIN_DIR"
    exit 1
fi
touch "$BUILD_DIR/.complete"
echo "$BIN_DIR"
