# `make run` and `make test` each set up everything they need, then run.
# Python 3.13: found on PATH, or in pyenv's versions folder where the shim is not active.
PYTHON ?= $(shell for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do $$p -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint browser-setup bench bench-setup bench-accuracy clean

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "error: python3.13 not found (install it, or run make PYTHON=/path/to/python3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

# The web application with the demo school on http://127.0.0.1:8000; the demo sign-ins are
# printed first. Its database and secret key live in POSTGUARD_DATA_DIR (./var by default).
run: setup
	$(BIN)/postguard serve --demo

lint: setup
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (tests/browser); installed here where missing.
browser-setup:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Everything on SQLite, browser tests included; then, where DATABASE_URL names a PostgreSQL
# server, the database tests again on it (pytest-django makes and drops its own test database).
test: lint browser-setup
	env -u DATABASE_URL $(BIN)/pytest -n 2
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "$(BIN)/pytest -n 2 tests/web -m 'not browser'  # on PostgreSQL"; \
		$(BIN)/pytest -n 2 tests/web -m "not browser"; \
	fi

bench-setup: setup
	$(BIN)/pip install -q --disable-pip-version-check -r benchmarks/requirements.txt

bench: bench-setup
	$(BIN)/python benchmarks/bench_scan.py --classifiers on
	$(BIN)/python benchmarks/bench_scan.py --classifiers off

bench-accuracy: setup
	$(BIN)/python benchmarks/bench_accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
