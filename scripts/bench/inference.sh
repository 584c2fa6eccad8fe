#!/usr/bin/env bash
# tapir's native inference speed on the default SmolLM2 Q4_1 model (release build):
# pp128, tg128 and 16-sequence batched decode (npp 64, ntg 128), with THREADS threads.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MODEL="${MODEL:-${TAPIR_HOME:-$HOME/.cache/tapir}/SmolLM2-135M-Instruct.Q4_1.gguf}"
THREADS="${THREADS:-2}"
[[ -f "$MODEL" ]] || { echo "model not found: $MODEL (run scripts/fetch-model.sh)" >&2; exit 1; }
swift build -c release --product tapir >&2
exec .build/release/tapir bench-inference --model "$MODEL" --threads "$THREADS" \
    --pp 128 --tg 128 --npl 16 --npp 64 --ntg 128
