#!/usr/bin/env python3
"""Reference data for tapir's tokenizers, chat templates and native SmolLM2 inference.

Independent implementation: llama.cpp through llama-cpp-python (built from source; see
scripts/reference/README.md), plus jinja2 for the chat templates.

Writes into Tests/TapirInferenceTests/Fixtures/reference/:
  smollm2-reference.json   tokenizer ids, teacher-forced top-1 tokens, greedy generations
  vocab-reference.json     tokenizer ids for llama.cpp's vocab-only GGUF files (SentencePiece,
                           llama-bpe, qwen2, gpt-2, starcoder, falcon …)
  chat-templates.json      rendered ChatML / Llama 2 / Llama 3 prompts
"""
import argparse
import hashlib
import json
import os
import sys

import jinja2
import numpy as np

try:
    import llama_cpp
    from llama_cpp import Llama
except ImportError:  # only the chat-template part can run without it
    llama_cpp = None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from texts import CHAT_CONVERSATIONS, GREEDY_PROMPTS, TEACHER_FORCED_TEXTS, TOKENIZER_STRINGS  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TAPIR_HOME = os.environ.get("TAPIR_HOME", os.path.expanduser("~/.cache/tapir"))
N_THREADS = int(os.environ.get("TAPIR_REF_THREADS", "2"))
GREEDY_TOKENS = 64

# Vocab-only GGUF files shipped in llama.cpp's source tree (extracted by fetch-vocabs.sh).
VOCABS = ["llama-spm", "phi-3", "llama-bpe", "qwen2", "gpt-2", "starcoder", "refact", "falcon", "mpt", "command-r"]

# Chat templates of the model families tapir renders natively (as published with the models).
LLAMA2_TEMPLATE = (
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
    "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
    "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
    "{% if loop.index0 == 0 and system_message != false %}"
    "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
    "{% else %}{% set content = message['content'] %}{% endif %}"
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"
)
LLAMA3_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}"
    "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def render(template, messages, add_generation_prompt, bos="", eos=""):
    env = jinja2.Environment(loader=jinja2.BaseLoader(), keep_trailing_newline=True)
    return env.from_string(template).render(
        messages=messages, add_generation_prompt=add_generation_prompt, bos_token=bos, eos_token=eos)


def tokenize(llm, text, add_special, special):
    return [int(t) for t in llm.tokenize(text.encode("utf-8"), add_bos=add_special, special=special)]


def argmax_rows(llm, start, end):
    """Arg-max token (first on ties) and top-1 minus top-2 logit for the logit rows start..<end."""
    scores = np.asarray(llm.scores[start:end], dtype=np.float32)
    best = np.argmax(scores, axis=1)
    top2 = np.partition(scores, -2, axis=1)[:, -2:]
    margins = top2[:, 1] - top2[:, 0]
    return [int(t) for t in best], [round(float(m), 4) for m in margins]


def eog_ids(llm):
    try:
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        ids = {i for i in range(llm.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, i)}
    except Exception as error:  # older bindings
        print(f"eog lookup failed ({error}); using eos only", file=sys.stderr)
        ids = set()
    return sorted(ids | {int(llm.token_eos())})


def smollm2(model_path, out_dir):
    llm = Llama(model_path=model_path, n_ctx=1024, n_batch=512, n_threads=N_THREADS,
                n_threads_batch=N_THREADS, logits_all=True, verbose=False, seed=0)
    metadata = llm.metadata
    chat_template = metadata["tokenizer.chat_template"]
    result = {
        "model": os.path.basename(model_path),
        "sha256": sha256(model_path),
        "generator": f"llama-cpp-python {llama_cpp.__version__} (llama.cpp built from the sdist, CPU, {N_THREADS} threads)",
        "notes": [
            "tokenizer: ids without BOS/EOS (add_special=false) and with special-token parsing off (parse_special=false)",
            "teacher_forced: tokens = tokenize(text, add_special=true, parse_special=true); the model's add_bos flag decides BOS; "
            "top1[i] = argmax of the logits after tokens[0...i]; margin[i] = top1 logit - second logit",
            "greedy: prompt = the model's chat template (jinja2) for one user message with add_generation_prompt, "
            f"tokenized with add_special=true, parse_special=true; generated = {GREEDY_TOKENS} argmax tokens, "
            "temperature 0, no repetition penalty, generation does NOT stop at EOS (eos_ids lists the end tokens)",
        ],
        "eos_ids": eog_ids(llm),
        "tokenizer": [],
        "teacher_forced": [],
        "greedy": [],
    }
    for text in TOKENIZER_STRINGS:
        result["tokenizer"].append({"text": text, "ids": tokenize(llm, text, False, False)})
    for text in [s for s in TOKENIZER_STRINGS if "<" in s] + [TEACHER_FORCED_TEXTS[3]]:
        result.setdefault("tokenizer_special", []).append({"text": text, "ids": tokenize(llm, text, True, True)})

    total = 0
    for text in TEACHER_FORCED_TEXTS:
        tokens = tokenize(llm, text, True, True)
        llm.reset()
        llm.eval(tokens)
        top1, margins = argmax_rows(llm, 0, len(tokens))
        total += len(tokens)
        result["teacher_forced"].append({"text": text, "tokens": tokens, "top1": top1, "margin": margins})
    print(f"teacher-forced tokens: {total}", file=sys.stderr)

    for prompt in GREEDY_PROMPTS:
        rendered = render(chat_template, [{"role": "user", "content": prompt}], True)
        prompt_tokens = tokenize(llm, rendered, True, True)
        llm.reset()
        llm.eval(prompt_tokens)
        generated, margins = [], []
        for _ in range(GREEDY_TOKENS):
            top, margin = argmax_rows(llm, llm.n_tokens - 1, llm.n_tokens)
            token = top[0]
            generated.append(token)
            margins.append(margin[0])
            llm.eval([token])
        text = llm.detokenize(generated).decode("utf-8", errors="replace")
        result["greedy"].append({"prompt": prompt, "rendered": rendered, "prompt_tokens": prompt_tokens,
                                 "generated": generated, "margin": margins, "text": text})
    write(out_dir, "smollm2-reference.json", result)
    return chat_template


