# Backline: `make run` to start, `make test` to test. Everything installs into .venv and frontend/node_modules.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets migrate demo lint check-deploy fuzz audit bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

backline/static/dist/.built: frontend/node_modules/.installed frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && node build.mjs
	touch $@

assets: backline/static/dist/.built

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

run: install assets demo
	@echo "Serving Backline at http://$(HOST):$(PORT)/ (Ctrl-C stops it and the scheduler)"
	@$(PY) manage.py scheduler & SCHED=$$!; \
	trap "kill $$SCHED 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite without the browser journeys runs on PYTEST_WORKERS processes (pytest-xdist; 0 = one process);
# the journeys then run in one process, as they share a real browser and time out under load. Exit code 5
# ("no tests collected", when PYTEST_ARGS picks only one kind) is not a failure.
PYTEST_WORKERS ?= 2
test: install assets
	$(PY) -m pytest -m "not browser" -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] || exit $$rc
	$(PY) -m pytest -m browser $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] || exit $$rc

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Production settings as deployed: a shared cache (Redis) is required, so check with one
# (CHECK_REDIS_URL, CI's Redis by default); without it the check fails with backline.E001.
CHECK_REDIS_URL ?= redis://127.0.0.1:6379/0
check-deploy: install
	BACKLINE_ENV=production SECRET_KEY=ci-check-deploy-0123456789abcdefghijklmnopqrstuvwxyz \
	ALLOWED_HOSTS=backline.example.org REDIS_URL=$(CHECK_REDIS_URL) \
	$(PY) manage.py check --deploy --fail-level WARNING

# Schemathesis over the OpenAPI document against a real server on a fresh PostgreSQL database
# (FUZZ_DATABASE_URL; dropped afterwards), as three roles, a fixed and a random seed; see tests/fuzz/run.py.
fuzz: install
	$(PY) tests/fuzz/run.py

# pip-audit over requirements.lock; says SKIPPED when no vulnerability database can be reached.
audit: install
	$(PY) .ci/audit.py requirements.lock

bench: install
	@ls bench/*.py >/dev/null 2>&1 && for f in bench/*.py; do $(PY) $$f; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) frontend/node_modules backline/static/dist var db.sqlite3*
