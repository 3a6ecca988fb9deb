# accessmap: `make setup` from nothing, `make test` (what CI runs), `make diagnose` (the main job).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MIRROR ?= ../shared/data
TERRITORY ?= montagne-limousine

.PHONY: setup test lint typecheck pytest diagnose bench clean strip-notebooks

setup: $(STAMP)

# The stamp depends on pyproject.toml: editing dependencies reinstalls on the next make.
$(STAMP): pyproject.toml
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' (needed by the browser test)"; fi; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

diagnose: $(STAMP)
	$(BIN)/accessmap diagnose --territory $(TERRITORY) --mirror $(MIRROR)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_traveltimes.py
	$(BIN)/python benchmarks/bench_siting.py
	$(BIN)/python benchmarks/bench_workforce.py
	$(BIN)/python benchmarks/bench_indicators.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_decision.py

strip-notebooks: $(STAMP)
	$(BIN)/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
