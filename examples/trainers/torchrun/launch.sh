#!/usr/bin/env bash
# Multi-node (or single-node) launcher for trainers/trl/train_sft.py with torchrun.
#
#   launch.sh DATA BASE OUTPUT ROUND [extra train_sft.py options…]
#
# Runs one torchrun per node. The node this script runs on is node 0 and hosts the
# rendezvous; the others are started over ssh. Every node must see the same paths
# (shared filesystem for the workspace and the output folder) and the same Python env.
#
# Environment:
#   NODES            space-separated hostnames of the OTHER nodes (empty: single node)
#   GPUS_PER_NODE    processes per node (default: number of visible GPUs, at least 1)
#   MASTER_ADDR      address the other nodes use to reach this one (default: hostname -f)
#   MASTER_PORT      rendezvous port (default 29500)
#   PYTHON           interpreter with torch/transformers/trl (default python3)
#   TAPIR_TRAIN_ARGS extra options for train_sft.py, e.g. "--epochs 3 --batch-size 8"
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 DATA BASE OUTPUT ROUND [train_sft.py options…]" >&2
    exit 2
fi
DATA=$1 BASE=$2 OUTPUT=$3 ROUND=$4
shift 4

HERE=$(cd "$(dirname "$0")" && pwd)
SCRIPT="$HERE/../trl/train_sft.py"
PYTHON=${PYTHON:-python3}
read -r -a OTHER_NODES <<< "${NODES:-}"
NNODES=$(( ${#OTHER_NODES[@]} + 1 ))
if [ -z "${GPUS_PER_NODE:-}" ]; then
    GPUS_PER_NODE=$("$PYTHON" -c 'import torch; print(max(torch.cuda.device_count(), 1))')
fi
MASTER_ADDR=${MASTER_ADDR:-$(hostname -f)}
MASTER_PORT=${MASTER_PORT:-29500}
RDZV_ID="tapir-round-$ROUND-$$"
mkdir -p "$OUTPUT"

# One argument vector for every node; only --node-rank differs.
run_args() {
    local rank=$1
    shift
    printf '%q ' "$PYTHON" -m torch.distributed.run \
        --nnodes="$NNODES" --nproc-per-node="$GPUS_PER_NODE" --node-rank="$rank" \
        --rdzv-backend=c10d --rdzv-endpoint="$MASTER_ADDR:$MASTER_PORT" --rdzv-id="$RDZV_ID" \
        "$SCRIPT" --data "$DATA" --base "$BASE" --output "$OUTPUT" --round "$ROUND" \
        ${TAPIR_TRAIN_ARGS:-} "$@"
}

echo "{\"event\": \"launch\", \"nodes\": $NNODES, \"procs_per_node\": $GPUS_PER_NODE, \"rdzv\": \"$MASTER_ADDR:$MASTER_PORT\"}"

pids=()
rank=1
for node in "${OTHER_NODES[@]}"; do
    # Remote ranks log to the output folder; only rank 0 prints loss lines anyway.
    ssh -o BatchMode=yes "$node" "cd $(printf '%q' "$PWD") && $(run_args "$rank" "$@")" \
        > "$OUTPUT/torchrun-node$rank.log" 2>&1 &
    pids+=("$!")
    rank=$((rank + 1))
done

status=0
eval "$(run_args 0 "$@")" || status=$?
for pid in "${pids[@]}"; do
    wait "$pid" || status=$?
done
if [ "$status" -ne 0 ]; then
    echo "torchrun failed with status $status; remote logs: $OUTPUT/torchrun-node*.log" >&2
fi
exit "$status"
