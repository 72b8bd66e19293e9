# `make test` builds everything it needs from scratch: a fresh .venv, the package with its
# test and dev extras, the test adapter package (tests/adapters/tinychat), then the four
# checks CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv test lint bench demo soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# tests/adapters/tinychat: a third-party adapter package the tests need installed (chatapi
# must work with it unchanged).
venv: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,speedups,cli]'
	$(BIN)/python -m pip install --quiet -e tests/adapters/tinychat

test: venv
	$(BIN)/python -m pytest -q
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy --strict chatapi

lint: venv
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy --strict chatapi

bench: venv
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	cd benchmarks && ../$(BIN)/python run_all.py

demo: venv
	$(BIN)/chatapi demo

soak: venv
	$(BIN)/python benchmarks/soak.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
