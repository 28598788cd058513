# Abiportaal: `make run` sets everything up and serves the portal; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup venv data test lint messages clean

# The web server and, beside it, the background-job worker (e-mail, open-data rebuilds);
# Ctrl-C stops both.
run: setup
	$(MANAGE) run_worker --no-reload --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

setup: venv messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_catalogue
	$(MANAGE) load_gaps
	$(MANAGE) build_site_tree
	$(MANAGE) setup_kov_permissions
	$(MANAGE) load_demo_data
	$(MANAGE) load_search_synonyms
	$(MANAGE) build_onnx_embedder
	$(MANAGE) rebuild_search_index
	$(MANAGE) export_open_data --if-stale
	$(MANAGE) load_demo_accounts

# The virtual environment is rebuilt whenever a lock file changes.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	touch $@

# Compiles every gettext catalogue (top-level locale/ and each app's locale/).
messages: venv
	@if find . -path ./.venv -prune -o -path ./node_modules -prune -o -name '*.po' -print | grep -q .; then \
		$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null; fi

# One pytest-xdist worker per core (each with its own test database and browser).
test: venv messages node_modules
	$(PY) -m pytest -n auto

# axe-core for the accessibility tests in tests/browser (versions pinned in package-lock.json).
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: venv
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artefacts
