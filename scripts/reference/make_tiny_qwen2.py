#!/usr/bin/env python3
"""Writes a tiny random `qwen2` GGUF and llama.cpp's outputs on it (reference for tapir).

  python3 scripts/reference/make_tiny_qwen2.py [STEM ...]

writes Tests/TapirInferenceTests/Fixtures/tiny/qwen2-tiny.gguf (seeded, ~120 KB: 2 layers,
hidden 64, 4 heads, 2 KV heads, FFN 128, non-zero q/k/v biases, separate output matrix, a
mix of F32/Q8_0/Q4_1 weights, a byte-level BPE vocab with a few merges and ChatML control
tokens), the same with Q4_0 and F16 matrices mixed in (qwen2-tiny-q4_0-f16.gguf) and with
every matrix BF16 (qwen2-tiny-bf16.gguf, ~220 KB), with an F16 output matrix of 274 rows
(qwen2-tiny-f16-output.gguf), and for each Tests/TapirInferenceTests/Fixtures/reference/<name>-reference.json
(llama.cpp through llama-cpp-python: every position's logits for a few token sequences,
16-token greedy continuations, tokenizer ids).
"""
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q
import gguf.quants

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "TapirInferenceTests", "Fixtures")

LAYERS, HIDDEN, HEADS, KV_HEADS, FFN, CONTEXT = 2, 64, 4, 2, 128, 128
HEAD_DIM = HIDDEN // HEADS
ROPE_BASE, RMS_EPS = 1_000_000.0, 1e-6

# Merges in GPT-2's byte-to-unicode alphabet ("Ġ" is the space byte); each result is a token.
MERGES = ["Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r", "o n", "Ġa n", "r e", "Ġ s",
          "i s", "Ġ w", "o r", "Ġ i", "Ġi s"]
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
          " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")


