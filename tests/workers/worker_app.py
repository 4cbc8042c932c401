"""The Celery application run by the worker subprocesses of tests/workers.

`celery -A tests.workers.worker_app worker`: the settings come as JSON in ESSAIM_WORKER_TEST_CONFIG,
written by tests/workers/stack.py, so the worker shares the test's database, Redis, SMTP server and
matching index directory. An entry point like wsgi.py: building the app at import is its job.
"""
import json
import os

from config import TestingConfig
from marketplace import create_app

app = create_app(TestingConfig, **json.loads(os.environ["ESSAIM_WORKER_TEST_CONFIG"]))
celery_app = app.extensions["celery"]
