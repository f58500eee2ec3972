# PEP Portal: `make demo` serves the portal with demo data; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup demo test lint format migrate check clean browser-deps

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	@touch $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

# A quiet start (migrate and load print one line each), then the logins last, just before
# serving. Links in emails point at http://$(HOST):$(PORT) (SITE_URL).
demo: setup
	@echo "Preparing the demo database (migrate, load the Portsmouth demo data)..."
	@$(PY) manage.py migrate --noinput --verbosity 0
	@$(PY) manage.py load_demo --verbosity 0 --no-logins
	@echo ""
	@echo "Serving PEP Portal at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "Demo only: officers and admins are not asked for a second factor (REQUIRE_MFA_FOR_STAFF=false)."
	@echo "Emails are printed here (console backend); their links use http://$(HOST):$(PORT)/."
	@echo ""
	@$(PY) manage.py load_demo --logins-only
	@echo ""
	@SITE_URL=http://$(HOST):$(PORT) REQUIRE_MFA_FOR_STAFF=false $(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's chromium; install it when we can (root), otherwise the
# browser tests say what is missing (and fail in CI).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# Two passes: the self-contained tests spread over the cores (pytest-xdist), then the tests
# that drive Chromium, real Celery workers or private service instances, one at a time.
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: setup browser-deps
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(PYTEST_WORKERS) -m "not services and not browser" $(PYTEST_ARGS)
	$(PY) -m pytest -m "services or browser" $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: setup
	$(PY) manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 var/
