# textnorm — see README.md.
CARGO ?= cargo
EVAL_DIR ?= ../shared/eval
BENCH_DIR ?= bench-data

.PHONY: all build run test fmt lint doc check bless eval bench fuzz python test-python test-spark

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
	$(MAKE) test-python

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps

check: lint test doc

# Rewrite the golden files from the current output (review the diff!).
bless:
	BLESS=1 $(CARGO) test --test golden

# Quality against ../shared/eval (EVAL_DIR); fails below eval/floors.toml.
eval:
	EVAL_DIR=$(EVAL_DIR) $(CARGO) run --release --quiet --example eval

# Python package (python/): a test venv with maturin, pytest and datatrove,
# the package built into it, and the CLI the tests compare against.
VENV ?= .venv-test

$(VENV)/.ready:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q maturin pytest datatrove regex orjson
	touch $@

python: $(VENV)/.ready
	$(CARGO) build --release --bin textnorm
	cd python && VIRTUAL_ENV=$(CURDIR)/$(VENV) CARGO_TARGET_DIR=$(CURDIR)/target \
		$(CURDIR)/$(VENV)/bin/maturin develop --release --quiet

test-python: python
	$(VENV)/bin/python -m pytest -q python/tests --ignore=python/tests/test_spark.py

# Spark in local mode (needs Java 17+); installs PySpark into the test venv.
test-spark: python
	$(VENV)/bin/pip install -q pyspark
	$(VENV)/bin/python -m pytest -q python/tests/test_spark.py

# Criterion per-stage benchmarks, then the whole CLI on a generated corpus
# (BENCH_DIR/corpus.jsonl, 200 MB): MB/s and peak RSS for --jobs 1 and 2.
bench: build
	$(CARGO) bench --bench pipeline
	BENCH_DIR=$(BENCH_DIR) scripts/bench.sh

# Each cargo-fuzz target for FUZZ_SECONDS (needs nightly and cargo-fuzz).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
