#!/usr/bin/env bash
# Whole-CLI throughput: MB/s of input and peak RSS for --jobs 1 and --jobs 2
# on a generated corpus, and the per-stage time split from --stats. A run
# with --jobs N is pinned to N cores (taskset) when the machine has them.
#
#   scripts/bench.sh [CORPUS]      (default: $BENCH_DIR/corpus.jsonl, 200 MB)
#
# The corpus is generated when missing:
#   python3 ../shared/bench/make_corpus.py --mb 200 --out bench-data/corpus.jsonl
# Environment: BENCH_DIR (bench-data), BENCH_MB (200), BENCH_JOBS ("1 2"),
# TEXTNORM (target/release/textnorm), SHARED (../shared).
set -euo pipefail

BENCH_DIR=${BENCH_DIR:-bench-data}
BENCH_MB=${BENCH_MB:-200}
BENCH_JOBS=${BENCH_JOBS:-"1 2"}
TEXTNORM=${TEXTNORM:-target/release/textnorm}
SHARED=${SHARED:-../shared}
CORPUS=${1:-$BENCH_DIR/corpus.jsonl}

mkdir -p "$BENCH_DIR"
if [ ! -s "$CORPUS" ]; then
    echo "generating $CORPUS ($BENCH_MB MB)" >&2
    python3 "$SHARED/bench/make_corpus.py" --mb "$BENCH_MB" --out "$CORPUS"
fi
[ -x "$TEXTNORM" ] || cargo build --release
[ -x /usr/bin/time ] || { echo "bench.sh needs /usr/bin/time (GNU time)" >&2; exit 2; }

size=$(stat -c %s "$CORPUS")
echo
echo "Corpus: $CORPUS ($((size / 1000000)) MB); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
echo "| jobs | wall s | MB/s | peak RSS MB | records in | out | rejected |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for j in $BENCH_JOBS; do
    stats="$BENCH_DIR/stats-j$j.json"
    timing="$BENCH_DIR/time-j$j.txt"
    # `--jobs N` runs on N cores: pinned with taskset where there is one,
    # so that the reader and writer threads do not borrow a spare core.
    pin=()
    if command -v taskset > /dev/null && [ "$j" -le "$(nproc)" ]; then
        pin=(taskset -c "0-$((j - 1))")
    fi
    /usr/bin/time -v -o "$timing" "${pin[@]}" "$TEXTNORM" --jobs "$j" --quiet --rejects /dev/null \
        --stats "$stats" "$CORPUS" > /dev/null
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")
    python3 - "$stats" "$rss_kb" "$j" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
rss = int(sys.argv[2]) / 1024
print(f"| {sys.argv[3]} | {st['seconds']:.1f} | {st['bytes_read'] / 1e6 / st['seconds']:.1f} | {rss:.0f} "
      f"| {st['records_in']} | {st['records_out']} | {st['rejected']} |")
PY
done
first=$(echo $BENCH_JOBS | cut -d' ' -f1)
echo
echo "Per-stage CPU time (--jobs $first, from --stats):"
echo
python3 - "$BENCH_DIR/stats-j$first.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
total = sum(s for _, s in st["stage_seconds"]) or 1.0
print("| stage | CPU s | share |")
print("|---|---:|---:|")
for name, s in st["stage_seconds"]:
    print(f"| {name} | {s:.2f} | {100 * s / total:.1f}% |")
print(f"| all stages | {total:.2f} | 100% |")
PY
