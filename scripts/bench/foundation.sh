#!/usr/bin/env bash
# Foundation benchmarks: import of a 52,000-record Alpaca JSON file (targets: < 5 s wall,
# < 300 MB max RSS) and `tapir status` on a 100,000-instruction workspace (target: < 300 ms).
# Needs a release build (`make bench` does it). Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."

TAPIR=".build/release/tapir"
[[ -x "$TAPIR" ]] || { echo "bench: $TAPIR missing; run swift build -c release" >&2; exit 1; }
if [[ ! -x /usr/bin/time ]]; then bash scripts/setup-system.sh time >/dev/null; fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Deterministic synthetic Alpaca data: sizes like the Stanford Alpaca set (~420 bytes/record).
python3 - "$WORK" <<'PY'
import json, random, sys
work = sys.argv[1]
rng = random.Random(52)
words = ("model data train answer question write explain list code function value number city river "
         "history poem story short summary describe compare reason step result table format example "
         "language translate sentence word letter music science energy planet animal plant health law").split()
def text(n): return " ".join(rng.choice(words) for _ in range(n))
def record(i):
    r = {"instruction": f"{text(rng.randint(6, 16)).capitalize()} ({i})?",
         "input": text(rng.randint(4, 20)) if rng.random() < 0.4 else "",
         "output": text(rng.randint(20, 90)) + "."}
    return r
with open(f"{work}/alpaca52k.json", "w") as f:
    json.dump([record(i) for i in range(52000)], f, indent=1)
with open(f"{work}/alpaca100k.jsonl", "w") as f:
    for i in range(100000):
        f.write(json.dumps(record(i)) + "\n")
PY

size_mb=$(du -m "$WORK/alpaca52k.json" | cut -f1)
"$TAPIR" init "$WORK/ws52" >/dev/null
/usr/bin/time -v "$TAPIR" import --workspace "$WORK/ws52" "$WORK/alpaca52k.json" >"$WORK/import.out" 2>"$WORK/import.time"
grep -q "imported 52000" "$WORK/import.out" || { cat "$WORK/import.out" "$WORK/import.time"; exit 1; }
wall=$(grep "Elapsed (wall clock)" "$WORK/import.time" | awk '{print $NF}')
rss_kb=$(grep "Maximum resident set size" "$WORK/import.time" | awk '{print $NF}')
wall_s=$(python3 -c "p='$wall'.split(':'); print(round(sum(float(x)*60**i for i,x in enumerate(reversed(p))),2))")
rss_mb=$((rss_kb / 1024))

"$TAPIR" init "$WORK/ws100" >/dev/null
"$TAPIR" import --workspace "$WORK/ws100" "$WORK/alpaca100k.jsonl" >/dev/null
"$TAPIR" status --workspace "$WORK/ws100" >/dev/null   # warm the page cache
status_ms=$(python3 - "$TAPIR" "$WORK/ws100" <<'PY'
import subprocess, sys, time
runs = []
for _ in range(7):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "status", "--workspace", sys.argv[2]], check=True, stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
runs.sort()
print(round(runs[len(runs) // 2]))
PY
)

verdict() { if python3 -c "import sys; sys.exit(0 if $1 else 1)"; then echo "ok"; else echo "OVER TARGET"; fi; }
echo "import 52,000 Alpaca records (${size_mb} MB JSON): ${wall_s} s wall [target < 5 s: $(verdict "$wall_s < 5")], ${rss_mb} MB max RSS [target < 300 MB: $(verdict "$rss_mb < 300")]"
echo "status on 100,000 instructions: ${status_ms} ms median of 7 [target < 300 ms: $(verdict "$status_ms < 300")]"
