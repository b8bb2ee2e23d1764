"""textnorm.Pipeline gives the records the command line writes."""

import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest

import textnorm
from conftest import ROOT, run_cli
import corpus


def jsonl_lines(path):
    """(source, line) of every non-blank line, as the command line numbers them."""
    out = []
    with open(path, "rb") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                out.append((f"{path.name}:{i}", line.rstrip(b"\r\n")))
    return out


def check_file(path, args=(), **overrides):
    """Runs the command line and the package over a JSONL file and compares
    them record for record, as objects and as bytes."""
    expected, err, _ = run_cli([*args, "--jobs", "2", path.name], cwd=path.parent)
    items = jsonl_lines(path)
    sources = [s for s, _ in items]
    p = textnorm.Pipeline(**overrides)
    got_json = p.process_batch_json([l for _, l in items], sources=sources)
    assert "".join(got_json) == "".join(expected)
    docs = [json.loads(l) for _, l in items]
    got = p.process_batch(docs, sources=sources)
    if p.granularity == "paragraph":
        assert [r for rs in got for r in rs] == [json.loads(l) for l in expected]
    else:
        assert len(got_json) == len(expected)
        assert got == [json.loads(l) for l in expected]
    one = [p.process(d, source=s) for d, s in zip(docs[:20], sources[:20])]
    assert one == got[:20]
    return got


def test_import_and_version():
    assert textnorm.__version__
    assert textnorm.Pipeline().stages[:2] == ["decode", "segment"]


def test_seed_documents_match_the_cli():
    expected, _, _ = run_cli(["fixtures/seeds/"])
    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    assert len(expected) == len(seeds) == 5
    p = textnorm.Pipeline()
    for path, line in zip(seeds, expected):
        name = f"fixtures/seeds/{path.name}"
        assert p.process_bytes(path.read_bytes(), id=name, source=name) == json.loads(line)


def test_seed_documents_as_jsonl_match_the_cli(tmp_path):
    f = tmp_path / "seeds.jsonl"
    with open(f, "w", encoding="utf-8") as out:
        for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
            out.write(json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}) + "\n")
    got = check_file(f)
    assert all(r["text"] for r in got)
    check_file(f, ["--keep-removed", "--explain"], keep_removed=True, explain=True)
    check_file(f, ["--granularity", "paragraph"], granularity="paragraph")


def test_generated_corpus_matches_the_cli(tmp_path):
    f = tmp_path / "corpus.jsonl"
    n = corpus.make(f, 5)
    assert f.stat().st_size > 4_900_000 and n > 300
    got = check_file(f)
    assert len(got) == n
    assert any(r.get("changes", {}).get("translit") for r in got)
    assert any(r.get("changes", {}).get("boilerplate") for r in got)


BENCH = ROOT.parent / "shared" / "bench" / "make_corpus.py"


@pytest.mark.skipif(not BENCH.exists(), reason="../shared/bench is not there")
def test_bench_corpus_matches_the_cli(tmp_path):
    import subprocess

    f = tmp_path / "bench.jsonl"
    subprocess.run([sys.executable, str(BENCH), "--mb", "5", "--out", str(f)], check=True)
    check_file(f)


def test_options_as_flags(tmp_path):
    f = tmp_path / "o.jsonl"
    corpus.make(f, 0.2, seed=3)
    check_file(f, ["--langs", "en,uk", "--disable", "translit"], langs=["en", "uk"], disable="translit")
    check_file(f, ["--label-only", "--enable", "stem"], label_only=True, enable=["stem"])
    check_file(f, ["--id-field", "url"], id_field="url")


def test_bad_records_raise_the_cli_message(tmp_path):
    f = tmp_path / "bad.jsonl"
    lines = ['{"x":1}', "[1]", '{"text":2}', "null", '{"text":"ok","id":"k"}', '{"text":"' + "a" * 50 + '"}']
    f.write_text("\n".join(lines) + "\n")
    out, err, code = run_cli(["--max-doc-bytes", "40", f.name], cwd=tmp_path)
    assert code == 3
    messages = err.splitlines()
    assert len(messages) == 5 and len(out) == 1
    p = textnorm.Pipeline(max_doc_bytes=40)
    docs = [json.loads(l) for l in lines]
    for i, d in enumerate(docs):
        source = f"bad.jsonl:{i + 1}"
        if i == 4:
            assert p.process(d, source=source) == json.loads(out[0])
            continue
        with pytest.raises(textnorm.RecordError) as e:
            p.process(d, source=source)
        assert str(e.value) == messages[i if i < 4 else 4]
        assert isinstance(e.value, ValueError)
    got = p.process_batch(docs, source="bad.jsonl", on_error="none")
    assert [g is None for g in got] == [True, True, True, True, False, True]
    with pytest.raises(textnorm.RecordError, match="no `text` field"):
        p.process_batch(docs, source="bad.jsonl")


def test_bad_options():
    with pytest.raises(TypeError, match="unknown option `nope`"):
        textnorm.Pipeline(nope=1)
    _, err, code = run_cli(["--disable", "nope"], input=b"", check=False)
    assert code == 2
    with pytest.raises(ValueError) as e:
        textnorm.Pipeline(disable="nope")
    assert "textnorm: " + str(e.value) == err.strip()
    with pytest.raises(ValueError, match="granularity"):
        textnorm.Pipeline(granularity="line")


def test_config_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[translit]\nenabled = false\n")
    p = textnorm.Pipeline(cfg)
    assert "translit" not in p.stages
    assert p.process({"text": "Talks in Kiev."})["text"] == "Talks in Kiev."
    assert textnorm.Pipeline().process({"text": "Talks in Kiev."})["text"] == "Talks in Kyiv."


def test_gil_is_released_while_processing():
    p = textnorm.Pipeline()
    big = {"text": "\n\n".join(["Talks in Kiev went on late into the night, officials said."] * 40_000)}
    count = 0
    stop = False

    def spin():
        nonlocal count
        while not stop:
            count += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.05)
        before = count
        started = time.perf_counter()
        p.process(big)
        took = time.perf_counter() - started
        during = count - before
    finally:
        stop = True
        t.join()
    assert took > 0.05
    # With the GIL held the other thread could run only at the very start and
    # end of the call; released, it runs all the time.
    assert during > 10_000, (during, took)
