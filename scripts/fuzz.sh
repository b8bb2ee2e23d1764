#!/usr/bin/env bash
# Runs each cargo-fuzz target for FUZZ_SECONDS (default 60) and prints the
# execution count of each. Needs a nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`).
#
#   scripts/fuzz.sh [TARGET...]     (default: decode pipeline jsonl config)
#
# New inputs go to fuzz/corpus/<target> (not in git); the small seed corpus
# is fuzz/seeds/<target>. A crash is saved under fuzz/artifacts/<target>/ and
# the script stops with status 1: turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode pipeline jsonl config)
mkdir -p logs
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "fuzzing $t for ${FUZZ_SECONDS}s" >&2
    if ! cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
        > "logs/$t.log" 2>&1; then
        tail -40 "logs/$t.log" >&2
        echo "fuzz target $t failed: see fuzz/artifacts/$t/ and fuzz/logs/$t.log" >&2
        exit 1
    fi
    runs=$(grep -o 'Done [0-9]* runs' "logs/$t.log" | tail -1 | awk '{print $2}')
    echo "$t: ${runs:-?} runs in ${FUZZ_SECONDS}s"
done
