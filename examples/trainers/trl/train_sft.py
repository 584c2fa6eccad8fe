#!/usr/bin/env python3
"""Supervised fine-tuning of the tapir student with TRL's SFTTrainer.

Reads the round's Alpaca JSON ({data}), fine-tunes the current student ({base}) on the
responses only (prompt tokens are masked), saves a Hugging Face checkpoint to {output} and,
with --gguf, converts it to {output}/model.gguf for tapir's native inference.

Loss is printed to stdout as one JSON object per logging step, e.g.
  {"round": 2, "step": 10, "epoch": 0.5, "loss": 1.234, "learning_rate": 1.9e-05}
which tapir's train stage parses into the loss series. Runs unchanged under torchrun
(only rank 0 prints and converts).

  python train_sft.py --data {data} --base {base} --output {output} --round {round} --gguf
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import sys
from pathlib import Path

import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from transformers.trainer_callback import PrinterCallback, ProgressCallback
from trl import SFTConfig, SFTTrainer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import tapir_trainer_util as util  # noqa: E402  (shared helper one folder up)


class JSONLossPrinter(TrainerCallback):
    """Prints each log that carries a training loss as one JSON line on stdout."""

    def __init__(self, round_: int):
        self.round = round_

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs or "loss" not in logs:
            return
        line = {"round": self.round, "step": state.global_step, "epoch": round(state.epoch or 0.0, 4)}
        for key in ("loss", "learning_rate", "grad_norm"):
            value = logs.get(key)
            if isinstance(value, (int, float)) and math.isfinite(value):
                line[key] = value
        print(json.dumps(line), flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="round training file, Alpaca JSON ({data})")
    parser.add_argument("--base", default="", help="current student ({base}): checkpoint folder, .gguf or hub id")
    parser.add_argument("--output", required=True, help="folder for the new checkpoint ({output})")
    parser.add_argument("--round", type=int, default=0, help="curriculum round ({round}), only for the log lines")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--learning-rate", type=float, default=2e-5)
    parser.add_argument("--batch-size", type=int, default=4, help="per device")
    parser.add_argument("--grad-accum", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=1024, help="tokens per example (longer ones are cut)")
    parser.add_argument("--logging-steps", type=int, default=5)
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many optimiser steps (smoke tests)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--gguf", action="store_true", help="also write {output}/model.gguf (needs $LLAMA_CPP_DIR)")
    parser.add_argument("--gguf-type", default="q8_0", help="llama.cpp outtype: f32, f16, bf16 or q8_0")
    return parser.parse_args(argv)


def load_student(base: str):
    """Model and tokenizer from a checkpoint folder, a hub id, or a GGUF file (dequantised)."""
    path = Path(base).expanduser() if base else None
    model_kwargs = {}
    if path is not None and path.suffix == ".gguf" and path.is_file() and not util.is_hf_checkpoint(path.parent):
        # transformers reads llama/qwen2 GGUF files directly; ask for plain dense float weights.
        kwargs = {"gguf_file": path.name}
        source = str(path.parent)
        try:
            from transformers.utils.quantization_config import GgufConfig
            if "dequantize" in inspect.signature(GgufConfig.__init__).parameters:
                model_kwargs["quantization_config"] = GgufConfig(dequantize=True)
        except ImportError:
            pass  # older transformers always dequantise GGUF weights
    else:
        kwargs = {}
        source = util.resolve_base(base)
    model_kwargs = dict(model_kwargs, **kwargs)
    tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
    dtype = torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32
    model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, **model_kwargs)
    quantizer = getattr(model, "hf_quantizer", None)
    if quantizer is not None and kwargs:
        quantizer.remove_quantization_config(model)  # weights are dense now; let the Trainer train them
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if not tokenizer.chat_template:
        raise SystemExit(f"train_sft.py: {source} has no chat template; pick an instruct model as base")
    return model, tokenizer, source


def build_dataset(data: str) -> Dataset:
    """Conversational prompt/completion pairs, so the loss covers only the response."""
    rows = []
    for record in util.load_alpaca(data):
        prompt = [{"role": "user", "content": util.prompt_of(record)}]
        if record.get("system"):
            prompt.insert(0, {"role": "system", "content": record["system"]})
        rows.append({"prompt": prompt, "completion": [{"role": "assistant", "content": record["output"]}]})
    if not rows:
        raise SystemExit(f"train_sft.py: {data} holds no records")
    return Dataset.from_list(rows)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    model, tokenizer, source = load_student(args.base)
    dataset = build_dataset(args.data)
    rank0 = int(os.environ.get("RANK", "0")) == 0
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if rank0:
        print(json.dumps({"event": "start", "round": args.round, "base": source, "examples": len(dataset)}), flush=True)

    config = SFTConfig(
        output_dir=str(output),
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        max_length=args.max_length,
        completion_only_loss=True,
        logging_steps=args.logging_steps,
        logging_first_step=True,
        save_strategy="no",            # one final checkpoint, written below
        report_to="none",
        disable_tqdm=True,
        bf16=model.dtype == torch.bfloat16,
        seed=args.seed,
        # Under torchrun without GPUs (CPU smoke tests), use gloo; with GPUs the default is NCCL.
        ddp_backend="gloo" if world_size > 1 and not torch.cuda.is_available() else None,
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                         callbacks=[JSONLossPrinter(args.round)])
    # The JSON lines above replace the default dict prints, so every loss is reported once.
    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    result = trainer.train()

    trainer.save_model(str(output))
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(str(output))
        print(json.dumps({"event": "saved", "round": args.round, "path": str(output),
                          "train_loss": result.training_loss, "steps": result.global_step}), flush=True)
        if args.gguf:
            util.convert_to_gguf(str(output), args.gguf_type)


if __name__ == "__main__":
    main(sys.argv[1:])
