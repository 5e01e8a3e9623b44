# Every target installs what it needs first, so a fresh clone works with `make run` / `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint typecheck templates-check samples bench bench-quick demo screenshots clean install migrate

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "sapar needs $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/sapar db upgrade

run: $(STAMP)
	$(BIN)/sapar serve

test: $(STAMP)
	bash scripts/test.sh

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not postgres and not libreoffice and not browser" -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

templates-check: $(STAMP)
	$(BIN)/sapar templates check

samples: $(STAMP)
	$(BIN)/python -m documents.samples --out var/samples

bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

demo: $(STAMP)
	$(BIN)/sapar demo

screenshots: $(STAMP)
	$(BIN)/python -m scripts.screenshots

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
