"""Throughput of the Python package on a JSONL corpus, single process.

    python python/bench.py bench-data/corpus.jsonl [--jobs 1] [--batch 256]

Times reading the file, json.loads of every line, Pipeline.process_batch
(dict in, dict out) and, separately, Pipeline.process_batch_json (line in,
line out); prints MB/s of input for each, per wall-clock second and per CPU second
(best of --repeat runs; the CPU figure is the steadier one on a busy machine).
"""

import argparse
import json
import resource
import time

import textnorm


def run(path, pipeline, batch, as_json):
    size = 0
    started = time.perf_counter()
    cpu0 = _cpu()
    with open(path, "rb") as f:
        chunk = []
        for line in f:
            if not line.strip():
                continue
            size += len(line)
            chunk.append(line if as_json else json.loads(line))
            if len(chunk) >= batch:
                (pipeline.process_batch_json if as_json else pipeline.process_batch)(chunk)
                chunk = []
        if chunk:
            (pipeline.process_batch_json if as_json else pipeline.process_batch)(chunk)
    mb = size / 1e6
    return mb / (time.perf_counter() - started), mb / (_cpu() - cpu0)


def _cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    p = textnorm.Pipeline(jobs=args.jobs)
    for name, as_json in (("process_batch (dicts)", False), ("process_batch_json (lines)", True)):
        runs = [run(args.corpus, p, args.batch, as_json) for _ in range(args.repeat)]
        wall = max(r[0] for r in runs)
        cpu = max(r[1] for r in runs)
        print(f"{name}: {wall:.2f} MB/s wall, {cpu:.2f} MB/s of CPU time (best of {len(runs)})")


if __name__ == "__main__":
    main()
