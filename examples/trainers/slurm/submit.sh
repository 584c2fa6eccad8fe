#!/usr/bin/env bash
# Submit tapir-sft.sbatch, wait for the job to finish, and stream its log to stdout so
# tapir's train stage sees the loss lines as they appear. Exits with the job's status.
#
#   submit.sh DATA BASE OUTPUT ROUND [extra sbatch options…]
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 DATA BASE OUTPUT ROUND [sbatch options…]" >&2
    exit 2
fi
DATA=$1 BASE=$2 OUTPUT=$3 ROUND=$4
shift 4
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUTPUT"
LOG="$OUTPUT/slurm-round-$ROUND.log"
: > "$LOG"

# --wait blocks until the job ends and returns its exit code.
sbatch --wait --output="$LOG" --error="$LOG" --export=ALL "$@" \
    "$HERE/tapir-sft.sbatch" "$DATA" "$BASE" "$OUTPUT" "$ROUND" &
sbatch_pid=$!

# Follow the log until sbatch returns (tail exits when that process is gone).
tail -n +1 -F --pid="$sbatch_pid" "$LOG" 2>/dev/null &
tail_pid=$!

status=0
wait "$sbatch_pid" || status=$?
wait "$tail_pid" 2>/dev/null || true
if [ "$status" -ne 0 ]; then
    echo "slurm job for round $ROUND failed (status $status); full log: $LOG" >&2
fi
exit "$status"
