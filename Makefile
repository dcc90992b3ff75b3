# Every target creates the virtual environment it needs from nothing (Python 3.10+ and make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install -q -c constraints.txt
export NO_MKDOCS_2_WARNING := 1

.PHONY: test parity docs site browser-test bench figures clean help

help:
	@echo "make test          create .venv and run the whole test suite (doctests, tests/, docs pages)"
	@echo "make parity        also install PyTorch (CPU, test oracle only) and run the suite with parity tests"
	@echo "make docs          build the site strictly and serve it on http://127.0.0.1:8000"
	@echo "make site          build the site strictly into site/"
	@echo "make browser-test  build the site and smoke-test it in headless Chromium"
	@echo "make figures       draw the site's figures that are out of date (docs/figures/, git-ignored)"
	@echo "make bench         run scripts/bench.py (installs PyTorch for the ratios)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"

$(VENV)/.test: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e ".[test]"
	@touch $@

$(VENV)/.parity: $(VENV)/.test
	$(PIP) -e ".[test,parity]"
	@touch $@

$(VENV)/.docs: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e ".[docs]"
	@touch $@

$(VENV)/.browser: $(VENV)/.docs
	$(PIP) -e ".[docs,browser]"
	@touch $@

test: $(VENV)/.test
	$(BIN)/python -m pytest -q

parity: $(VENV)/.parity
	$(BIN)/python -m pytest -q

# The build draws stale figures first (hooks/figures.py) and copies MathJax from the pinned
# PyPI package into site/ (hooks/mathjax.py); no network is needed past pip.
site: $(VENV)/.docs
	$(BIN)/mkdocs build --strict

docs: site
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

figures: $(VENV)/.docs
	$(BIN)/python scripts/figures/runner.py

# Needs Debian's chromium at /usr/bin/chromium (apt-get install chromium); .ci/run installs it.
browser-test: $(VENV)/.browser site
	$(BIN)/python scripts/browser_test.py site

bench: $(VENV)/.parity
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) site .cache
