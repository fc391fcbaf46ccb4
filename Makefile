# 民政掌上办 · Minzheng Online — `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint fmt pytest bench install clean audit

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# System packages the test suites drive for real: Debian's Chromium (Playwright uses it;
# nothing is downloaded at run time) and Node.js (the mini program's tests).
SYSTEM_TOOLS := /usr/bin/chromium /usr/bin/node
/usr/bin/chromium:
	$(call apt_install,chromium)
/usr/bin/node:
	$(call apt_install,nodejs)

define apt_install
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
		echo "$(1) is missing: install it with 'sudo apt-get install $(1)'"; exit 1; \
	fi
endef

## run: set up everything, then serve API + portal, RQ worker and RQ cron (Ctrl-C stops all)
run: $(STAMP)
	$(BIN)/python -m backend.supervisor

## test: lint, then every test suite (PostgreSQL too when TEST_DATABASE_URL is set),
## then the benchmark's smoke run so that it never rots
test: $(STAMP) $(SYSTEM_TOOLS) lint pytest
	$(MAKE) --no-print-directory bench QUICK=1

pytest: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: the product beside the ceilings of its own stack (bench/README.md); QUICK=1: smoke
bench: $(STAMP)
	$(BIN)/python -m bench $(if $(QUICK),--quick)

## audit: known vulnerabilities in the installed packages (pip-audit; needs the network,
## so it is for people and CI with access, not part of `make test`)
audit: $(STAMP)
	$(BIN)/pip install --quiet 'pip-audit>=2.7'
	$(BIN)/pip-audit --local --strict --progress-spinner off

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
