#!/usr/bin/env python3
"""An independent float32 numpy forward pass of a llama-architecture GGUF (weights
dequantised with the `gguf` package), used to check tapir's model code.

Writes Tests/TapirInferenceTests/Fixtures/forward/<name>.json with the token ids, the
top-1 token at every position and the logits of a few positions.

Usage: python3 scripts/quant-reference/reference_forward.py MODEL.gguf [out.json]
"""
import json
import os
import sys

import numpy as np
import gguf
from gguf import quants


def load(path):
    r = gguf.GGUFReader(path)
    meta = {k: f.contents() for k, f in r.fields.items() if not k.startswith("tokenizer.")}
    w = {}
    for t in r.tensors:
        a = quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        w[t.name] = a.reshape([int(x) for x in reversed(t.shape)]) if a.ndim > 1 else a
    return meta, w


def forward(meta, w, tokens):
    arch = meta["general.architecture"]
    p = arch + "."
    n_layer = meta[p + "block_count"]
    n_head = meta[p + "attention.head_count"]
    n_kv = meta.get(p + "attention.head_count_kv", n_head)
    d = meta[p + "embedding_length"]
    hd = d // n_head
    eps = meta.get(p + "attention.layer_norm_rms_epsilon", 1e-5)
    base = meta.get(p + "rope.freq_base", 10000.0)
    n_rot = meta.get(p + "rope.dimension_count", hd)
    T = len(tokens)
    emb = w["token_embd.weight"]
    x = emb[np.array(tokens)].astype(np.float32)

    def norm(v, g):
        return v / np.sqrt((v * v).mean(-1, keepdims=True) + eps) * g

    pos = np.arange(T)[:, None]
    inv = base ** (-np.arange(0, n_rot, 2) / n_rot)
    ang = pos * inv[None, :]
    cos, sin = np.cos(ang), np.sin(ang)

    def rope(v):  # v: T, heads, hd; adjacent pairs (llama "normal" rope)
        out = v.copy()
        a = v[..., 0:n_rot:2]
        b = v[..., 1:n_rot:2]
        out[..., 0:n_rot:2] = a * cos[:, None, :] - b * sin[:, None, :]
        out[..., 1:n_rot:2] = a * sin[:, None, :] + b * cos[:, None, :]
        return out

    mask = np.triu(np.full((T, T), -np.inf, dtype=np.float32), 1)
    for l in range(n_layer):
        b = f"blk.{l}."
        h = norm(x, w[b + "attn_norm.weight"])
        q = h @ w[b + "attn_q.weight"].T
        k = h @ w[b + "attn_k.weight"].T
        v = h @ w[b + "attn_v.weight"].T
        if b + "attn_q.bias" in w:
            q += w[b + "attn_q.bias"]; k += w[b + "attn_k.bias"]; v += w[b + "attn_v.bias"]
        q = rope(q.reshape(T, n_head, hd))
        k = rope(k.reshape(T, n_kv, hd))
        v = v.reshape(T, n_kv, hd)
        rep = n_head // n_kv
        k = np.repeat(k, rep, axis=1)
        v = np.repeat(v, rep, axis=1)
        s = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd) + mask
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        o = np.einsum("hts,shd->thd", s, v).reshape(T, n_head * hd)
        x = x + o @ w[b + "attn_output.weight"].T
        h = norm(x, w[b + "ffn_norm.weight"])
        g = h @ w[b + "ffn_gate.weight"].T
        u = h @ w[b + "ffn_up.weight"].T
        x = x + ((g / (1 + np.exp(-g))) * u) @ w[b + "ffn_down.weight"].T
    x = norm(x, w["output_norm.weight"])
    out = w.get("output.weight", emb)
    return x @ out.T


def main():
    path = sys.argv[1]
    outp = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "Tests", "TapirInferenceTests", "Fixtures", "forward", "smollm2-numpy.json")
    meta, w = load(path)
    rng = np.random.default_rng(5)
    # A deterministic token sequence: a run of ordinary-vocabulary ids with repetitions, so
    # the model sees patterns it can copy.
    base = rng.integers(300, 20000, size=24).tolist()
    tokens = [1] + base + base[:16] + rng.integers(300, 20000, size=23).tolist()
    logits = forward(meta, w, tokens)
    doc = {
        "model": os.path.basename(path),
        "tokens": tokens,
        "top1": [int(v) for v in logits.argmax(-1)],
        # For a few positions: the 50 highest-scoring ids and their logits.
        "logits_positions": [0, 10, 40, 63],
        "top_ids": [[int(j) for j in np.argsort(-logits[i])[:50]] for i in [0, 10, 40, 63]],
        "top_logits": [[float(logits[i][j]) for j in np.argsort(-logits[i])[:50]] for i in [0, 10, 40, 63]],
    }
    os.makedirs(os.path.dirname(outp), exist_ok=True)
    with open(outp, "w") as f:
        json.dump(doc, f)
    print("wrote", outp, len(tokens), "tokens")


if __name__ == "__main__":
    main()
