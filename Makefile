# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LINTERS := $(BIN)/ruff $(BIN)/sqlfluff

.PHONY: run test lint test-python test-dbt bench bench-full docs clean

$(STAMP): pyproject.toml src/greentrade/ingest/_eora26_tokenizer.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## run: fresh machine to outputs: venv, install, demo sources, ingest, dbt build, outputs
run: $(STAMP)
	$(BIN)/greentrade run

## test: lint first (seconds), then every test: the Python package (pytest) and the dbt data tests on a demo warehouse
test: $(STAMP) lint
	$(BIN)/python -m pytest -q

## lint: ruff on the Python (config in pyproject.toml), sqlfluff on the SQL of models/, analyses/, tests/ (.sqlfluff)
lint: $(LINTERS)
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint models analyses tests

# The linters come with the test extra (pinned in pyproject.toml). Installed only where they are
# missing: a changed pyproject.toml makes `make test` reinstall the package, not `make lint`.
$(LINTERS):
	$(MAKE) --no-print-directory $(STAMP)
	@test -x $@ || $(BIN)/pip install --quiet -e ".[test]"

## bench: speed and memory benchmarks (prints the figures the issues ask for)
bench: $(STAMP)
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/mrio_bench.py

## bench-full: the full-size build (issue 13): demo at Eora26's size, ingest, dbt build, LU floors (~30 min)
bench-full: $(STAMP)
	$(BIN)/python bench/fullsize_bench.py

## docs: dbt docs for the warehouse (target/index.html)
docs: $(STAMP)
	cd $(CURDIR) && $(BIN)/dbt docs generate --profiles-dir .

clean:
	rm -rf warehouse outputs target logs
