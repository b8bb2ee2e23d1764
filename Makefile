# textnorm — see README.md.
CARGO ?= cargo
EVAL_DIR ?= ../shared/eval
BENCH_DIR ?= bench-data

.PHONY: all build run test fmt lint doc check bless eval bench

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