def byte_alphabet():
    """GPT-2's bytes_to_unicode, in byte order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    mapping, n = {}, 0
    for b in range(256):
        if b in printable:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + n)
            n += 1
    return [mapping[b] for b in range(256)]


def vocab():
    tokens = byte_alphabet()
    for m in MERGES:
        a, b = m.split(" ")
        assert a in tokens and b in tokens, m
        tokens.append(a + b)
    types = [1] * len(tokens) + [3] * len(SPECIALS)  # 1 normal, 3 control
    return tokens + SPECIALS, types


# Weight types per matrix, per variant (file stem -> types). "qwen2-tiny" uses the kernels
# tapir reproduces bit for bit (F32, Q8_0, Q4_1); "qwen2-tiny-q4_0-f16" adds Q4_0 and F16
# matrices, where tapir's arithmetic differs from llama.cpp's (see scripts/reference/README.md).
VARIANTS = {
    "qwen2-tiny": {
        "token_embd": Q.Q8_0, "output": Q.Q4_1,
        0: {"attn_q": Q.Q4_1, "attn_k": Q.Q8_0, "attn_v": Q.F32, "attn_output": Q.Q8_0,
            "ffn_gate": Q.Q4_1, "ffn_up": Q.Q8_0, "ffn_down": Q.Q4_1},
        1: {"attn_q": Q.Q8_0, "attn_k": Q.Q4_1, "attn_v": Q.Q8_0, "attn_output": Q.Q4_1,
            "ffn_gate": Q.F32, "ffn_up": Q.Q4_1, "ffn_down": Q.Q8_0},
    },
    "qwen2-tiny-q4_0-f16": {
        "token_embd": Q.Q8_0, "output": Q.Q4_1,
        0: {"attn_q": Q.Q4_0, "attn_k": Q.Q4_1, "attn_v": Q.Q8_0, "attn_output": Q.F16,
            "ffn_gate": Q.Q4_1, "ffn_up": Q.Q4_0, "ffn_down": Q.Q8_0},
        1: {"attn_q": Q.F16, "attn_k": Q.F32, "attn_v": Q.Q4_0, "attn_output": Q.Q4_1,
            "ffn_gate": Q.Q8_0, "ffn_up": Q.F16, "ffn_down": Q.Q4_0},
    },
    # As "qwen2-tiny" with an F16 output matrix: its 274 rows are not a multiple of 4, so
    # llama.cpp multiplies batches in the one-token F16 order instead of tinyBLAS's GEMM.
    "qwen2-tiny-f16-output": {
        "token_embd": Q.Q8_0, "output": Q.F16,
        0: {"attn_q": Q.Q4_1, "attn_k": Q.Q8_0, "attn_v": Q.F32, "attn_output": Q.Q8_0,
            "ffn_gate": Q.Q4_1, "ffn_up": Q.Q8_0, "ffn_down": Q.Q4_1},
        1: {"attn_q": Q.Q8_0, "attn_k": Q.Q4_1, "attn_v": Q.Q8_0, "attn_output": Q.Q4_1,
            "ffn_gate": Q.F32, "ffn_up": Q.Q4_1, "ffn_down": Q.Q8_0},
    },
    # Every matrix BF16 (llama.cpp rounds the activations to BF16 and uses AVX512-BF16 dot
    # products where the CPU has them; tapir follows that order).
    "qwen2-tiny-bf16": {
        "token_embd": Q.BF16, "output": Q.BF16,
        **{i: {m: Q.BF16 for m in ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")}
           for i in range(LAYERS)},
    },
}


def write_gguf(path, TYPES):
    rng = np.random.default_rng(20261122)
    tokens, types = vocab()
    n_vocab = len(tokens)
    w = gguf.GGUFWriter(path, "qwen2")
    w.add_name("tapir tiny qwen2 (random weights)")
    w.add_block_count(LAYERS)
    w.add_context_length(CONTEXT)
    w.add_embedding_length(HIDDEN)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_freq_base(ROPE_BASE)
    w.add_layer_norm_rms_eps(RMS_EPS)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_BF16 if TYPES["output"] == Q.BF16 else gguf.LlamaFileType.MOSTLY_Q8_0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(MERGES)
    eot = tokens.index("<|endoftext|>")
    w.add_bos_token_id(eot)
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_pad_token_id(eot)
    w.add_add_bos_token(False)
    w.add_chat_template(CHATML)

    def matrix(name, rows, cols, qtype, scale):
        data = (rng.standard_normal((rows, cols)) * scale).astype(np.float32)
        if qtype == Q.F32:
            w.add_tensor(name, data)
        elif qtype == Q.F16:
            w.add_tensor(name, data.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)

    def vector(name, n, mean, scale):
        w.add_tensor(name, (mean + rng.standard_normal(n) * scale).astype(np.float32))

    kv = KV_HEADS * HEAD_DIM
    matrix("token_embd.weight", n_vocab, HIDDEN, TYPES["token_embd"], 1.0)
    vector("output_norm.weight", HIDDEN, 1.0, 0.1)
    matrix("output.weight", n_vocab, HIDDEN, TYPES["output"], 0.5)
    for i in range(LAYERS):
        t, p = TYPES[i], f"blk.{i}."
        vector(p + "attn_norm.weight", HIDDEN, 1.0, 0.1)
        matrix(p + "attn_q.weight", HIDDEN, HIDDEN, t["attn_q"], 0.25)
        vector(p + "attn_q.bias", HIDDEN, 0.0, 0.5)
        matrix(p + "attn_k.weight", kv, HIDDEN, t["attn_k"], 0.25)
        vector(p + "attn_k.bias", kv, 0.0, 0.5)
        matrix(p + "attn_v.weight", kv, HIDDEN, t["attn_v"], 0.25)
        vector(p + "attn_v.bias", kv, 0.0, 0.5)
        matrix(p + "attn_output.weight", HIDDEN, HIDDEN, t["attn_output"], 0.15)
        vector(p + "ffn_norm.weight", HIDDEN, 1.0, 0.1)
        matrix(p + "ffn_gate.weight", FFN, HIDDEN, t["ffn_gate"], 0.2)
        matrix(p + "ffn_up.weight", FFN, HIDDEN, t["ffn_up"], 0.2)
        matrix(p + "ffn_down.weight", HIDDEN, FFN, t["ffn_down"], 0.15)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return n_vocab


def f32(x):
    """A float32 as the shortest decimal that reads back to the same float32."""
    return float(np.format_float_positional(np.float32(x), unique=True))


def reference(path, n_vocab):
    from llama_cpp import Llama
    llm = Llama(model_path=path, n_ctx=CONTEXT, logits_all=True, n_threads=2, flash_attn=False, verbose=False)
    assert llm.n_vocab() == n_vocab
    rng = np.random.default_rng(7)
    sequences = [[int(t) for t in rng.integers(0, n_vocab, n)] for n in (1, 6, 19, 48)]
    text = "<|im_start|>user\nthe cat is in the garden, and there were 42 ones<|im_end|>\n"
    sequences.append(llm.tokenize(text.encode(), add_bos=False, special=True))

    forced = []
    for seq in sequences:
        llm.reset()
        llm.eval(seq)
        scores = np.asarray(llm.scores[: len(seq)], dtype=np.float32)
        forced.append({"tokens": seq,
                       "argmax": [int(i) for i in scores.argmax(axis=1)],
                       "logits": [[f32(x) for x in row] for row in scores]})

    greedy = []
    for seq in sequences[1:]:
        llm.reset()
        llm.eval(seq)
        out = []
        for _ in range(16):
            nxt = int(np.argmax(llm.scores[llm.n_tokens - 1]))
            out.append(nxt)
            llm.eval([nxt])
        greedy.append({"prompt_tokens": seq, "generated": out})

    tok_texts = ["the theater is on there", "Hello, world! 12345   spaces\n\ttabs",
                 "<|im_start|>system\nan answer<|im_end|>", "héllo ünïcödé 日本語 🙂"]
    tokenizer = [{"text": t, "ids": llm.tokenize(t.encode(), add_bos=False, special=True)} for t in tok_texts]
    return {"source": "llama.cpp via llama-cpp-python 0.3.36 (scripts/reference/make_tiny_qwen2.py)",
            "n_vocab": n_vocab, "teacher_forced": forced, "greedy": greedy, "tokenizer": tokenizer}


def main():
    """Writes every variant, or only the stems named as arguments (e.g. qwen2-tiny-bf16)."""
    os.makedirs(os.path.join(FIXTURES, "tiny"), exist_ok=True)
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    for stem, types in VARIANTS.items():
        if only and stem not in only:
            continue
        gguf_path = os.path.join(FIXTURES, "tiny", stem + ".gguf")
        ref_path = os.path.join(FIXTURES, "reference", stem + "-reference.json")
        n_vocab = write_gguf(gguf_path, types)
        print(f"{gguf_path}: {os.path.getsize(gguf_path)} bytes, vocab {n_vocab}")
        if "--gguf-only" in sys.argv:
            continue
        ref = reference(gguf_path, n_vocab)
        with open(ref_path, "w") as f:
            json.dump(ref, f, separators=(",", ":"))
            f.write("\n")
        print(f"{ref_path}: {os.path.getsize(ref_path)} bytes")


if __name__ == "__main__":
    main()
