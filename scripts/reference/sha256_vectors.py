#!/usr/bin/env python3
"""Prints SHA-256 reference digests (Python's hashlib) for Tests/TapirLLMTests/SHA256Tests.swift."""
import hashlib

INPUTS = [
    "",
    "abc",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "a" * 55,
    "a" * 56,
    "a" * 64,
    "a" * 1000,
    "température – 温度 – 🌡️",
]

for text in INPUTS:
    label = repr(text) if len(text) < 60 else f"'a' * {len(text)}"
    print(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {label}")
