# textnorm — see README.md.
CARGO ?= cargo
EVAL_DIR ?= ../shared/eval
BENCH_DIR ?= bench-data

.PHONY: all build run test fmt lint doc check bless eval bench fuzz

all: build

build:
	$(CARGO) build --release

# Run the pipeline over the bundled seed documents, printing JSON Lines.
run: build
	./target/release/textnorm fixtures/seeds/

fmt:
	$(CARGO) fmt

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

test: lint
	$(CARGO) test

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps

check: lint test doc

# Rewrite the golden files from the current output (review the diff!).
bless:
	BLESS=1 $(CARGO) test --test golden

# Quality against ../shared/eval (EVAL_DIR); fails below eval/floors.toml.
eval:
	EVAL_DIR=$(EVAL_DIR) $(CARGO) run --release --quiet --example eval

# Criterion per-stage benchmarks, then the whole CLI on a generated corpus
# (BENCH_DIR/corpus.jsonl, 200 MB): MB/s and peak RSS for --jobs 1 and 2.
bench: build
	$(CARGO) bench --bench pipeline
	BENCH_DIR=$(BENCH_DIR) scripts/bench.sh

# Each cargo-fuzz target for FUZZ_SECONDS (needs nightly and cargo-fuzz).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
