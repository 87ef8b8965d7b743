# make run   starts the tool beside the local platform (http://localhost:5001/)
# make test  runs the whole suite: lint, types, unit, integration, browser
# make lint  ruff (format and lint) and mypy
# make bench prints timings of the launch path

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOL_URL ?= http://127.0.0.1:5000
PLATFORM_URL ?= http://localhost:5001

.PHONY: run test lint format bench system-packages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	TOOL_URL=$(TOOL_URL) PLATFORM_URL=$(PLATFORM_URL) $(BIN)/python -m devplatform.run

system-packages:
	@.ci/system-packages.sh redis-server:redis-server chromium:chromium

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) system-packages lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python tests/bench/bench_launch.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
