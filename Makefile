# Two commands on a fresh machine: `make run` (build from the bundled archive, then serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8001

.PHONY: run build serve test lint fuzz sample clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "saisei needs Python 3.11 or newer as $(PYTHON)"; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/saisei build --offline
	$(BIN)/saisei serve --port $(PORT)

build: $(VENV)/.installed-run
	$(BIN)/saisei build --offline

serve: $(VENV)/.installed-run
	$(BIN)/saisei serve --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# The long fuzzing campaign (tests/test_fuzz.py runs a small fixed one): FUZZ_EXAMPLES inputs per reader.
FUZZ_EXAMPLES ?= 5000
fuzz: $(VENV)/.installed-test
	$(BIN)/saisei benchmark fuzz --examples $(FUZZ_EXAMPLES)

# Re-pack data/sample/ into the bundled archive after editing a sample page.
sample: $(VENV)/.installed-run
	$(BIN)/saisei archive pack-sample

clean:
	rm -rf $(VENV) data/saisei.db data/runs
