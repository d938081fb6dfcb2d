# Two jobs, each setting everything up first: `make demo` (build and preview the example) and `make test`.
# `make demo NO_OPEN=1` previews without opening a browser.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/herefordshire-2020-11.yaml

.PHONY: demo test lint bench goldens mutation

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	@mkdir -p build
	$(BIN)/bulletin schema > build/issue.schema.json
	$(BIN)/bulletin build $(EXAMPLE)
	$(BIN)/bulletin preview $(EXAMPLE) $(if $(NO_OPEN),--no-open)

test: $(BIN)/.installed
	$(BIN)/pytest -q --hypothesis-profile=ci

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/render.py

goldens: $(BIN)/.installed
	BULLETIN_UPDATE_GOLDENS=1 $(BIN)/pytest -q tests/compose/test_goldens.py tests/cli/test_quick_help.py

# Mutation testing of the modules where a wrong line does harm (benchmarks/mutation.py); slow,
# so not part of CI. Survivors and their reasons: benchmarks/mutation-survivors.md.
mutation: $(BIN)/.installed
	$(BIN)/python benchmarks/mutation.py
