# Two commands for a fresh machine with Python 3.11, make and git: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint vnu lighthouse migrate demo messages clean serve serve-edge bench
# gunicorn workers for `make serve`: the usual 2 x cores + 1.
WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 + 1 )))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes; the stamp files remember what is installed.
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-runtime

migrate: $(VENV)/.installed-runtime
	mkdir -p var
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py demo

# The task worker runs beside the server, so alerts and feed pings leave at a release's second.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	export DJANGO_DEBUG=1 NEWSROOM_TASK_BACKEND=database; \
	{ $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT); }

# Production settings on loopback: gunicorn plus the task worker. TLS belongs to a proxy in front;
# without one, admin logins (secure cookies) do not work here, public pages do. A start empties
# the edge cache (NEWSROOM_EDGE_PURGE_URLS): its pages were built by the code that ran before.
serve: $(VENV)/.installed-runtime
	mkdir -p var
	test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	export NEWSROOM_ENV=production DJANGO_SECRET_KEY="$$(cat var/secret_key)" \
	  DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  NEWSROOM_BASE_URL="$${NEWSROOM_BASE_URL:-http://$(HOST):$(PORT)}" \
	  NEWSROOM_SSL_REDIRECT=0 NEWSROOM_SERVE_MEDIA=1 NEWSROOM_TASK_BACKEND=database; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput -v0 && \
	$(BIN)/python manage.py purge_edge && \
	{ $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -; }

# `make serve` with Varnish (edge/newsroom.vcl) in front on 127.0.0.1:$(EDGE_PORT): pages come
# from the edge, purged by key on every public change. Needs Debian's varnish and varnish-modules.
EDGE_PORT ?= 6081
serve-edge:
	@command -v varnishd >/dev/null || test -x /usr/sbin/varnishd || \
	  { echo "Install Varnish first: apt-get install varnish varnish-modules"; exit 1; }
	@echo "Edge cache on http://127.0.0.1:$(EDGE_PORT)/ in front of http://$(HOST):$(PORT)/"
	$(BIN)/python edge/varnish.py --backend $(HOST):$(PORT) --listen 127.0.0.1:$(EDGE_PORT) & edge=$$!; \
	  trap 'kill $$edge 2>/dev/null' EXIT INT TERM; \
	  NEWSROOM_EDGE_PURGE_URLS="http://127.0.0.1:$(EDGE_PORT)/" $(MAKE) serve

# Issue 13's targets against a bare view: SQLite with 10,000 releases, PostgreSQL with 100,000
# (BENCH_ARGS="--postgres URL" or a postgres DATABASE_URL); see docs/benchmarks.md.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# The Nu Html Checker for tests/test_html_validity.py, from npm into var/vnu/ (git-ignored); it
# needs Java. Without Java or npm the test skips, unless NEWSROOM_REQUIRE_VNU=1 (CI) fails it.
VNU_VERSION := 26.9.27
VNU_STAMP := var/vnu/.installed-$(VNU_VERSION)

$(VNU_STAMP):
	rm -rf var/vnu && mkdir -p var/vnu
	npm install --silent --no-audit --no-fund --no-save --prefix var/vnu vnu-jar@$(VNU_VERSION)
	touch $@

HAVE_JAVA_AND_NPM := $(and $(shell command -v java),$(shell command -v npm))

vnu: $(if $(HAVE_JAVA_AND_NPM),$(VNU_STAMP))
	@test -n "$(HAVE_JAVA_AND_NPM)" || echo "No Java or npm: the HTML validity test will skip"

# Lighthouse for tests/browser/test_gallery_quality.py, from npm into var/lighthouse/
# (git-ignored); it drives Debian's /usr/bin/chromium (CHROME_PATH), never a downloaded browser.
# 12.8 is the last line that runs on Node.js 20 (13 needs 22). Without npm the test skips,
# unless NEWSROOM_REQUIRE_LIGHTHOUSE=1 (CI) fails it.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_STAMP := var/lighthouse/.installed-$(LIGHTHOUSE_VERSION)

$(LIGHTHOUSE_STAMP):
	rm -rf var/lighthouse && mkdir -p var/lighthouse
	npm install --silent --no-audit --no-fund --no-save --prefix var/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

HAVE_NPM := $(shell command -v npm)

lighthouse: $(if $(HAVE_NPM),$(LIGHTHOUSE_STAMP))
	@test -n "$(HAVE_NPM)" || echo "No npm: the Lighthouse test will skip"

# pytest-xdist spreads the suite over the cores. Its default scheduling hands out the tests in
# the order pytest-django gave them, so each worker runs its transactional tests (which empty the
# database) after the others, as Django orders them. The tests marked `alone` (Lighthouse's speed
# score, which falls when other work shares the CPU) run afterwards, by themselves, as in CI.
# PYTEST_ARGS replaces both runs with one (PYTEST_ARGS="-k vcard" runs in one process).
ifeq ($(origin PYTEST_ARGS),undefined)
TEST_COMMAND = $(BIN)/python -m pytest -n auto -m "not alone" && $(BIN)/python -m pytest -m alone
else
TEST_COMMAND = $(BIN)/python -m pytest $(PYTEST_ARGS)
endif

test: lint vnu lighthouse
	$(TEST_COMMAND)

# Needs GNU gettext; the compiled catalogues are committed so nobody else does.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --locale de --locale en --ignore ".venv/*" --ignore "var/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
