# Two commands matter: `make run` and `make test`. Everything else is what they use.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOME_DIR ?= $(CURDIR)/demo-home
STAMP := $(VENV)/.installed

.PHONY: run test setup demo bench docs lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Build the demo store from the bundled real UCDP data and print the summary per country.
run: $(STAMP)
	$(BIN)/sahelwatch demo --home $(HOME_DIR)
	$(BIN)/sahelwatch summary --home $(HOME_DIR)

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/bench_ingest.py

docs: $(STAMP)
	$(BIN)/python -m sahelwatch.domain.schema > docs/data-dictionary.md
	$(BIN)/python -m sahelwatch.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache
