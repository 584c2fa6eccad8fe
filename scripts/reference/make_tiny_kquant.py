#!/usr/bin/env python3
"""Writes a tiny random `qwen2` GGUF quantised by llama.cpp to Q4_K_M, and llama.cpp's
outputs on it (reference for tapir's Q4_K and Q6_K kernels).

  python3 scripts/reference/make_tiny_kquant.py [--quantize PATH/TO/llama-quantize]
  python3 scripts/reference/make_tiny_kquant.py --bench-model /tmp/kquant-bench.gguf

The `gguf` package cannot quantise K-quants, so the model is first written in F32 (same
vocab, template and layout as make_tiny_qwen2.py, but hidden 256, FFN 256 and one layer:
K-quant rows hold multiples of 256 elements), then converted by llama.cpp's own
`llama-quantize --output-tensor-type q4_K ... Q4_K_M` (default
${TAPIR_HOME:-~/.cache/tapir}/llama.cpp-build/bin; build it with
`cmake --build <build dir> --target llama-quantize`). That gives Q4_K for the embedding, q, k,
output projection, gate and up (row counts that are multiples of 8: ggml's repacked q4_K_8x8
kernels), Q4_K for the output matrix (274 rows: ggml's plain Q4_K dot), and Q6_K for v and
down.

Writes Tests/TapirInferenceTests/Fixtures/tiny/qwen2-tiny-q4_k_m.gguf and
Tests/TapirInferenceTests/Fixtures/reference/qwen2-tiny-q4_k_m-reference.json (every position's
logits of a few sequences, the logits of single-token steps after a batched prefill, 16-token
greedy continuations, through llama-cpp-python).
"""
import json
import os
import subprocess
import sys
import tempfile

import make_tiny_qwen2 as base
from gguf import GGMLQuantizationType as Q

STEM = "qwen2-tiny-q4_k_m"
TYPES = {"token_embd": Q.F32, "output": Q.F32,
         0: {k: Q.F32 for k in ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")}}


def quantize_tool():
    if "--quantize" in sys.argv:
        return sys.argv[sys.argv.index("--quantize") + 1]
    home = os.environ.get("TAPIR_HOME", os.path.expanduser("~/.cache/tapir"))
    return os.path.join(home, "llama.cpp-build", "bin", "llama-quantize")


def incremental(path, forced):
    """The longest sequence's first third in one batch, then one token at a time: the logits
    of each single-token step (ggml picks other kernels for one token than for a batch, so
    these differ in the last bits from the teacher-forced ones)."""
    import numpy as np
    from llama_cpp import Llama
    llm = Llama(model_path=path, n_ctx=base.CONTEXT, logits_all=True, n_threads=2, flash_attn=False, verbose=False)
    seq = max((f["tokens"] for f in forced), key=len)
    split = len(seq) // 3
    llm.reset()
    llm.eval(seq[:split])
    steps = []
    for p in range(split, len(seq)):
        llm.eval([seq[p]])
        steps.append([base.f32(x) for x in np.asarray(llm.scores[llm.n_tokens - 1], dtype=np.float32)])
    return {"tokens": seq, "split": split, "logits": steps}


def bench_model(path):
    """A larger random model of the same kind for benchmarks (not committed): 8 layers, hidden
    1024, FFN 2816, 16 heads / 4 KV heads, llama-quantize's plain Q4_K_M mix."""
    base.LAYERS, base.HIDDEN, base.HEADS, base.KV_HEADS, base.FFN = 8, 1024, 16, 4, 2816
    base.HEAD_DIM = base.HIDDEN // base.HEADS
    types = {"token_embd": Q.F32, "output": Q.F32}
    for i in range(base.LAYERS):
        types[i] = TYPES[0]
    with tempfile.TemporaryDirectory() as tmp:
        f32 = os.path.join(tmp, "f32.gguf")
        base.write_gguf(f32, types)
        subprocess.run([quantize_tool(), f32, path, "Q4_K_M", "2"], check=True, stdout=subprocess.DEVNULL)
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    if "--bench-model" in sys.argv:
        return bench_model(sys.argv[sys.argv.index("--bench-model") + 1])
    base.LAYERS, base.HIDDEN, base.HEADS, base.KV_HEADS, base.FFN = 1, 256, 4, 1, 256
    base.HEAD_DIM = base.HIDDEN // base.HEADS
    out = os.path.join(base.FIXTURES, "tiny", STEM + ".gguf")
    with tempfile.TemporaryDirectory() as tmp:
        f32 = os.path.join(tmp, "f32.gguf")
        n_vocab = base.write_gguf(f32, TYPES)
        subprocess.run([quantize_tool(), "--output-tensor-type", "q4_K", f32, out, "Q4_K_M", "2"],
                       check=True, stdout=subprocess.DEVNULL)
    print(f"{out}: {os.path.getsize(out)} bytes, vocab {n_vocab}")
    ref = base.reference(out, n_vocab)
    ref["incremental"] = incremental(out, ref["teacher_forced"])
    ref["source"] = "llama.cpp via llama-cpp-python 0.3.36 (scripts/reference/make_tiny_kquant.py)"
    ref_path = os.path.join(base.FIXTURES, "reference", STEM + "-reference.json")
    with open(ref_path, "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")
    print(f"{ref_path}: {os.path.getsize(ref_path)} bytes")


if __name__ == "__main__":
    main()
