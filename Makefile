# Two commands matter: `make run` and `make test`. Everything else is what they use.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOME_DIR ?= $(CURDIR)/demo-home
STAMP := $(VENV)/.installed

.PHONY: run test setup demo bench docs lint clean assets

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Build the demo store from the bundled real data (UCDP events, VIEWS and GED country-month series),
# print the answer to "is it worse than ever?", then serve the dashboard at http://$(HOST):$(PORT)/.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(BIN)/sahelwatch demo --home $(HOME_DIR)
	$(BIN)/sahelwatch serve --home $(HOME_DIR) --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/bench_ingest.py

# Rebuild the front-end libraries shipped in src/sahelwatch/web/static/vendor/ (needs Node 20+ and npm).
assets:
	cd web-src && npm ci && npm run build

docs: $(STAMP)
	$(BIN)/python -m sahelwatch.domain.schema > docs/data-dictionary.md
	$(BIN)/python -m sahelwatch.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache
