# manyi: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANYI := $(BIN)/manyi
PG_URL ?= postgres://postgres@127.0.0.1:5432/manyi_ci
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-deps install frontend static messages migrate lint browser-deps pdf-deps serve clean

# The product and its pinned dependencies, as a production install has them; the test
# oracles (statsmodels, pandas, …), the browser driver and the linters only for `make test`.
$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BIN)/activate

$(VENV)/.test-deps: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.test-deps

install: $(BIN)/activate

test-deps: $(VENV)/.test-deps

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules/.package-lock.json

frontend: node_modules/.package-lock.json

messages: install
	$(MANYI) compilemessages --ignore '.venv' --ignore 'node_modules' -v0

static: install frontend
	$(MANYI) collectstatic --noinput -v0

migrate: install
	$(MANYI) migrate --noinput -v0

# Debian's Chromium for the browser tests; installed when missing and we may.
browser-deps:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	  >/dev/null) || echo "chromium not installed: browser tests will be skipped"; }

# Pango and Chinese fonts for the PDF reports (WeasyPrint); installed when missing and we may.
pdf-deps:
	@{ ldconfig -p 2>/dev/null | grep -q libpangoft2 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; } \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null) \
	  || echo "Pango or fonts-noto-cjk not installed: PDF reports may fail or lack Chinese glyphs"; }

demo: install frontend messages static migrate pdf-deps
	$(MANYI) demo
	@echo
	@echo "manyi is starting on http://$(HOST):$(PORT)/  (Ctrl+C stops the server and the worker)"
	@echo "Two-factor sign-in is optional in the demo; in production admin and HQ must use it."
	@trap 'kill 0' EXIT INT TERM; export TWO_FACTOR_ROLES=; \
	  $(MANYI) worker & \
	  $(MANYI) runserver $(HOST):$(PORT) --noreload

lint: test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The whole suite on SQLite; then what touches the database again on PostgreSQL (the
# conftest leaves out the rest there); the time of each pass and the total.
test: test-deps frontend messages static browser-deps pdf-deps lint
	@start=$$(date +%s); \
	env -u DATABASE_URL $(BIN)/pytest -q || exit $$?; \
	sqlite=$$(( $$(date +%s) - start )); echo "== SQLite pass: $$sqlite s =="; \
	if [ -n "$$DATABASE_URL" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null \
	  || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  echo "== again on PostgreSQL =="; \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q || exit $$?; \
	  echo "== PostgreSQL pass: $$(( $$(date +%s) - start - sqlite )) s =="; \
	else echo "PostgreSQL not reachable: skipped the PostgreSQL run"; fi; \
	total=$$(( $$(date +%s) - start )); \
	echo "== make test: $$total s in all ($$(( total / 60 )) min $$(( total % 60 )) s) =="

clean:
	rm -rf $(VENV) node_modules var
