#!/usr/bin/env python3
"""Independent reference values for TapirCore tests (Python standard library only).

Run: python3 scripts/reference/core_reference.py
Prints the values the Swift tests compare against: SHA-256 digests at padding edges
(hashlib) and ROUGE-L / LCS / n-gram Jaccard values (plain dynamic programming).
"""
import hashlib


def sha256_edges():
    for n in (55, 56, 64):
        print(f"sha256('x'*{n}) = {hashlib.sha256(b'x' * n).hexdigest()}")


def lcs(a, b):
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            rows[i][j] = rows[i - 1][j - 1] + 1 if x == y else max(rows[i - 1][j], rows[i][j - 1])
    return rows[-1][-1]


def rouge_l(candidate, reference, beta=1.0):
    c, r = candidate.split(), reference.split()
    if not c or not r:
        return (0.0, 0.0, 0.0)
    l = lcs(c, r)
    p, rec = l / len(c), l / len(r)
    if l == 0:
        return (p, rec, 0.0)
    f = (1 + beta * beta) * p * rec / (rec + beta * beta * p)
    return (p, rec, f)


def ngrams(tokens, n):
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def jaccard(a, b, n):
    x, y = ngrams(a.split(), n), ngrams(b.split(), n)
    if not x and not y:
        return 1.0
    return len(x & y) / len(x | y)


ROUGE_CASES = [
    ("police killed the gunman", "police kill the gunman"),
    ("the gunman kill police", "police kill the gunman"),
    ("a b c d e f", "b d f a c e"),
    ("write a short poem about the sea", "write a long poem about the blue sea"),
    ("x y z", "a b c"),
]

JACCARD_CASES = [
    ("the cat sat on the mat", "the cat sat on a mat", 1),
    ("the cat sat on the mat", "the cat sat on a mat", 2),
    ("a b c d", "a b c d", 3),
    ("a b", "a b c", 3),
]

if __name__ == "__main__":
    sha256_edges()
    for c, r in ROUGE_CASES:
        p, rec, f = rouge_l(c, r)
        print(f"rougeL({c!r}, {r!r}): lcs={lcs(c.split(), r.split())} p={p!r} r={rec!r} f={f!r}")
    for a, b, n in JACCARD_CASES:
        print(f"jaccard({a!r}, {b!r}, n={n}) = {jaccard(a, b, n)!r}")
