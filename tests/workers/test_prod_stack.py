"""`make prod` on real services: gunicorn, a Celery worker and one beat from the Procfile (honcho),
against PostgreSQL, Redis and an SMTP address from the environment; /healthz answers 200 once the
worker beats. Bounded: the whole stack is stopped by its process group within the test's time."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.tools.services import require
from tests.workers.stack import PG_URL, ROOT, SHARED_REDIS, free_port, wait_for

pytestmark = pytest.mark.services


def _healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def prod_schema():
    require("postgres", PG_URL)
    require("redis", SHARED_REDIS)
    schema = f"p_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_make_prod_serves_with_workers_and_beat(prod_schema, tmp_path):
    port = free_port()
    # An operator's shell: not the flags of the `make test` this suite may run under (its
    # --output-sync would hold back every line of the stack until it stops).
    outer_make = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    shell = {name: value for name, value in os.environ.items() if name not in outer_make}
    env = dict(shell, ESSAIM_ENV="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=prod_schema,
               REDIS_URL=SHARED_REDIS, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(free_port()),
               PUBLIC_BASE_URL="https://essaim.example.fr", WEB_BIND=f"127.0.0.1:{port}",
               ESSAIM_INSTANCE_DIR=str(tmp_path), WEB_CONCURRENCY="1", WORKER_CONCURRENCY="1",
               HEARTBEAT_INTERVAL="2")
    log = open(tmp_path / "prod.log", "wb")
    stack = subprocess.Popen(["make", "--no-print-directory", "prod"], cwd=ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: _healthz(port) == 200 or stack.poll() is not None, 120, message="/healthz 200")
        output = (tmp_path / "prod.log").read_text(errors="replace")
        assert stack.poll() is None, output[-3000:]
        assert _healthz(port) == 200
        assert "gunicorn" in output.lower() and "celery" in output.lower() and "beat" in output.lower()
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait(timeout=10)
        log.close()
    deadline = time.monotonic() + 10
    while _healthz(port) and time.monotonic() < deadline:  # the stack stopped with its group
        time.sleep(0.2)
    assert _healthz(port) == 0
