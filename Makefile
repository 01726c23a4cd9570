# The two commands the README documents:
#   make site   build the scorecard site from the bundled data (sets everything up first)
#   make test   run every test (sets everything up first, Chromium included)
# Everything is installed into .venv/; nothing outside it but Debian's chromium package.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
# Stamps record that an install step ran against the current pyproject.toml.
STAMP   := $(VENV)/.hrdd-installed
TSTAMP  := $(VENV)/.hrdd-test-installed

.PHONY: site test lint chromium clean help example example-2022

help:
	@echo "make site   build the site from the bundled data into site/"
	@echo "make test   run every test (lint, types, unit, acceptance, browser)"
	@echo "make example  publish RDR's 2019 and 2022 editions into examples/rdr/build (a git repository of its own)"
	@echo "make example-2022  import RDR's 2022 dataset and build the one-edition site into examples/rdr-2022/site"

site: $(STAMP)
	$(BIN)/hrdd build

test: $(TSTAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# The RDR example: RDR's public dataset (shipped beside this repository in ../shared) is imported
# into examples/rdr-2022 (generated files, ignored by git) and built like any hrdd project.
RDR_ZIP ?= ../shared/data/rdr-2022/rdr-2022-dev.zip
example-2022: $(STAMP)
	$(BIN)/hrdd import rdr $(RDR_ZIP) --out examples/rdr-2022 --force
	$(BIN)/hrdd build --project examples/rdr-2022

# Two editions: RDR's 2019 and 2022 datasets imported one after the other into examples/rdr/build,
# a git repository of the example's own (ignored by the project's git), each published with
# `hrdd publish` on its gh-pages branch; the script prints how to serve them.
example: $(STAMP)
	$(BIN)/python examples/rdr/build_example.py

lint: $(TSTAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[fast]"
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,fast]"
	touch $@

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium from Debian packages"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
