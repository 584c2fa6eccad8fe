#!/usr/bin/env bash
# Copy llama.cpp's vocab-only GGUF test files (SentencePiece and BPE tokenizers of several
# model families) into ${TAPIR_HOME}/vocab for the tokenizer tests. Idempotent; prints the dir.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TAPIR_HOME="${TAPIR_HOME:-$HOME/.cache/tapir}"
VOCAB_DIR="$TAPIR_HOME/vocab"
NAMES=(llama-spm phi-3 llama-bpe qwen2 gpt-2 starcoder refact falcon mpt command-r)

missing=0
for n in "${NAMES[@]}"; do [[ -f "$VOCAB_DIR/ggml-vocab-$n.gguf" ]] || missing=1; done
if ((missing == 0)); then echo "$VOCAB_DIR"; exit 0; fi

SRC_DIR="$("$HERE/../llama-cpp/fetch-source.sh")"
mkdir -p "$VOCAB_DIR"
for n in "${NAMES[@]}"; do
    cp -f "$SRC_DIR/models/ggml-vocab-$n.gguf" "$VOCAB_DIR/"
done
echo "$VOCAB_DIR"
