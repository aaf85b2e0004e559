# cadreflow: `make demo` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: install system-packages demo test lint bench serve clean

install: system-packages $(STAMP)
	@$(PY) scripts/check-setup.py

system-packages:
	@bash scripts/system-packages.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PIP) install -q --disable-pip-version-check --upgrade pip 2>/dev/null
	$(PIP) install -q --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

demo: install
	$(BIN)/cadreflow demo
	CADREFLOW_DEMO=1 $(BIN)/cadreflow serve

lint: install
	$(BIN)/ruff check workflow web documents tests bench scripts
	$(BIN)/mypy
	$(BIN)/cadreflow definitions check

# Two workers (pytest-xdist), a file's tests on one worker; then tests/faults alone: their servers
# and fuzzers load both cores themselves.
test: lint
	$(BIN)/pytest -n 2 --dist loadfile --ignore=tests/faults
	$(BIN)/pytest tests/faults

bench: install
	@bash scripts/system-packages.sh wrk
	$(PIP) install -q --disable-pip-version-check -e '.[test,bench]'
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/artifacts
