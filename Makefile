# accessmap: `make setup` from nothing, `make test` (what CI runs), `make diagnose` (the main job).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MIRROR ?= ../shared/data
TERRITORY ?= montagne-limousine

.PHONY: setup test lint typecheck pytest diagnose bench clean strip-notebooks docs docs-html \
	docs-notebooks dist

setup: $(STAMP)

# The stamp depends on pyproject.toml: editing dependencies reinstalls on the next make.
$(STAMP): pyproject.toml
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium poppler-utils' (needed by the browser test)"; fi; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs/*.py setup.py
	$(BIN)/ruff format --check src tests benchmarks docs/*.py setup.py

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# The docs build in `make test` renders the API, methods pages and notebooks (as stored, without
# executing them: tests/test_notebooks.py executes every notebook), warnings as errors.
test: lint typecheck docs-html pytest

# The docs site, offline: docs/_build/html/index.html. `make docs` first executes the notebooks
# against the mirror (cached in docs/_build/executed: only changed notebooks or code rerun).
docs: docs-notebooks docs-html

docs-html: $(STAMP)
	$(BIN)/sphinx-build -b html -W --keep-going -q -d docs/_build/doctrees docs docs/_build/html
	@echo "docs: $(CURDIR)/docs/_build/html/index.html"

docs-notebooks: $(STAMP)
	$(BIN)/python docs/execute_notebooks.py --mirror $(MIRROR)

# A wheel and an sdist in dist/, recording the git commit (see setup.py).
dist: $(STAMP)
	$(BIN)/python -m build --outdir dist .

diagnose: $(STAMP)
	$(BIN)/accessmap diagnose --territory $(TERRITORY) --mirror $(MIRROR)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_traveltimes.py
	$(BIN)/python benchmarks/bench_siting.py
	$(BIN)/python benchmarks/bench_workforce.py
	$(BIN)/python benchmarks/bench_indicators.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_roads.py
	$(BIN)/python benchmarks/calibrate_roads.py --mirror $(MIRROR)
	$(BIN)/python benchmarks/bench_decision.py
	$(BIN)/python benchmarks/bench_report.py --mirror $(MIRROR)
	$(BIN)/python benchmarks/bench_simulator.py --mirror $(MIRROR)

strip-notebooks: $(STAMP)
	$(BIN)/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache docs/_build docs/_gen dist build
