#!/usr/bin/env python3
"""Writes Tests/TapirInferenceTests/Fixtures/quant/q8_k.json: activation rows and their
`Q8_K` quantisation (blocks of 256: int8 quants, Float scale d, sums of each run of 16),
computed here in numpy from the algorithm of ggml's quantize_row_q8_K_ref (the first element
of largest magnitude m sets iscale = -127/m; q = min(127, round-half-even(iscale * x));
d = 1/iscale; an all-zero block gives d = 0).

  python3 scripts/reference/make_q8k_reference.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TapirInferenceTests", "Fixtures", "quant", "q8_k.json")
COLS = 512


def quantize_block(x):
    x = x.astype(np.float32)
    amax_index = int(np.argmax(np.abs(x)))  # first index of the largest magnitude
    mx = x[amax_index]
    if mx == 0:
        return [0] * 256, 0.0, [0] * 16
    iscale = np.float32(-127.0) / mx
    v = np.rint((iscale * x).astype(np.float32)).astype(np.int32)  # rint: half to even
    q = np.minimum(127, v)
    bsums = [int(q[16 * i:16 * i + 16].sum()) for i in range(16)]
    d = np.float32(1.0) / iscale
    return [int(t) for t in q], float(d), bsums


def main():
    rng = np.random.default_rng(2026)
    rows = [rng.standard_normal(COLS).astype(np.float32),
            (rng.standard_normal(COLS) * 40).astype(np.float32),
            np.concatenate([np.zeros(256, np.float32), rng.standard_normal(256).astype(np.float32) * 1e-3])]
    # A block whose largest magnitude is negative and one with a value exactly on a rounding tie.
    rows[1][10] = -500.0
    rows[0][300] = 127.0 * 4
    rows[0][301] = 0.5 * 4
    out = {"columns": COLS, "x": [], "qs": [], "d": [], "bsums": []}
    for x in rows:
        qs, ds, sums = [], [], []
        for b in range(COLS // 256):
            q, d, s = quantize_block(x[256 * b:256 * b + 256])
            qs += q
            ds.append(d)
            sums += s
        out["x"].append([float(v) for v in x])
        out["qs"].append(qs)
        out["d"].append(ds)
        out["bsums"].append(sums)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
