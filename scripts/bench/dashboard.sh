#!/usr/bin/env bash
# Dashboard frame benchmark: generates a workspace history with N instructions, then
# measures time to first frame, median/p95/worst frame while scrolling the Samples and
# Hard queue screens (key + render + diff, as the backend flushes; wall time and the UI
# thread's CPU time, which excludes waiting for a core), the Samples detail query, a live
# reload and peak memory.
# Targets (issue 6): first frame < 300 ms, frames < 16 ms, memory < 200 MB.
#
#   scripts/bench/dashboard.sh [INSTRUCTIONS] [FRAMES]     (defaults 100000 300)
set -euo pipefail
INSTRUCTIONS="${1:-100000}"
FRAMES="${2:-300}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
swift build -c release --product tapir >&2
echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
.build/release/tapir ui-bench --instructions "$INSTRUCTIONS" --frames "$FRAMES"
