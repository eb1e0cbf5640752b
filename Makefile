# Front door of the diagnostic spinal block outcome tracker.
#   make run    set up and start the development server on http://127.0.0.1:8000/
#   make test   everything CI checks: lint, migrations, schema, tests on SQLite and PostgreSQL, fuzzing
# GNU make; recipes are run by bash with -euo pipefail.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Extra arguments for every pytest run, e.g. make test-sqlite PYTEST_ARGS="-x -k rules"
PYTEST_ARGS ?=

# Keep matplotlib's, Chromium's and pip's caches out of $HOME, inside the project.
CACHE_DIR := $(CURDIR)/.cache
export XDG_CACHE_HOME := $(CACHE_DIR)
export MPLCONFIGDIR := $(CACHE_DIR)/matplotlib
export MPLBACKEND := Agg

RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help venv dev run lint fmt migrations-check check schema-check browser-deps pdf-deps \
	test test-sqlite test-postgres fuzz

help:
	@echo "make run               migrate, collect static files, seed demo data, start runserver"
	@echo "make test              dev install, browser-deps, pdf-deps, lint, migrations-check, check,"
	@echo "                       schema-check, pytest on SQLite, pytest on PostgreSQL, fuzz"
	@echo "make venv              create $(VENV) and install requirements.txt"
	@echo "make dev               ... and requirements-dev.txt"
	@echo "make lint | fmt        ruff check + format check | ruff format + fix"
	@echo "make migrations-check  fail if models changed without a migration"
	@echo "make check             manage.py check"
	@echo "make schema-check      validate the OpenAPI schema (warnings fail)"
	@echo "make test-sqlite       pytest on SQLite (tests marked postgres are deselected)"
	@echo "make test-postgres     pytest on a throwaway PostgreSQL 15 and its streaming replica"
	@echo "make browser-deps      install Debian's chromium for the browser tests if missing"
	@echo "make pdf-deps          install Debian's Pango for WeasyPrint's PDFs if missing"
	@echo "make fuzz              schemathesis against a server started for it (scripts/fuzz.sh)"
	@echo "PYTEST_ARGS=...        extra pytest arguments for test-sqlite / test-postgres"

# --- environment -----------------------------------------------------------------------------

$(PY):
	@test -n "$(PYTHON)" || { echo "python3.11 / python3 not found" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install -r requirements.txt
	$(PY) -m pip check
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -r requirements-dev.txt
	$(PY) -m pip check
	touch $@

venv: $(RUNTIME_STAMP)

dev: $(DEV_STAMP)

$(CACHE_DIR):
	mkdir -p $(MPLCONFIGDIR)

# --- development server ----------------------------------------------------------------------

# DEBUG on: runserver serves static files and the development secret key is used.
run: export DJANGO_DEBUG := 1
run: venv | $(CACHE_DIR)
	$(PY) manage.py migrate
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py seed_demo
	@# The job worker (follow-up invitations) runs beside the server and stops with it.
	$(PY) manage.py follow_up_sweep
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# --- checks ----------------------------------------------------------------------------------

# Management commands below load the settings in test mode (development key, DEBUG off).
migrations-check check schema-check test-sqlite test-postgres: export DJANGO_TESTING := 1

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: dev
	$(PY) manage.py makemigrations --check --dry-run

check: dev
	$(PY) manage.py check

schema-check: dev | $(CACHE_DIR)
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(CACHE_DIR)/openapi-schema.yaml
	@echo "OpenAPI schema valid: $(CACHE_DIR)/openapi-schema.yaml"

browser-deps:
	scripts/browser-deps.sh

# WeasyPrint (the PDFs of blocks/sharing) lays text out with Debian's Pango.
pdf-deps:
	PY=$(PY) scripts/pdf-deps.sh

# --- tests -----------------------------------------------------------------------------------
# pytest exits non-zero on failures and also when no test was collected (exit code 5);
# both fail the target.

test-sqlite: dev | $(CACHE_DIR)
	env -u DATABASE_URL $(BIN)/pytest -m "not postgres" $(PYTEST_ARGS)

test-postgres: dev | $(CACHE_DIR)
	scripts/with-postgres.sh --replica $(BIN)/pytest $(PYTEST_ARGS)

# schemathesis, every check on, 20 examples per operation, seed 1, against runserver on a free
# port with a fresh SQLite database (scripts/fuzz.sh starts and stops it).
fuzz: dev | $(CACHE_DIR)
	scripts/fuzz.sh

test: dev browser-deps pdf-deps lint migrations-check check schema-check test-sqlite test-postgres fuzz
	@echo "make test: all checks passed"
