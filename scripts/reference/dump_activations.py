#!/usr/bin/env python3
"""Dumps llama.cpp's intermediate tensors for one token sequence (diagnostics for tapir's
native inference agreement; see README, "Native inference agreement").

Runs the model through llama-cpp-python's low-level API with an eval callback (same context
settings as make_reference.py: F16 KV cache, flash attention off) and writes every named F32
tensor of the graph to an .npz file, keyed by tensor name ("attn_norm-0", "kq_soft_max-3",
"result_output" ...), each with ggml's dimension order reversed (numpy row-major).
Tensors of the single-token steps given with --then carry the suffix "@step".

With --fingerprints, writes instead the fixture Tests/TapirInferenceTests/Fixtures/reference/
smollm2-activations.json: for a chat prompt evaluated in one batch, then three single-token
steps, a fingerprint of every per-layer tensor tapir taps (see ActivationAgreementTests).

  python3 scripts/reference/dump_activations.py --tokens 1,504,3 --out /tmp/ref.npz
  python3 scripts/reference/dump_activations.py --fingerprints
"""
import argparse
import ctypes
import json
import os

import numpy as np
import llama_cpp

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TAPIR_HOME = os.environ.get("TAPIR_HOME", os.path.expanduser("~/.cache/tapir"))
GGML_TYPE_F32, GGML_TYPE_F16 = 0, 1
# The tensors tapir's forward pass taps, per layer, in graph order.
LAYER_TENSORS = ["attn_norm", "Qcur", "Kcur", "Vcur", "kqv_out", "attn_out", "ffn_inp",
                 "ffn_norm", "ffn_gate", "ffn_up", "ffn_swiglu", "l_out"]
# SmolLM2's chat template around "What is the capital of France?", then three greedy tokens.
FINGERPRINT_PROMPT = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407,
                      19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]
FINGERPRINT_THEN = [60, 23, 39614]


def fingerprint(values):
    """Σ bits(v_i) × (2i + 1) mod 2^64 over the Float32 bit patterns: any single changed bit
    changes it. Hex string."""
    bits = np.ascontiguousarray(values, dtype=np.float32).reshape(-1).view(np.uint32).astype(np.uint64)
    weights = np.arange(bits.size, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):
        return f"{int(np.sum(bits * weights, dtype=np.uint64)):016x}"


class GGMLTensor(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("buffer", ctypes.c_void_p),
        ("ne", ctypes.c_int64 * 4),
        ("nb", ctypes.c_size_t * 4),
        ("op", ctypes.c_int),
        ("op_params", ctypes.c_int32 * 16),
        ("flags", ctypes.c_int32),
        ("src", ctypes.c_void_p * 10),
        ("view_src", ctypes.c_void_p),
        ("view_offs", ctypes.c_size_t),
        ("data", ctypes.c_void_p),
        ("name", ctypes.c_char * 64),
        ("extra", ctypes.c_void_p),
        ("padding", ctypes.c_char * 8),
    ]


def read_tensor(t):
    ne = [t.ne[i] for i in range(4)]
    nb = [t.nb[i] for i in range(4)]
    if t.type == GGML_TYPE_F32:
        dtype, size = np.float32, 4
    elif t.type == GGML_TYPE_F16:
        dtype, size = np.float16, 2
    else:
        return None
    span = sum((ne[i] - 1) * nb[i] for i in range(4)) + size
    raw = (ctypes.c_char * span).from_address(t.data)
    buf = np.frombuffer(raw, dtype=np.uint8)
    arr = np.lib.stride_tricks.as_strided(
        buf.view(dtype) if nb[0] == size and span % size == 0 else buf,
        shape=ne[::-1], strides=nb[::-1])
    return np.array(arr, dtype=np.float32)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(TAPIR_HOME, "SmolLM2-135M-Instruct.Q4_1.gguf"))
    p.add_argument("--tokens", default="", help="comma-separated token ids, evaluated in one batch")
    p.add_argument("--then", default="", help="comma-separated ids evaluated afterwards one at a time")
    p.add_argument("--out", help="the .npz to write")
    p.add_argument("--fingerprints", action="store_true", help="write the activation fixture instead")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    tokens = [int(x) for x in args.tokens.split(",") if x]
    then = [int(x) for x in args.then.split(",") if x]
    if args.fingerprints:
        tokens, then = FINGERPRINT_PROMPT, FINGERPRINT_THEN
    elif not tokens or not args.out:
        p.error("--tokens and --out are required without --fingerprints")

    llama_cpp.llama_backend_init()
    mparams = llama_cpp.llama_model_default_params()
    model = llama_cpp.llama_model_load_from_file(args.model.encode(), mparams)
    dumps = {}
    step = [0]

    def callback(tensor, ask, _user):
        t = GGMLTensor.from_address(tensor)
        name = t.name.decode(errors="replace")
        if ask:
            return True
        a = read_tensor(t)
        if a is not None and name:
            key = name if step[0] == 0 else f"{name}@{step[0]}"
            dumps[key] = a
        return True

    cb = llama_cpp.ggml_backend_sched_eval_callback(callback)
    cparams = llama_cpp.llama_context_default_params()
    cparams.n_ctx = 1024
    cparams.n_batch = 512
    cparams.n_ubatch = 512
    cparams.n_threads = args.threads
    cparams.n_threads_batch = args.threads
    cparams.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
    cparams.cb_eval = cb
    cparams.cb_eval_user_data = None
    ctx = llama_cpp.llama_init_from_model(model, cparams)

    def decode(ids, start):
        batch = llama_cpp.llama_batch_init(len(ids), 0, 1)
        batch.n_tokens = len(ids)
        for i, tok in enumerate(ids):
            batch.token[i] = tok
            batch.pos[i] = start + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = True
        rc = llama_cpp.llama_decode(ctx, batch)
        assert rc == 0, rc
        n_vocab = llama_cpp.llama_vocab_n_tokens(llama_cpp.llama_model_get_vocab(model))
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits(ctx), shape=(len(ids) * n_vocab,)).copy()
        llama_cpp.llama_batch_free(batch)
        return logits.reshape(len(ids), n_vocab)

    dumps["logits"] = decode(tokens, 0)
    for i, tok in enumerate(then):
        step[0] = i + 1
        dumps[f"logits@{i + 1}"] = decode([tok], len(tokens) + i)
    if not args.fingerprints:
        np.savez(args.out, **dumps)
        print(f"wrote {args.out}: {len(dumps)} tensors")
        return
    n_layer = llama_cpp.llama_model_n_layer(model)
    steps = []
    for step in range(len(then) + 1):
        suffix = "" if step == 0 else f"@{step}"
        layers = [{name: fingerprint(dumps[f"{name}-{il}{suffix}"]) for name in LAYER_TENSORS} for il in range(n_layer)]
        steps.append({"tokens": tokens if step == 0 else [then[step - 1]], "layers": layers,
                      "result_norm": fingerprint(dumps["result_norm" + suffix]),
                      "logits": fingerprint(dumps["logits" + suffix])})
    out = os.path.join(REPO, "Tests", "TapirInferenceTests", "Fixtures", "reference", "smollm2-activations.json")
    result = {
        "generator": f"scripts/reference/dump_activations.py --fingerprints, llama-cpp-python {llama_cpp.__version__} "
                     f"(CPU, {args.threads} threads, F16 KV cache, flash attention off)",
        "fingerprint": "sum over i of float32_bits(v[i]) * (2i+1) mod 2^64, hex; v row-major (token, then feature)",
        "steps": steps,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
