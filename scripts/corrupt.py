#!/usr/bin/env python3
"""Corrupt a share of the lines of a JSON Lines corpus, deterministically.

    scripts/corrupt.py IN.jsonl OUT.jsonl [--rate 0.01] [--seed 8] [--huge 1]

Each line is kept as it is, or (with probability --rate) replaced by one of
the faults textnorm must survive. Faults that must be rejected: a number, an
array, null, nesting 10,000 levels deep, a `text` that is not a string, a
duplicate key, invalid UTF-8, a raw NUL byte, a truncated line, a line of
binary garbage, a paragraph over 1 MiB. Faults that must still be processed:
a CRLF line end, blank lines. The last line loses its line break, and
--huge lines of 70 MB (over the 64 MiB --max-doc-bytes) are added.

A summary goes to stderr as JSON: lines written, records expected (non-blank
lines), rejects expected, and the count of each fault.
"""

import argparse
import json
import random
import re
import sys

REJECTED = [
    "number", "array", "null", "nested", "text_not_string", "duplicate_key",
    "invalid_utf8", "nul_byte", "truncated", "binary", "long_paragraph",
]
KEPT = ["crlf", "blank_lines"]
TEXT = re.compile(rb'"text"\s*:\s*"')
NOT_NEWLINE = [b for b in range(256) if b != 10]


def corrupt(kind, line, rng):
    """`line` without its line break → the bytes to write (with line breaks)."""
    if kind == "number":
        return b"%d\n" % rng.randrange(10**9)
    if kind == "array":
        return b"[" + line + b"]\n"
    if kind == "null":
        return b"null\n"
    if kind == "nested":
        return b'{"text":"deep","x":' + b"[" * 10000 + b"]" * 10000 + b"}\n"
    if kind == "text_not_string":
        return b'{"id":"bad","text":{"nested":' + line + b"}}\n"
    if kind == "duplicate_key":
        return line[:-1] + b',"text":"again"}\n'
    if kind == "invalid_utf8":
        i = TEXT.search(line).end()
        return line[:i] + b"\xff\xfe" + line[i:] + b"\n"
    if kind == "nul_byte":
        i = TEXT.search(line).end()
        return line[:i] + b"\x00" + line[i:] + b"\n"
    if kind == "truncated":
        return line[: len(line) // 2] + b"\n"
    if kind == "binary":
        n = rng.randrange(1, 4000)
        body = bytes([rng.randrange(0x80, 0x100)] + [rng.choice(NOT_NEWLINE) for _ in range(n)])
        return body + b"\n"
    if kind == "long_paragraph":
        return b'{"id":"long","text":"' + b"x " * 600_000 + b'"}\n'
    if kind == "crlf":
        return line + b"\r\n"
    if kind == "blank_lines":
        return line + b"\n\n  \n"
    raise ValueError(kind)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--rate", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--huge", type=int, default=1, help="70 MB lines to add (default 1)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    kinds = REJECTED + KEPT
    counts = {k: 0 for k in kinds}
    counts["huge_line"] = 0
    lines = records = rejects = 0
    with open(a.input, "rb") as f:
        total = sum(1 for _ in f)
    huge_at = set(rng.sample(range(total), min(a.huge, total)))
    with open(a.input, "rb") as f, open(a.output, "wb") as out:
        prev = None
        for n, raw in enumerate(f):
            line = raw.rstrip(b"\n")
            if not line.strip():
                continue
            if n in huge_at:
                counts["huge_line"] += 1
                piece = b"k" * (1 << 20)
                out.write(b'{"id":"huge","text":"')
                for _ in range(70):
                    out.write(piece)
                out.write(b'"}\n')
                lines += 1
                records += 1
                rejects += 1
            if rng.random() < a.rate:
                kind = rng.choice(kinds)
                counts[kind] += 1
                data = corrupt(kind, line, rng)
                records += 1
                rejects += kind in REJECTED
            else:
                data = line + b"\n"
                records += 1
            lines += 1
            if prev is not None:
                out.write(prev)
            prev = data
        if prev is not None:
            # The last line ends without a line break (blank lines after it
            # are not records).
            out.write(prev.rstrip(b"\r\n"))
    json.dump({"lines": lines, "records_expected": records, "rejects_expected": rejects,
               "faults": counts}, sys.stderr, indent=1)
    sys.stderr.write("\n")


if __name__ == "__main__":
    main()
