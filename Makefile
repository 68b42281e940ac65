# Developer entry points for scaffold itself (generated projects have their own Makefile).
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
# Generated projects call uv and actionlint: the venv's copies come first.
export PATH := $(BIN):$(PATH)

.PHONY: setup test lint

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The whole suite: the tool's tests, then every template generated, installed,
# linted, tested and served, and the black-box suite, on two workers (each variant's
# tests on one: tests/conftest.py schedules them). Installs Node 24 for the NestJS
# projects, and Debian's chromium (docs page check) and wrk (benchmarks/) first.
test: setup
	scripts/install-node
	scripts/install-test-deps
	$(BIN)/python -m pytest -n 2

lint: setup
	$(BIN)/ruff check src tests benchmarks hatch_build.py
	$(BIN)/ruff format --check src tests benchmarks hatch_build.py
	$(BIN)/mypy
