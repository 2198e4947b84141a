# Oncotrial: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types imports pytest install clean core-venv

$(STAMP): pyproject.toml
	bash scripts/install-system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

# The whole suite runs on the embedded SQLite database; the tests that touch the
# database run a second time on PostgreSQL (127.0.0.1:5432, database `test`).
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

# CDISC CORE (cdisc-rules-engine) runs under python3.12 in its own venv, .venv-core.
core-venv:
	bash scripts/cdisc-core/setup-venv.sh

pytest: $(STAMP) core-venv
	$(BIN)/pytest -q
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q tests/persistence tests/services tests/conductor/test_parallel_build.py

test: lint types imports pytest

# Builds (or reuses) the SIMULATED demo trial in .oncotrial/demo.sqlite3 and serves it on :8000.
run: $(STAMP)
	$(BIN)/oncotrial demo --serve

clean:
	rm -rf $(VENV) .venv-core .pytest_cache .mypy_cache .ruff_cache .hypothesis
