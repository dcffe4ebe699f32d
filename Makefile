# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
SERVING := $(VENV)/.serving

.PHONY: run test lint seed backup restore loadtest serve-production demo-data bench clean lock

# Install a lock file: every package, direct or not, at its pinned version and with its hashes checked. Serving the
# site needs requirements.lock only; the tests add requirements-dev.lock (pytest, Playwright, schemathesis, ruff).
$(SERVING): requirements.lock
	@echo "Installing what the site needs (requirements.lock) into $(VENV)…"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --require-hashes --no-color -r requirements.lock
	touch $@

$(INSTALLED): $(SERVING) requirements-dev.lock
	@echo "Installing the test toolchain (requirements-dev.lock)…"
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# requirements.txt and requirements-dev.txt are the files people edit; this writes the locks from them
# (pip-tools, in a venv of its own). `make lock UPGRADE=1` moves every package to its newest allowed version.
LOCK_VENV := .venv-lock
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools==7.7.0; }
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

run: $(SERVING)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_data
	$(PY) manage.py create_demo_editor
	@# The task worker (derived figures, deals/figures/tasks.py) beside the server; Ctrl-C stops both.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(PY) -m pytest -n auto --dist loadfile --durations=15

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

seed: $(SERVING)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_data

# Every row (content, history, users), one consistent snapshot, to backups/dealsite-<time>.jsonl.gz; SQLite or PostgreSQL.
backup: $(SERVING)
	$(PY) manage.py backup

# make restore FILE=backups/dealsite-....jsonl.gz   (into a migrated, empty database; older .xml.gz files load too)
restore: $(SERVING)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/dealsite-<time>.jsonl.gz"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore "$(FILE)"

# Production's shape: gunicorn (WEB_CONCURRENCY workers, default 3) and the task worker on PostgreSQL and Redis
# (DATABASE_URL, CACHE_URL: the local services by default), migrated, static files collected; Ctrl-C stops both.
serve-production: $(SERVING)
	bash scripts/serve_production.sh

# serve-production under load: 60 s at 32 clients (locust in its own venv), then the API throttle across its
# workers; fails on any error or a throttle that lets more through than its rate. Needs PostgreSQL and Redis.
loadtest: $(SERVING)
	bash loadtest/run.sh

# 10,000 companies and 100,000 invented, published deals (seed 1) into the configured database (DATABASE_URL,
# else db.sqlite3); SIZE=1m: 100,000 companies and 1,000,000 deals. It refuses a database that holds data:
# `make demo-data FLUSH=1` deletes the content first.
SIZE ?= 100k
DEMO_SIZES_100k := --companies 10000 --deals 100000
DEMO_SIZES_1m := --companies 100000 --deals 1000000
demo-data: $(SERVING)
	@test -n "$(DEMO_SIZES_$(SIZE))" || { echo "SIZE is 100k or 1m"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py generate_demo_data $(DEMO_SIZES_$(SIZE)) --seed 1 $(if $(FLUSH),--flush)

# Every URL of the site and the API against Datasette (in its own venv) on 100,000 generated deals, on SQLite and
# PostgreSQL (BENCH_POSTGRES_URL), cache off and warm: writes bench/results-<db>-<mode>.md and .json, then prints
# the tables README shows. BENCH_REQUESTS sets the count (20), BENCH_QUICK=1 tries it in a few minutes.
bench: $(SERVING) bench/.venv/.installed
	$(PY) bench/run.py
	$(PY) bench/report.py

bench/.venv/.installed: bench/requirements.txt
	$(PYTHON) -m venv bench/.venv
	bench/.venv/bin/pip install --quiet -r bench/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) $(LOCK_VENV) db.sqlite3 staticfiles test-output .django-cache
