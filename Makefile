# PEP Portal: `make demo` serves the portal with demo data; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup demo test test-fast lint format migrate check typecheck clean browser-deps

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

# The quick loop while working: the self-contained tests of what changed since FAST_BASE
# (committed on this branch or not; tools/changed_tests.py maps files to tests/ folders),
# last failures first, stopping at the first failure. Nothing changed: the last failures.
# The test database is kept between runs (--reuse-db); `PYTEST_ARGS=--create-db` rebuilds it.
FAST_BASE ?= main
test-fast: setup
	@paths="$$(FAST_BASE=$(FAST_BASE) $(PY) tools/changed_tests.py)"; \
	if [ -n "$$paths" ]; then \
		echo "pytest $$paths"; \
		$(PY) -m pytest -q -x --ff -m "not services and not browser" $$paths $(PYTEST_ARGS); \
	else \
		echo "nothing changed since $(FAST_BASE): the last run's failures"; \
		$(PY) -m pytest -q -x --lf --lfnf=none -m "not services and not browser" $(PYTEST_ARGS); \
		rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc; \
	fi

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Static checks, run by CI before the tests: lint and format (ruff), the layer contract
# (import-linter, .importlinter), types (mypy with the django-stubs and DRF plugins: strict on
# calculation and service modules, pyproject.toml [tool.mypy]) and Django's system checks.
check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@if [ -f .importlinter ]; then $(VENV)/bin/lint-imports; else echo "lint-imports: no .importlinter yet"; fi
	$(VENV)/bin/mypy
	$(PY) manage.py check

typecheck: setup
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) db.sqlite3 var/
