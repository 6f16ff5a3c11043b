# The README's two commands: `make run` and `make test`.
# The interpreter of the venv: PYTHON if given (make PYTHON=/path/to/python3.12), else the first of
# python3.13, python3.12, python3.11, python3 that runs and is a version the package admits
# (pyproject.toml requires-python: 3.11 to 3.13).
PY_SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3.13 python3.12 python3.11 python3,$(shell $(p) -c '$(PY_SUPPORTED)' >/dev/null 2>&1 && echo $(p))))
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LINTERS := $(BIN)/ruff $(BIN)/sqlfluff

.PHONY: run test lint test-python test-dbt bench bench-full docs clean

$(STAMP): pyproject.toml src/greentrade/ingest/eora26/_tokenizer.c
	@test -n "$(PYTHON)" || { echo "make: no Python 3.11, 3.12 or 3.13 found (tried python3.13, python3.12," \
	  "python3.11, python3): install one, or name it: make PYTHON=/path/to/python3.12" >&2; exit 1; }
	@$(PYTHON) -c '$(PY_SUPPORTED)' 2>/dev/null || { echo "make: $(PYTHON) is not Python 3.11, 3.12 or 3.13" \
	  "(greentrade's requires-python): name another, e.g. make PYTHON=python3.12" >&2; exit 1; }
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
