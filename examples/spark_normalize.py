#!/usr/bin/env python3
"""Runs textnorm over a JSON Lines or Parquet dataset on Spark.

Every executor needs the `textnorm` Python package (`pip install ./python`,
or ship a wheel built with `maturin build --release` via `--py-files`/your
cluster's package mechanism). The pipeline is built once per Python worker and
each partition goes through it in batches, with the GIL released; Spark
spreads the partitions over the cluster.

    spark-submit examples/spark_normalize.py INPUT OUTPUT [options]

INPUT is a JSONL file, a Parquet file, or a folder of them (not recursive);
`--input-format` defaults to the extension. OUTPUT is a folder: JSON Lines
part files (`--output-format jsonl`, the default) whose lines, in order, are
byte for byte what `textnorm INPUT` writes; or Parquet (`--output-format
parquet`; nested fields become structs). Each record's `source` is
`INPUT:LINE` (`FOLDER/FILE:LINE`; Parquet: the row number), as on the
command line. Refused records are counted and printed with the command line's
message; `--rejects DIR` keeps them.

Options: --text-field, --id-field, --langs, --disable, --enable,
--config FILE (must be readable on every executor), --batch N (records per
call, default 256), --partitions N.
"""

import argparse
import json
import sys

from pyspark.sql import SparkSession

_PIPELINES = {}


def pipeline(options):
    """The textnorm pipeline of this Python worker for these options."""
    key = json.dumps(options, sort_keys=True)
    if key not in _PIPELINES:
        import textnorm

        opts = dict(options)
        config = opts.pop("config", None)
        _PIPELINES[key] = textnorm.Pipeline(config, **opts)
    return _PIPELINES[key]


def normalize_partition(options, batch):
    """mapPartitions body: ((file, row), (source, line)) → ((file, row), output or None, message)."""

    def run(rows):
        p = pipeline(options)
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                yield from _run(p, chunk)
                chunk = []
        if chunk:
            yield from _run(p, chunk)

    return run


def _run(p, chunk):
    outs = p.process_batch_json([r[1][1] for r in chunk], sources=[r[1][0] for r in chunk], on_error="none")
    for (key, (source, line)), out in zip(chunk, outs):
        if out is None:
            try:
                p.process_json(line, source)
                message = f"{source}: refused"
            except ValueError as e:
                message = str(e)
            yield key, None, message, line
        else:
            yield key, out, None, None


def list_inputs(spark, path):
    """(name, uri) of the files to read: the file itself, or the folder's
    files in sorted order, named as the command line names them."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(conf)
    status = fs.getFileStatus(hpath)
    if status.isFile():
        return [(path, status.getPath().toString())]
    files = []
    for s in fs.listStatus(hpath):
        name = s.getPath().getName()
        if s.isFile() and not name.startswith((".", "_")):
            files.append((path.rstrip("/") + "/" + name, s.getPath().toString()))
    return sorted(files)


def jsonl_rows(spark, files):
    """((file number, line number), (source, line)) for every non-blank line."""
    sc = spark.sparkContext
    rdds = []
    for i, (name, uri) in enumerate(files):
        rdd = sc.textFile(uri).zipWithIndex()
        rdds.append(
            rdd.filter(lambda x: x[0].strip())
            .map(lambda x, i=i, name=name: ((i, x[1] + 1), (f"{name}:{x[1] + 1}", x[0])))
        )
    return sc.union(rdds)


def parquet_rows(spark, files):
    """((file number, row number), (source, JSON line)) for every row."""
    rdds = []
    for i, (name, uri) in enumerate(files):
        df = spark.read.parquet(uri)
        cols = df.columns
        df = df.select("*", "_metadata.row_index")
        rdds.append(
            df.rdd.map(
                lambda r, i=i, name=name, cols=cols: (
                    (i, r["row_index"] + 1),
                    (
                        f"{name}:{r['row_index'] + 1}",
                        json.dumps({c: _plain(r[c]) for c in cols}, ensure_ascii=False),
                    ),
                )
            )
        )
    return spark.sparkContext.union(rdds)


def _plain(v):
    """A Spark value as a JSON value."""
    if hasattr(v, "asDict"):
        return {k: _plain(x) for k, x in v.asDict().items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return list(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--input-format", choices=["jsonl", "parquet"])
    ap.add_argument("--output-format", choices=["jsonl", "parquet"], default="jsonl")
    ap.add_argument("--text-field")
    ap.add_argument("--id-field")
    ap.add_argument("--langs")
    ap.add_argument("--disable")
    ap.add_argument("--enable")
    ap.add_argument("--config")
    ap.add_argument("--rejects")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--master", help="Spark master when run without spark-submit (e.g. local[2])")
    args = ap.parse_args(argv)

    builder = SparkSession.builder.appName("textnorm")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    options = {
        k: getattr(args, k)
        for k in ("text_field", "id_field", "langs", "disable", "enable", "config")
        if getattr(args, k) is not None
    }
    files = list_inputs(spark, args.input)
    fmt = args.input_format or ("parquet" if files and files[0][0].endswith(".parquet") else "jsonl")
    rows = parquet_rows(spark, files) if fmt == "parquet" else jsonl_rows(spark, files)
    if args.partitions:
        rows = rows.repartition(args.partitions)
    results = rows.mapPartitions(normalize_partition(options, args.batch)).cache()

    rejects = results.filter(lambda r: r[1] is None).sortBy(lambda r: r[0]).collect()
    for _, _, message, _ in rejects:
        print(message, file=sys.stderr)
    if args.rejects and rejects:
        spark.sparkContext.parallelize([r[3] for r in rejects], 1).saveAsTextFile(args.rejects)

    out = results.filter(lambda r: r[1] is not None).sortBy(lambda r: r[0]).map(lambda r: r[1].rstrip("\n"))
    if args.output_format == "parquet":
        spark.read.json(out).write.parquet(args.output)
    else:
        out.saveAsTextFile(args.output)
    n = results.count()
    print(f"textnorm: {n} records, {len(rejects)} rejected", file=sys.stderr)
    results.unpersist()
    spark.stop()
    return 3 if rejects else 0


if __name__ == "__main__":
    sys.exit(main())
