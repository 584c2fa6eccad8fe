#!/usr/bin/env python3
"""Small helpers shared by the example trainer commands (standard library only).

tapir substitutes {data}, {data_dir}, {round}, {base}, {output} and {workspace} into
`trainer.command`; these subcommands turn those values into what each trainer expects:

  base BASE                       print a model that Hugging Face tools can load
  dataset DATA_DIR DATA ROUND     print the dataset_info.json entry name of the round's file
  messages DATA OUT               write the Alpaca JSON file DATA as chat "messages" JSONL
  render TEMPLATE OUT KEY=VALUE…  copy a text template, replacing {KEY} with VALUE
  gguf CHECKPOINT [OUTTYPE]       convert a saved Hugging Face checkpoint to CHECKPOINT/model.gguf

Errors go to stderr with what to do, and the exit status is non-zero.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_HF_BASE = "HuggingFaceTB/SmolLM2-135M-Instruct"


def fail(message: str) -> None:
    print(f"tapir_trainer_util: {message}", file=sys.stderr)
    sys.exit(2)


def is_hf_checkpoint(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file()


def resolve_base(base: str) -> str:
    """The checkpoint to fine-tune from.

    - a folder with config.json: that folder (a previous round's output);
    - a .gguf file next to a config.json: that folder (tapir's student_after of a previous
      round points at {output}/model.gguf, converted from the checkpoint beside it);
    - anything else (the original native GGUF, an endpoint, empty): $TAPIR_HF_BASE, else the
      Hugging Face release of the default student.
    """
    path = Path(base).expanduser() if base else None
    if path is not None:
        if is_hf_checkpoint(path):
            return str(path)
        if path.suffix == ".gguf" and is_hf_checkpoint(path.parent):
            return str(path.parent)
    return os.environ.get("TAPIR_HF_BASE") or DEFAULT_HF_BASE


def dataset_name(data_dir: str, data: str, round_: str) -> str:
    """The dataset_info.json entry for the round's training file.

    Prefers `tapir_round_<round>`, then `tapir_round_<round>_alpaca`, then any entry whose
    file_name is the round's training file.
    """
    info_path = Path(data_dir) / "dataset_info.json"
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"cannot read {info_path}: {error.strerror}; is {{data_dir}} the round's export folder?")
    except json.JSONDecodeError as error:
        fail(f"{info_path}:{error.lineno}: invalid JSON ({error.msg})")
    for name in (f"tapir_round_{round_}", f"tapir_round_{round_}_alpaca"):
        if name in info:
            return name
    wanted = Path(data).name
    for name, entry in info.items():
        if isinstance(entry, dict) and entry.get("file_name") == wanted:
            return name
    fail(f"{info_path} has no entry for round {round_} or file {wanted}; entries: {', '.join(info) or 'none'}")
    return ""


def load_alpaca(data: str) -> list[dict]:
    """Records of an Alpaca JSON array (or JSON lines), checked for the three text fields."""
    text = Path(data).read_text(encoding="utf-8")
    try:
        records = json.loads(text)
    except json.JSONDecodeError:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not isinstance(records, list):
        fail(f"{data}: expected a JSON array of {{instruction, input, output}} objects")
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("instruction"), str) \
                or not isinstance(record.get("output"), str):
            fail(f"{data}: record {index} lacks a string instruction or output")
    return records


def prompt_of(record: dict) -> str:
    """The user turn: the instruction, then the input (if any) after a blank line."""
    extra = record.get("input") or ""
    return record["instruction"] + ("\n\n" + extra if extra.strip() else "")


def write_messages(data: str, out: str) -> int:
    records = load_alpaca(data)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for record in records:
            messages = []
            if record.get("system"):
                messages.append({"role": "system", "content": record["system"]})
            messages.append({"role": "user", "content": prompt_of(record)})
            messages.append({"role": "assistant", "content": record["output"]})
            handle.write(json.dumps({"messages": messages}, ensure_ascii=False) + "\n")
    return len(records)


def render(template: str, out: str, pairs: list[str]) -> None:
    text = Path(template).read_text(encoding="utf-8")
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            fail(f"render: expected KEY=VALUE, got {pair!r}")
        text = text.replace("{" + key + "}", value)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")


def convert_to_gguf(checkpoint: str, outtype: str = "q8_0") -> str:
    """Run llama.cpp's convert_hf_to_gguf.py (found via $LLAMA_CPP_DIR) on the checkpoint."""
    llama_dir = os.environ.get("LLAMA_CPP_DIR")
    if not llama_dir:
        fail("LLAMA_CPP_DIR is not set: point it at a llama.cpp source tree (it holds convert_hf_to_gguf.py)")
    script = Path(llama_dir) / "convert_hf_to_gguf.py"
    if not script.is_file():
        fail(f"{script} not found: LLAMA_CPP_DIR must be the root of a llama.cpp source tree")
    target = Path(checkpoint) / "model.gguf"
    command = [sys.executable, str(script), str(checkpoint), "--outfile", str(target), "--outtype", outtype]
    result = subprocess.run(command)
    if result.returncode != 0:
        fail(f"convert_hf_to_gguf.py exited with {result.returncode}")
    print(json.dumps({"event": "gguf", "path": str(target), "outtype": outtype}), flush=True)
    return str(target)


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(argv) >= 2 else 2)
    command, args = argv[1], argv[2:]
    if command == "base" and len(args) == 1:
        print(resolve_base(args[0]))
    elif command == "dataset" and len(args) == 3:
        print(dataset_name(*args))
    elif command == "messages" and len(args) == 2:
        count = write_messages(*args)
        print(json.dumps({"event": "messages", "path": args[1], "records": count}), flush=True)
    elif command == "render" and len(args) >= 2:
        render(args[0], args[1], args[2:])
    elif command == "gguf" and len(args) in (1, 2):
        convert_to_gguf(*args)
    else:
        fail(f"bad arguments for {command!r}; run with --help")


if __name__ == "__main__":
    main(sys.argv)
