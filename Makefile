# `make run` and `make test` each set up everything they need, then run.
# Python 3.13: found on PATH, or in pyenv's versions folder where the shim is not active.
PYTHON ?= $(shell for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do $$p -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench bench-setup clean

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "error: python3.13 not found (install it, or run make PYTHON=/path/to/python3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/postguard demo

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2

bench-setup: setup
	$(BIN)/pip install -q --disable-pip-version-check -r benchmarks/requirements.txt

bench: bench-setup
	$(BIN)/python benchmarks/bench_scan.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
