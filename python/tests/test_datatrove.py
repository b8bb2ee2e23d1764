"""textnorm.datatrove.TextnormStep in a datatrove LocalPipelineExecutor."""

import json

import pytest

pytest.importorskip("datatrove")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from conftest import read_jsonl, run_cli  # noqa: E402
import corpus  # noqa: E402
from textnorm.datatrove import TextnormStep  # noqa: E402


def test_step_in_a_local_executor(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    f = src / "docs.jsonl"
    corpus.make(f, 0.5, seed=11)
    with open(f, "a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "all-boilerplate", "text": "Sign up now for unlimited free access to\n\nPlease enable JavaScript to view the comments."}) + "\n")

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(src)),
            TextnormStep(langs="en,uk,ru,de,fr", exclusion_writer=JsonlWriter(str(tmp_path / "dropped"), compression=None)),
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()

    out, _, _ = run_cli(["--langs", "en,uk,ru,de,fr", "--keep-removed", f], cwd=tmp_path)
    expected = [json.loads(line) for line in out if json.loads(line)["text"]]
    kept = [d for p in sorted((tmp_path / "out").glob("*.jsonl")) for d in read_jsonl(p)]
    dropped = [d for p in sorted((tmp_path / "dropped").glob("*.jsonl")) for d in read_jsonl(p)]
    assert [d["id"] for d in dropped] == ["all-boilerplate"]
    assert dropped[0]["metadata"]["filter_reason"] == "empty"
    assert len(kept) == len(expected) == len(out) - 1
    removed_total = {}
    for d, e in zip(kept, expected):
        m = d["metadata"]
        assert d["text"] == e["text"]
        assert (m["language"], m["language_score"]) == (e["lang"], e["lang_score"])
        assert m["paragraphs"] == [{k: s[k] for k in ("index", "start", "end", "lang", "lang_score", "script")} for s in e["paragraphs"]]
        for s in m["paragraphs"]:
            assert d["text"][s["start"] : s["end"]].strip()
        reasons = [r["reason"] for r in e["removed"] if not r["reason"].startswith("metadata.")]
        assert m["removed"] == {k: reasons.count(k) for k in sorted(set(reasons))}
        for k, n in m["removed"].items():
            removed_total[k] = removed_total.get(k, 0) + n
        for k in ("title", "date", "byline"):
            assert m.get(k) == e.get(k)

    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    raw = next(s for s in stats if "textnorm" in s["name"])["stats"]
    # A counter only ever bumped by 1 is stored as a plain number.
    step = {k: v if isinstance(v, dict) else {"total": v} for k, v in raw.items()}
    assert step["total"]["total"] == len(out)
    assert step["forwarded"]["total"] == len(kept)
    assert step["dropped_empty"]["total"] == 1
    assert step["paragraphs_kept"]["total"] == sum(len(d["metadata"]["paragraphs"]) for d in kept)
    for k, n in removed_total.items():
        assert step[f"paragraphs_removed_{k}"]["total"] >= n
    assert step["paragraphs_removed_sign_up"]["total"] > removed_total["sign_up"]  # the dropped one


def test_step_in_worker_processes(tmp_path):
    # Two tasks in two processes: the step is pickled without its native
    # pipeline and builds one in each worker.
    src = tmp_path / "in"
    src.mkdir()
    corpus.make(src / "a.jsonl", 0.1, seed=12)
    corpus.make(src / "b.jsonl", 0.1, seed=13)
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), TextnormStep(), JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    got = sorted(d["text"] for p in (tmp_path / "out").glob("*.jsonl") for d in read_jsonl(p))
    out, _, _ = run_cli(["in"], cwd=tmp_path)
    want = sorted(t for t in (json.loads(line)["text"] for line in out) if t)
    assert got == want and len(got) > 10
