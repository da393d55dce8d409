# Reciproca — one Makefile for a newcomer, CI and production.
#   make demo   installs everything, builds the Isère demo on SQLite and serves it
#   make test   installs everything and runs the whole suite
SHELL := /bin/bash
PORT ?= 8000
UV ?= uv
RUN := $(UV) run --frozen
DEMO_DB := var/reciproca.sqlite3
DEMO_MARK := var/.demo-database
# `make test` runs the suite on two pytest-xdist workers, one test file each at a time
# (measured faster than serial on a 2-core machine). Serially: make test PYTEST_JOBS=0
# (or PYTEST_ARGS="-n 0"); PYTEST_ARGS adds any pytest option, e.g. PYTEST_ARGS="-k diagnosis".
PYTEST_JOBS ?= 2
PYTEST_ARGS ?=

.PHONY: deploy-check audit help setup system-deps python-deps locales demo demo-data serve-prod serve test lint format worker coverage traceability clean

help:
	@echo "make demo      - install, load the Isère demo, serve on http://127.0.0.1:$(PORT)"
	@echo "make test      - install, run the whole suite (SQLite, or DATABASE_URL; PYTEST_JOBS=0: serially)"
	@echo "make lint      - ruff, mypy, makemigrations --check, every message translated"
	@echo "make serve     - serve the current database on 127.0.0.1:$(PORT)"
	@echo "make worker    - run the background task worker"
	@echo "make coverage  - list every charter clause with the tests that carry its ID"
	@echo "make traceability - rewrite docs/charter-traceability.md from the tests"
	@echo "make deploy-check - Django's deployment checks with production settings (CI runs it)"
	@echo "make audit     - deploy-check, then pip-audit of the locked dependencies (needs PyPI's JSON API)"

setup: system-deps python-deps locales

system-deps:
	@bash scripts/install-system-deps.sh

python-deps:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet "uv>=0.5"
	@# --compile-bytecode: the .pyc files written once (seconds), so that no process compiles the
	@# sources at each start where PYTHONDONTWRITEBYTECODE is set (about 3 s a process measured).
	@$(UV) sync --frozen --quiet --compile-bytecode

locales: python-deps
	@RECIPROCA_DEBUG=1 $(RUN) reciproca compilemessages --ignore=.venv --verbosity 0

# The demo lives in the database every command of a fresh checkout uses (config/settings.py:
# var/reciproca.sqlite3), so that `uv run reciproca charter show` after `make demo` reads it.
# `make demo` rebuilds it only when it is the demo's own (var/.demo-database) or empty.
demo: setup
	@if [ -s $(DEMO_DB) ] && [ ! -e $(DEMO_MARK) ] && [ $$(stat -c %s $(DEMO_DB)) -gt 200000 ]; then \
		echo "$(DEMO_DB) holds data that is not the demo's: move it away, or run the demo on another database with DATABASE_URL=sqlite:///path/demo.sqlite3 make demo-data serve-prod" >&2; exit 1; fi
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(MAKE) --no-print-directory demo-data
	@touch $(DEMO_MARK)
	@echo ""
	@echo "Reciproca (démonstration Isère) : http://127.0.0.1:$(PORT)/"
	@$(RUN) reciproca demo_logins
	@# The demo's personas have no authenticator app: the staff's two-factor rule is off here only.
	@RECIPROCA_STAFF_2FA=0 $(MAKE) --no-print-directory serve-prod

demo-data:
	@$(RUN) reciproca migrate --noinput --verbosity 0
	@$(RUN) reciproca load_reference
	@$(RUN) reciproca charter load reciproca/charter/charters/isere.yaml
	@$(RUN) reciproca load_demo

# As in production: DEBUG off, the static files collected and served by WhiteNoise, the
# branded error pages (403, 404, 500).
serve-prod:
	@$(RUN) reciproca collectstatic --noinput --verbosity 0
	@$(RUN) reciproca runserver --noreload 127.0.0.1:$(PORT)

serve: python-deps
	@RECIPROCA_DEBUG=1 $(RUN) reciproca migrate --noinput --verbosity 0
	@RECIPROCA_DEBUG=1 $(RUN) reciproca runserver 127.0.0.1:$(PORT)

worker: python-deps
	@$(RUN) reciproca db_worker

test: setup
	@$(RUN) pytest -n $(PYTEST_JOBS) --dist loadfile $(PYTEST_ARGS)

lint: python-deps
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@RECIPROCA_DEBUG=1 $(RUN) mypy reciproca config
	@RECIPROCA_DEBUG=1 $(RUN) reciproca makemigrations --check --dry-run --verbosity 1
	@bash scripts/check-translations.sh

format: python-deps
	@$(RUN) ruff check --fix .
	@$(RUN) ruff format .

CHARTER := reciproca/charter/charters/isere.yaml

coverage: python-deps
	@RECIPROCA_DEBUG=1 $(RUN) reciproca charter coverage --file $(CHARTER)

traceability: python-deps
	@RECIPROCA_DEBUG=1 $(RUN) reciproca charter coverage --file $(CHARTER) --format markdown > docs/charter-traceability.md.tmp
	@mv docs/charter-traceability.md.tmp docs/charter-traceability.md
	@echo "docs/charter-traceability.md rewritten"

clean:
	rm -rf var .venv .pytest_cache .mypy_cache .ruff_cache test-artifacts

# Production settings as a deployment would set them (HTTPS, a strong key, a real host name).
deploy-check: python-deps
	@RECIPROCA_HTTPS=1 RECIPROCA_ALLOWED_HOSTS=reciproca.example.org \
	  RECIPROCA_SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	  $(RUN) reciproca check --deploy --fail-level WARNING

# --strict: a dependency that could not be audited (no vulnerability data reachable) fails too.
audit: deploy-check
	@$(UV) export --frozen --format requirements-txt --no-hashes --no-emit-project > var/requirements-audit.txt
	@$(RUN) pip-audit --strict --disable-pip --no-deps -s pypi -r var/requirements-audit.txt

