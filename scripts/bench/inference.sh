#!/usr/bin/env bash
# Native inference against llama.cpp on the same GGUF, the same thread count, in one run:
# pp128, tg128 (llama-bench) and 16-sequence batched decode npp 64 / ntg 128
# (llama-batched-bench), side by side with `tapir bench-inference`, with the ratios and
# tapir's peak RSS. llama.cpp is built from the llama-cpp-python sdist by
# scripts/llama-cpp/build.sh (outside the repository).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MODEL="${MODEL:-${TAPIR_HOME:-$HOME/.cache/tapir}/SmolLM2-135M-Instruct.Q4_1.gguf}"
THREADS="${THREADS:-2}"
# TAPIR_BIN: an already built tapir binary to measure instead (e.g. a saved baseline build).
TAPIR_BIN="${TAPIR_BIN:-}"
[[ -f "$MODEL" ]] || { echo "model not found: $MODEL (run scripts/fetch-model.sh)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update >&2 && apt-get install -y time >&2; }

if [[ -z "$TAPIR_BIN" ]]; then
    swift build -c release --product tapir >&2
    TAPIR_BIN=.build/release/tapir
fi
BIN="$(bash scripts/llama-cpp/build.sh)"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

"$BIN/llama-bench" -m "$MODEL" -t "$THREADS" -p 128 -n 128 -r 3 -o json >"$OUT/llama-bench.json" 2>"$OUT/llama-bench.err"
"$BIN/llama-batched-bench" -m "$MODEL" -t "$THREADS" -c 4096 -b 2048 -ub 512 \
    -npp 64 -ntg 128 -npl 16 >"$OUT/llama-batched.txt" 2>"$OUT/llama-batched.err"
/usr/bin/time -v -o "$OUT/tapir.time" "$TAPIR_BIN" bench-inference --model "$MODEL" \
    --threads "$THREADS" --pp 128 --tg 128 --npl 16 --npp 64 --ntg 128 >"$OUT/tapir.txt"

python3 - "$OUT" "$MODEL" <<'PY'
import json, os, re, sys
out, model = sys.argv[1], sys.argv[2]
bench = json.load(open(f"{out}/llama-bench.json"))
ll_pp = next(r["avg_ts"] for r in bench if r["n_prompt"] == 128 and r["n_gen"] == 0)
ll_tg = next(r["avg_ts"] for r in bench if r["n_gen"] == 128 and r["n_prompt"] == 0)
ll_batch = None
for line in open(f"{out}/llama-batched.txt"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 10 and cells[0] == "64" and cells[1] == "128" and cells[2] == "16":
        ll_batch = float(cells[7])  # S_TG t/s
text = open(f"{out}/tapir.txt").read()
t_pp = float(re.search(r"pp128: ([0-9.]+) tok/s", text).group(1))
t_tg = float(re.search(r"tg128: ([0-9.]+) tok/s", text).group(1))
t_batch = float(re.search(r"decode aggregate ([0-9.]+) tok/s", text).group(1))
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/tapir.time").read()).group(1))
print(f"model {os.path.basename(model)}, threads {os.environ.get('THREADS', '2')}, load average {os.getloadavg()[0]:.2f}")
print(f"{'measure':<34}{'tapir':>10}{'llama.cpp':>12}{'ratio':>8}")
for name, t, l in [("prompt processing pp128 tok/s", t_pp, ll_pp),
                   ("decode tg128 tok/s", t_tg, ll_tg),
                   ("16-seq decode aggregate tok/s", t_batch, ll_batch)]:
    ratio = f"{t / l:.2f}x" if l else "n/a"
    print(f"{name:<34}{t:>10.1f}{(l or 0):>12.1f}{ratio:>8}")
model_mb = os.path.getsize(model) / 1e6
print(f"tapir peak RSS {rss_kb / 1024:.0f} MiB (model file {model_mb:.0f} MB)")
# tapir's own lines also give tokens per CPU-second, which moves less with machine load.
print("tapir: " + "; ".join(line.strip() for line in text.splitlines() if line.strip()))
PY
