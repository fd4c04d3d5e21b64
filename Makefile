# newsclaims: `make demo` and `make test` work on a fresh machine (Python 3.11+).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2

.PHONY: setup demo test lint format bench clean

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

## Lint, then the whole suite against SQLite and PostgreSQL.
test: setup lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_quotes.py
	$(BIN)/python bench/bench_claims.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache newsclaims.db newsclaims.db-* .newsclaims
