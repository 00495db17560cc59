# Two entry points on a fresh machine: `make demo` and `make test`. Both create .venv, install
# torch==2.13.0 first (the local CPU build; a bare `torch` would pull a multi-GB CUDA build),
# then the project.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED ?= ../shared/seeds/digest_ukraine_ceasefire.txt

.PHONY: demo test lint venv

$(BIN)/.torch:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	touch $@

$(BIN)/.installed: $(BIN)/.torch pyproject.toml
	$(BIN)/pip install -q -e '.[dev,data,plot,ray,notebooks]'
	touch $@

venv: $(BIN)/.installed

demo: venv
	$(BIN)/digestnlp check $(SEED)

test: venv
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
