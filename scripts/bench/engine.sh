#!/usr/bin/env bash
# Engine benchmark (issue 5): one full curriculum round over INSTRUCTIONS synthetic
# instructions (answer, teach from the dataset, judge in both orders, select, classify,
# expand with auto approval, compose; no refine, no trainer, no eval split) against a
# loopback OpenAI-compatible server that answers at once and plays every role, the student
# included (tapir-loopback-server --engine, a process of its own). Prints the wall time and
# the share of it spent outside model calls (engine bookkeeping). Target: < 10%.
#
#   [CONCURRENCY=N] scripts/bench/engine.sh [INSTRUCTIONS] [EXPANSIONS]     (defaults 10000 500;
#   CONCURRENCY: calls a stage keeps in flight and each role's max_concurrency, default 64;
#   GAPS=MS: also list every stretch of at least MS milliseconds with no call in flight;
#   TAPIR_BIN: a folder holding tapir and tapir-loopback-server to run instead of
#   .build/release, e.g. another branch's build to compare against)
set -euo pipefail
INSTRUCTIONS="${1:-10000}"
EXPANSIONS="${2:-500}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BIN="${TAPIR_BIN:-.build/release}"
TAPIR="$BIN/tapir"
SERVER="$BIN/tapir-loopback-server"
if [[ -z "${TAPIR_BIN:-}" && ( ! -x "$TAPIR" || ! -x "$SERVER" ) ]]; then swift build -c release >&2; fi
[[ -x "$TAPIR" && -x "$SERVER" ]] || { echo "engine bench: no tapir and tapir-loopback-server in $BIN" >&2; exit 1; }

WORK="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$SERVER" --engine >"$WORK/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening' "$WORK/server.out" && break; sleep 0.05; done
url="$(sed -n 's/^listening //p' "$WORK/server.out")"
[[ -n "$url" ]] || { echo "engine bench: the loopback server did not start" >&2; cat "$WORK/server.out" >&2; exit 1; }

echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$TAPIR" bench-engine --base-url "$url" --instructions "$INSTRUCTIONS" --expansions "$EXPANSIONS" \
    --workspace "$WORK/ws" ${CONCURRENCY:+--concurrency "$CONCURRENCY"} ${GAPS:+--gaps "$GAPS"}
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
