# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	DEBUG=$${DEBUG:-true} $(BIN)/ita demo --bind 127.0.0.1:$(PORT)

test: $(STAMP)
	DEBUG=$${DEBUG:-true} $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check ita
	$(BIN)/ruff format --check ita
	DEBUG=$${DEBUG:-true} $(BIN)/mypy

bench: $(STAMP)
	DEBUG=$${DEBUG:-true} $(BIN)/ita bench all

clean:
	rm -rf $(VENV) var