def vocabs(vocab_dir, out_dir):
    result = {"generator": f"llama-cpp-python {llama_cpp.__version__}", "vocabs": []}
    for name in VOCABS:
        path = os.path.join(vocab_dir, f"ggml-vocab-{name}.gguf")
        if not os.path.exists(path):
            print(f"skipping missing {path}", file=sys.stderr)
            continue
        llm = Llama(model_path=path, vocab_only=True, verbose=False)
        md = llm.metadata
        entry = {"name": name, "file": os.path.basename(path), "sha256": sha256(path),
                 "model": md.get("tokenizer.ggml.model"), "pre": md.get("tokenizer.ggml.pre"), "cases": []}
        for text in TOKENIZER_STRINGS:
            entry["cases"].append({"text": text, "ids": tokenize(llm, text, False, False),
                                   "ids_special": tokenize(llm, text, True, True)})
        result["vocabs"].append(entry)
        del llm
    write(out_dir, "vocab-reference.json", result)


def chat_templates(smollm_template, out_dir):
    families = [
        {"family": "chatml", "source": "SmolLM2-135M-Instruct GGUF tokenizer.chat_template", "template": smollm_template,
         "bos": "", "eos": "", "strip_prefix": ""},
        {"family": "llama2", "source": "Llama-2-chat template (bos <s>, eos </s>)", "template": LLAMA2_TEMPLATE,
         "bos": "<s>", "eos": "</s>", "strip_prefix": "<s>"},
        {"family": "llama3", "source": "Meta-Llama-3-Instruct template (bos <|begin_of_text|>)", "template": LLAMA3_TEMPLATE,
         "bos": "<|begin_of_text|>", "eos": "<|eot_id|>", "strip_prefix": "<|begin_of_text|>"},
    ]
    result = {"notes": "rendered with jinja2; strip_prefix (the leading BOS text) is removed, "
                       "since the tokenizer adds BOS itself", "families": []}
    for fam in families:
        cases = []
        for messages in CHAT_CONVERSATIONS:
            for agp in (True, False):
                if fam["family"] == "llama2" and agp and messages[-1]["role"] != "user":
                    continue
                text = render(fam["template"], messages, agp, fam["bos"], fam["eos"])
                if fam["strip_prefix"] and text.startswith(fam["strip_prefix"]):
                    text = text[len(fam["strip_prefix"]):]
                cases.append({"messages": messages, "add_generation_prompt": agp, "expected": text})
        result["families"].append({"family": fam["family"], "source": fam["source"],
                                   "template": fam["template"], "cases": cases})
    write(out_dir, "chat-templates.json", result)


def write(out_dir, name, data):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(TAPIR_HOME, "SmolLM2-135M-Instruct.Q4_1.gguf"))
    p.add_argument("--vocab-dir", default=os.path.join(TAPIR_HOME, "vocab"))
    p.add_argument("--out", default=os.path.join(REPO, "Tests", "TapirInferenceTests", "Fixtures", "reference"))
    p.add_argument("--only", choices=["smollm2", "vocab", "chat"], action="append")
    args = p.parse_args()
    only = set(args.only or ["smollm2", "vocab", "chat"])
    template = None
    if "smollm2" in only:
        template = smollm2(args.model, args.out)
    if "vocab" in only:
        vocabs(args.vocab_dir, args.out)
    if "chat" in only:
        if template is None:
            from gguf import GGUFReader  # reads the template text only
            field = GGUFReader(args.model).fields["tokenizer.chat_template"]
            template = bytes(field.parts[field.data[0]]).decode("utf-8")
        chat_templates(template, args.out)


if __name__ == "__main__":
    main()
