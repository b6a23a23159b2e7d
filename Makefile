SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: demo test lint bench bench-stream bench-serve serve install eval gate fuzz

install:
	pip install -e '.[test]'

demo:
	newsweave brief examples/caldenport-metro --meta examples/caldenport-metro.meta.csv

test:
	python -m pytest -q

lint:
	ruff check src tests benchmarks
	ruff format --check src tests benchmarks
	mypy

bench:
	python benchmarks/bench_startup.py
	python benchmarks/bench_brief.py

bench-stream:
	python benchmarks/bench_stream.py --data $(SHARED) --repeat 3

bench-serve:
	python benchmarks/bench_serve.py --data $(SHARED)

serve:
	newsweave serve --outlets examples/outlets.example.csv

# Every quality table of the README, from a clean checkout (needs ../shared/data).
SHARED ?= ../shared/data
RESULTS ?= benchmarks/results
eval:
	mkdir -p $(RESULTS)
	newsweave eval summaries $(SHARED)/mds/multinews-dev.jsonl --save $(RESULTS)/multinews-dev.summaries.json | tee $(RESULTS)/multinews-dev.summaries.txt
	newsweave eval summaries $(SHARED)/mds/allsides-dev.jsonl --save $(RESULTS)/allsides-dev.summaries.json | tee $(RESULTS)/allsides-dev.summaries.txt
	newsweave eval extraction --data $(SHARED)/extraction | tee $(RESULTS)/extraction.txt
	newsweave eval timelines --data $(SHARED)/timelines | tee $(RESULTS)/timelines.txt
	newsweave eval clustering --data $(SHARED) | tee $(RESULTS)/clustering.txt
	python benchmarks/bench_brief.py --data $(SHARED) | tee $(RESULTS)/brief-bench.txt
	python benchmarks/bench_long.py --data $(SHARED) --sizes 1,3 | tee $(RESULTS)/brief-long.txt
	python benchmarks/bench_coherence.py --data $(SHARED) | tee $(RESULTS)/coherence.txt
	python benchmarks/bench_startup.py --json $(RESULTS)/startup.json | tee $(RESULTS)/startup.txt
	python benchmarks/check_encoder.py --data $(SHARED) | tee $(RESULTS)/encoder.txt

gate:
	newsweave eval gate --data $(SHARED)

# Property-based fuzzing of every reader and of brief() (tests/test_fuzz.py): random inputs for
# FUZZ_SECONDS in all; prints the inputs tried and how many crashed. CI runs a short profile.
FUZZ_SECONDS ?= 600
fuzz:
	HYPOTHESIS_PROFILE=fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) python -m pytest -q -p no:cacheprovider tests/test_fuzz.py
