#!/usr/bin/env python3
"""The Python side of scripts/bench/llm-client.sh: N chat completions at a fixed
concurrency with the `openai` SDK's AsyncOpenAI. Prints one JSON line like tapir-llm-bench."""
import argparse
import asyncio
import json
import resource
import time

from openai import AsyncOpenAI


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--model", default="bench-model")
    args = parser.parse_args()

    client = AsyncOpenAI(base_url=args.base_url, api_key="sk-bench-not-a-secret", max_retries=0, timeout=30)
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Say hello."},
    ]

    async def call() -> None:
        await client.chat.completions.create(model=args.model, messages=messages, temperature=0, max_tokens=16)

    await call()  # warm-up, as on the tapir side

    remaining = args.requests
    failures = 0

    async def worker() -> None:
        nonlocal remaining, failures
        while remaining > 0:
            remaining -= 1
            try:
                await call()
            except Exception:
                failures += 1

    cpu_start = cpu_seconds()
    wall_start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    seconds = time.perf_counter() - wall_start
    cpu = cpu_seconds() - cpu_start
    await client.close()
    print(json.dumps({
        "client": "openai-python",
        "requests": args.requests,
        "failures": failures,
        "concurrency": args.concurrency,
        "seconds": round(seconds, 3),
        "rps": round(args.requests / seconds, 1),
        "cpu_seconds": round(cpu, 3),
    }))


if __name__ == "__main__":
    asyncio.run(main())
