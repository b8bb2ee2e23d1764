import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli_path():
    return Path(os.environ.get("TEXTNORM_BIN", ROOT / "target" / "release" / "textnorm"))


def run_cli(args, cwd=ROOT, input=None, check=True):
    """Runs the command line; returns (stdout lines, stderr text, exit status)."""
    bin = cli_path()
    if not bin.exists():
        pytest.fail(f"{bin} is missing: build it with `cargo build --release` (or set TEXTNORM_BIN)")
    p = subprocess.run([str(bin), *map(str, args)], cwd=cwd, input=input, capture_output=True)
    if check and p.returncode not in (0, 3):
        raise AssertionError(f"textnorm {args} exited {p.returncode}: {p.stderr.decode()}")
    return p.stdout.decode().splitlines(keepends=True), p.stderr.decode(), p.returncode


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def cli():
    return run_cli
