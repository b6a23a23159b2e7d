.PHONY: demo test lint bench install

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
	python benchmarks/bench_brief.py
