# Abiportaal: `make run` sets everything up and serves the portal; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup venv data test lint messages clean

run: setup
	$(MANAGE) runserver $(HOST):$(PORT)

setup: venv messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_catalogue
	$(MANAGE) build_site_tree
	$(MANAGE) load_demo_data
	$(MANAGE) rebuild_search_index
	$(MANAGE) load_demo_accounts

# The virtual environment is rebuilt whenever a lock file changes.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	touch $@

messages: venv
	$(MANAGE) compilemessages --ignore=.venv >/dev/null

test: venv messages
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artefacts
