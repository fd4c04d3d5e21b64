# newsclaims: `make demo` and `make test` work on a fresh machine (Python 3.11+).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2

.PHONY: setup demo test lint typecheck wheel-check format bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

## Serve the bundled fixture web on loopback and crawl it into ./newsclaims.db (offline).
demo: setup
	$(BIN)/newsclaims demo
	$(BIN)/newsclaims stats

## Lint, layer contracts and types, then the whole suite against SQLite and PostgreSQL.
test: setup lint typecheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

## Build the wheel, install it in a fresh virtualenv outside the checkout, migrate, demo.
wheel-check:
	PYTHON=$(PYTHON) .ci/wheel-check

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_quotes.py
	$(BIN)/python bench/bench_claims.py
	$(BIN)/python bench/bench_syndication.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/eval_quotes.py
	$(BIN)/python bench/eval_claims.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache newsclaims.db newsclaims.db-* .newsclaims
