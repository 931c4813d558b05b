# Winroom: `make run` to try it, `make test` to check it. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
VENDOR := winroom/static/vendor
PG_URL_DEFAULT := postgres://postgres@127.0.0.1:5432/winroom

.PHONY: run test install static migrate demo lint check test-sqlite test-postgres test-browser messages serve clean bench

$(VENV)/.installed: pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end libraries (apt-get install npm)"; exit 1; }
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)
	@cp node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js \
	    node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	@touch $@

static: $(VENDOR)/.installed

migrate: install
	@mkdir -p var
	@$(PY) -m winroom.manage migrate --noinput -v 0

demo: migrate
	@$(PY) -m winroom.manage load_demo

# the task consumer (large imports) runs beside the dev server and stops with it
run: install static demo
	@echo "Winroom is serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	@$(PY) -m winroom.manage run_huey --quiet & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null; wait $$consumer 2>/dev/null' EXIT INT TERM; \
	$(PY) -m winroom.manage runserver 127.0.0.1:$(PORT)

lint: install
	@echo "== ruff"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@echo "== mypy (methodology core)"
	@$(VENV)/bin/mypy --no-error-summary

check: install static
	@echo "== manage.py check / makemigrations --check"
	@$(PY) -m winroom.manage check --fail-level WARNING
	@$(PY) -m winroom.manage makemigrations --check --dry-run -v 0

test-sqlite: install static
	@echo "== pytest on SQLite"
	@env -u DATABASE_URL $(PY) -m pytest -m "not browser" -p winroom.testing.report

test-postgres: install static
	@url="$${DATABASE_URL:-$(PG_URL_DEFAULT)}"; \
	if $(PY) -m winroom.testing.pg_ready "$$url"; then \
	  echo "== pytest on PostgreSQL ($$url)"; \
	  DATABASE_URL="$$url" $(PY) -m pytest -m "not browser" -p winroom.testing.report; \
	else \
	  echo "== PostgreSQL is not reachable at $$url: the PostgreSQL run is SKIPPED"; \
	fi

test-browser: install static
	@echo "== browser tests (Playwright + $${CHROMIUM:-/usr/bin/chromium})"
	@env -u DATABASE_URL $(PY) -m pytest -m browser -p winroom.testing.report

test: lint check test-sqlite test-postgres test-browser
	@echo "== all checks passed"

# Extract new strings, then compile; tools/fill_po.py lists what still needs translating.
messages: install
	@cd winroom && ../$(PY) -m winroom.manage makemessages -l zh_Hans --no-obsolete --no-location \
	    -i 'static/*' -i 'browser_tests/*' -i '*/tests/*'
	@$(PY) tools/fill_po.py

# Benchmarks, not tests: times are reported, never asserted. SCALE=rows (default 100000);
# DATABASE_URL=postgres://… measures on PostgreSQL (a fresh test_<name> database is made).
bench: install
	@$(PY) bench/import_bench.py $(if $(SCALE),--rows $(SCALE))

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
