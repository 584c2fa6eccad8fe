#!/usr/bin/env python3
"""Writes reference fixtures for tapir's tensor kernels using the `gguf` Python package
(an independent implementation of ggml's block formats).

For each type: a small matrix of random rows is quantised with gguf.quants.quantize
(Q4_K and Q6_K have no Python quantiser, so random blocks with bounded scales are used as
the raw data), dequantised with gguf.quants.dequantize, and multiplied (float64) with a
random activation vector. Output: Tests/TapirInferenceTests/Fixtures/quant/<type>.json with
fields type, rows, columns, raw (base64 of the GGUF bytes), dequantized, x, dot.

Usage: pip install gguf numpy && python3 scripts/quant-reference/make_fixtures.py
"""
import base64
import json
import os

import numpy as np
import gguf
from gguf import quants

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TapirInferenceTests", "Fixtures", "quant")
ROWS, COLS = 8, 512


def random_kquant(qt, rng):
    block, size = gguf.GGML_QUANT_SIZES[qt]
    nblocks = ROWS * COLS // block
    raw = rng.integers(0, 256, size=(nblocks, size), dtype=np.uint8)
    f16 = lambda v: np.frombuffer(np.array([v], dtype=np.float16).tobytes(), dtype=np.uint8)
    for b in range(nblocks):
        if qt == gguf.GGMLQuantizationType.Q4_K:
            raw[b, 0:2] = f16(rng.uniform(0.001, 0.02))
            raw[b, 2:4] = f16(rng.uniform(0.001, 0.02))
        else:  # Q6_K: d is the last two bytes
            raw[b, size - 2:size] = f16(rng.uniform(0.0005, 0.005))
    return raw.reshape(ROWS, -1)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(1234)
    for name in ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q6_K"]:
        qt = gguf.GGMLQuantizationType[name]
        if name in ("Q4_K", "Q6_K"):
            raw = random_kquant(qt, rng)
        else:
            w = (rng.standard_normal((ROWS, COLS)) * 0.5).astype(np.float32)
            raw = quants.quantize(w, qt)
        deq = quants.dequantize(raw, qt).astype(np.float32).reshape(ROWS, COLS)
        x = rng.standard_normal(COLS).astype(np.float32)
        dot = deq.astype(np.float64) @ x.astype(np.float64)
        doc = {
            "type": name.lower(),
            "rows": ROWS,
            "columns": COLS,
            "raw": base64.b64encode(np.ascontiguousarray(raw).view(np.uint8).tobytes()).decode(),
            "dequantized": [float(v) for v in deq.reshape(-1)],
            "x": [float(v) for v in x],
            "dot": [float(v) for v in dot],
        }
        with open(os.path.join(OUT, name.lower() + ".json"), "w") as f:
            json.dump(doc, f)
        print(name, "ok", raw.nbytes, "bytes")


if __name__ == "__main__":
    main()
