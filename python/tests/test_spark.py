"""examples/spark_normalize.py on PySpark in local mode (`make test-spark`)."""

import os
import subprocess
import sys

import pytest

pytest.importorskip("pyspark")

from conftest import ROOT, run_cli  # noqa: E402
import corpus  # noqa: E402

EXAMPLE = ROOT / "examples" / "spark_normalize.py"


def spark(args, cwd):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    p = subprocess.run(
        [sys.executable, str(EXAMPLE), *map(str, args), "--master", "local[2]"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    return p


def part_lines(folder):
    out = []
    for part in sorted(folder.glob("part-*")):
        with open(part, encoding="utf-8") as f:
            out += f.read().splitlines(keepends=True)
    return out


def test_spark_output_equals_the_cli(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    corpus.make(data / "a.jsonl", 2, seed=21)
    corpus.make(data / "b.jsonl", 1, seed=22)
    with open(data / "b.jsonl", "a", encoding="utf-8") as f:
        f.write('{"no_text": 1}\n{"id": "last", "text": "Kiev"}\n')
    expected, err, code = run_cli(["--langs", "en,uk,ru", "data"], cwd=tmp_path)
    assert code == 3 and len(expected) > 250
    p = spark(["data", "out", "--langs", "en,uk,ru", "--partitions", "3", "--batch", "64"], tmp_path)
    assert p.returncode == 3, p.stderr[-3000:]
    got = part_lines(tmp_path / "out")
    assert len(got) == len(expected)
    assert got == expected
    assert err.strip() in p.stderr


def test_spark_parquet_input_equals_the_cli(tmp_path):
    from pyspark.sql import SparkSession

    corpus.make(tmp_path / "a.jsonl", 1, seed=23)
    spark_session = SparkSession.builder.master("local[1]").appName("textnorm-test").getOrCreate()
    try:
        df = spark_session.read.json(str(tmp_path / "a.jsonl"))
        df.withColumnRenamed("text", "body").coalesce(1).write.parquet(str(tmp_path / "pq"))
    finally:
        spark_session.stop()
    (part,) = sorted((tmp_path / "pq").glob("part-*.parquet"))
    name = f"pq/{part.name}"
    expected, err, code = run_cli(["--text-field", "body", name], cwd=tmp_path)
    assert code == 0 and len(expected) > 80, err
    assert f'"source":"{name}:1"' in expected[0]
    p = spark([name, "out", "--text-field", "body"], tmp_path)
    assert p.returncode == 0, p.stderr[-3000:]
    assert part_lines(tmp_path / "out") == expected

    # The command line's own Parquet output holds the same records.
    run_cli(["--text-field", "body", name, "-o", "out.parquet"], cwd=tmp_path)
    p = spark(["out.parquet", "back", "--text-field", "text", "--disable", "translit"], tmp_path)
    assert p.returncode == 0, p.stderr[-3000:]
    assert len(part_lines(tmp_path / "back")) == len(expected)
