# Essaim: `make run` serves the app, `make test` runs the whole suite. Both are self-sufficient
# on a fresh Linux machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi
# The PostgreSQL database the suite runs against a second time (CI=true makes it required).
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run prod test test-databases test-sqlite test-services test-postgres translations bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile --use-fuzzy -d marketplace/translations 2>&1 | grep -v "^compiling" || true

run: $(VENV)/.runtime translations
	$(BIN)/flask first-start
	@echo "Essaim : http://$(HOST):$(PORT)"
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL set: starting a Celery worker and the beat scheduler beside the web server"; \
	  $(BIN)/celery -A wsgi.celery_app worker --concurrency 2 --loglevel INFO & worker=$$!; \
	  $(BIN)/celery -A wsgi.celery_app beat --loglevel INFO --schedule "$${ESSAIM_INSTANCE_DIR:-instance}/celerybeat-schedule" & beat=$$!; \
	  trap "kill $$worker $$beat 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/flask run --host $(HOST) --port $(PORT); \
	else \
	  $(BIN)/flask run --host $(HOST) --port $(PORT); \
	fi

# Production: gunicorn, the Celery workers and exactly one beat (Procfile, run by honcho) against
# the PostgreSQL, Redis and SMTP named in the environment. ESSAIM_ENV=production makes the app and
# the workers refuse unsafe settings (default secret, SQLite, no mail server, http base URL).
prod: $(VENV)/.runtime translations
	ESSAIM_ENV=production $(BIN)/flask db upgrade
	ESSAIM_ENV=production PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start --no-prefix -f Procfile

# Two lanes at once (GNU make -j2): the database tests (SQLite, then PostgreSQL) in one, the tests
# that drive real workers, Redis, SMTP and Chromium in the other. The second lane spends half its
# time waiting (servers starting, pages loading, tasks polled): run after the first, it added its
# whole length to the suite; beside it, it fills the cores the first leaves idle. Each lane's
# output is printed, whole, when the lane ends (--output-sync).
test: $(VENV)/.dev translations
	@echo "make test: the database tests and the worker and browser tests run at once; each part's output shows when it ends"
	@$(MAKE) --no-print-directory -j2 --output-sync=recurse test-databases test-services

test-databases:
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

# Pure and database tests in two processes.
# When PostgreSQL answers, the service and view tests run there (test-postgres), and here on
# SQLite only those marked `both_databases`: the tests of the modules that branch on the SQL
# dialect (tests/test_dialects.py keeps that list whole). Running every one on both databases
# cost ~4 minutes of the suite for the views and ~2 for the services. Without PostgreSQL, all of
# them run here.
test-sqlite:
	@only=0; \
	if $(BIN)/python -m tests.tools.services postgres "$(PG_TEST_URL)" >/dev/null 2>&1; then \
	  only=1; echo "service and view tests: on PostgreSQL by test-postgres, here only those marked both_databases"; \
	fi; \
	SQLITE_DIALECT_TESTS_ONLY=$$only $(BIN)/pytest -q -p no:cacheprovider -n 2 tests/test_architecture.py tests/test_dialects.py tests/test_practices_layout.py tests/matching tests/models tests/services tests/views

# The tests that drive real workers, Redis, SMTP and Chromium, in two processes, a file at a time
# each (every process has a Redis database number of its own, every served app its own port,
# database and folders).
test-services:
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile tests/workers tests/browser

# The model, service and view tests on PostgreSQL (skipped with a message when it is not there,
# unless CI=true).
test-postgres:
	@rc=0; $(BIN)/python -m tests.tools.services postgres "$(PG_TEST_URL)" || rc=$$?; \
	if [ $$rc -eq 0 ]; then \
	  TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -q -p no:cacheprovider -n 2 tests/models tests/services tests/views; \
	elif [ $$rc -ne 1 ]; then exit $$rc; fi

bench: $(VENV)/.dev
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/matching_quality.py
	$(BIN)/python bench/matching_speed.py

clean:
	rm -rf $(VENV) instance .pytest_cache
