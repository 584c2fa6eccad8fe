#!/usr/bin/env bash
# LLM client benchmark: tapir's libcurl client vs the openai Python SDK's AsyncOpenAI,
# both against the same loopback OpenAI-compatible server (a separate process that
# answers at once). Prints requests/s and client CPU seconds for both and the ratio.
#
#   scripts/bench/llm-client.sh [REQUESTS] [CONCURRENCY]     (defaults 2000 64)
set -euo pipefail

REQUESTS="${1:-2000}"
CONCURRENCY="${2:-64}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

if ! "$PYTHON" -c "import openai" 2>/dev/null; then
    echo "installing the openai Python SDK (pip install openai) ..." >&2
    "$PYTHON" -m pip install --quiet openai >&2
fi

swift build -c release --product tapir-loopback-server >&2
swift build -c release --product tapir-llm-bench >&2
BIN="$(swift build -c release --show-bin-path)"

SERVER_LOG="$(mktemp)"
"$BIN/tapir-loopback-server" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -f "$SERVER_LOG"' EXIT
for _ in $(seq 1 100); do
    grep -q '^listening ' "$SERVER_LOG" && break
    sleep 0.05
done
BASE_URL="$(awk '/^listening /{print $2}' "$SERVER_LOG")"
[ -n "$BASE_URL" ] || { echo "loopback server did not start: $(cat "$SERVER_LOG")" >&2; exit 1; }

echo "server: $BASE_URL  requests: $REQUESTS  concurrency: $CONCURRENCY  cores: $(nproc)  load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
TAPIR_JSON="$("$BIN/tapir-llm-bench" --base-url "$BASE_URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY")"
PYTHON_JSON="$("$PYTHON" scripts/bench/openai_sdk_client.py --base-url "$BASE_URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY")"

"$PYTHON" - "$TAPIR_JSON" "$PYTHON_JSON" <<'PY'
import json, sys
tapir, sdk = (json.loads(arg) for arg in sys.argv[1:3])
print(f"{'client':<16}{'requests':>10}{'failures':>10}{'seconds':>10}{'req/s':>10}{'cpu s':>10}{'req/cpu-s':>11}")
for row in (tapir, sdk):
    per_cpu = row["requests"] / row["cpu_seconds"] if row["cpu_seconds"] > 0 else float("inf")
    print(f"{row['client']:<16}{row['requests']:>10}{row['failures']:>10}{row['seconds']:>10.3f}{row['rps']:>10.1f}{row['cpu_seconds']:>10.3f}{per_cpu:>11.0f}")
ratio = tapir["rps"] / sdk["rps"]
cpu_ratio = sdk["cpu_seconds"] / tapir["cpu_seconds"] if tapir["cpu_seconds"] > 0 else float("inf")
print(f"ratio tapir/openai-python: {ratio:.2f}x requests/s, {cpu_ratio:.2f}x less client CPU (target >= 2x requests/s)")
if tapir["failures"] or sdk["failures"]:
    sys.exit("some requests failed")
PY
