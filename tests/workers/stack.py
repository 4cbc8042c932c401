"""Real services for tests/workers: Redis, PostgreSQL (or a SQLite file), SMTP, worker processes.

Every subprocess is started in its own process group and killed by its id; every wait is a poll
with a deadline.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.tools.services import postgres_answers, redis_answers

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(ROOT / ".venv" / "bin" / "celery")


def _redis_db() -> int:
    """A Redis database number of this test process's own, flushed by each test: two xdist
    workers never flush or consume each other's queues (db 6 belongs to the health tests)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return 8 + int(worker[2:]) if worker.startswith("gw") else 5


SHARED_REDIS = f"redis://127.0.0.1:6379/{_redis_db()}"
PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def require(kind: str, url: str) -> None:
    """Skip (with the reason) when a service does not answer; fail instead when CI=true."""
    problem = (redis_answers if kind == "redis" else postgres_answers)(url)
    if problem is None:
        return
    message = f"{kind} at {url} does not answer ({problem}); tests/workers need it"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} and CI=true makes it required")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2, message: str = "condition", watch=()):
    """Poll `predicate` until it returns a truthy value; fail after `timeout` seconds, or at once
    (with its log) when one of the `watch` processes has died."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        for process in watch:
            if process.popen.poll() is not None:
                raise AssertionError(f"{process.log.name} exited while waiting for {message}:\n{process.tail()}")
        if time.monotonic() > deadline:
            logs = "\n".join(p.tail(15) for p in watch)
            raise AssertionError(f"timed out after {timeout}s waiting for {message}\n{logs}")
        time.sleep(interval)


class Process:
    """A subprocess in its own process group, with its output in a log file."""

    def __init__(self, args, log: Path, env=None):
        self.log = log
        self.handle = open(log, "ab")
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self.handle.close()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class RedisServer(Process):
    """A private redis-server on its own port (stopped and restarted by the tests, never the shared one)."""

    def __init__(self, tmp_path: Path, port: int | None = None):
        self.port = port or free_port()
        super().__init__(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no", "--dir", str(tmp_path)], tmp_path / f"redis-{self.port}.log")
        wait_for(lambda: redis_answers(self.url) is None, 10, message="the private redis-server")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class Stack:
    """The test's application plus the settings its worker subprocesses share."""

    def __init__(self, tmp_path: Path, redis_url: str = SHARED_REDIS, **settings):
        self.tmp_path = tmp_path
        self.processes: list[Process] = []
        self.schema = None
        self.admin = None
        self.overrides = {
            "REDIS_URL": redis_url,
            "MATCHING_INDEX_DIR": str(tmp_path / "matching"),
            "MAIL_FILE_PATH": str(tmp_path / "mail"),
            "SWEEP_INTERVAL": 1,
            "TASK_INTENT_RETRY_AFTER": 10,
            "OUTBOX_RETRY_BASE": 1,
            "MAIL_TIMEOUT": 3,
            **settings,
        }
        self._database()

    def _database(self) -> None:
        if postgres_answers(PG_URL) is None:
            self.schema = f"w_{uuid.uuid4().hex[:12]}"
            self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            self.overrides["SQLALCHEMY_DATABASE_URI"] = PG_URL
            self.overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {
                "connect_args": {"options": f"-csearch_path={self.schema}"}, "pool_pre_ping": True}
        elif os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_URL} is required when CI=true")
        else:  # a file, so that the worker processes share it (an in-memory database cannot be)
            self.overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{self.tmp_path / 'shared.sqlite3'}"

    def create_app(self):
        from config import TestingConfig
        from marketplace import create_app

        return create_app(TestingConfig, **self.overrides)

    def start_worker(self, name: str, beat: bool = True, concurrency: int = 2, queues: str | None = None,
                     pool: str | None = None, env: dict | None = None, settings: dict | None = None) -> Process:
        """A real `celery worker` subprocess (with the beat scheduler embedded when `beat`), on
        `queues` (comma-separated, default: the default queue) with `pool` (default: prefork);
        `settings` override the stack's for this worker only (e.g. a MATCHING_INDEX_DIR of its own)."""
        config = json.dumps({**self.overrides, **(settings or {})})
        env = dict(os.environ, ESSAIM_WORKER_TEST_CONFIG=config, PYTHONPATH=str(ROOT), **(env or {}))
        args = [CELERY, "-A", "tests.workers.worker_app:celery_app", "worker", "-l", "info", "-n", f"{name}@%h",
                "--concurrency", str(concurrency), "--without-gossip", "--without-mingle"]
        if queues:
            args += ["-Q", queues]
        if pool:
            args += ["-P", pool]
        if beat:
            args += ["-B", "-s", str(self.tmp_path / f"beat-{name}")]
        process = Process(args, self.tmp_path / f"worker-{name}.log", env=env)
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in self.processes:
            process.kill()
        if self.admin is not None:
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            self.admin.dispose()


@contextmanager
def app_context(stack: Stack):
    """The test process's application on the shared database: context pushed, tables created."""
    from marketplace.core.extensions import db
    from marketplace.suggestions import index as matching_index

    app = stack.create_app()
    with app.app_context():
        db.create_all()
        matching_index.reset_cache()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
            matching_index.reset_cache()
