"""The health of one process and of what it depends on, each check bounded in time.

The database must answer; Redis is required only where it is configured (the embedded default
runs tasks in-process); the index versions and the last worker heartbeat are reported so that an
operator sees a stale index or a dead worker pool, and the heartbeat makes the answer unhealthy
when workers are expected (Redis configured) but none has beaten for `HEARTBEAT_MAX_AGE` seconds.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import redis
from flask import current_app
from sqlalchemy import select, text

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read
from marketplace.models import MatchingIndexState

HEARTBEAT_KEY = "essaim:worker-heartbeat"
REDIS_TIMEOUT = 0.2  # seconds: a health check must answer fast even when Redis hangs


@dataclass
class Health:
    """What `/healthz` returns: `ok` is False when any required part failed."""

    ok: bool = True
    checks: dict = field(default_factory=dict)

    def fail(self, name: str, detail: str) -> None:
        self.ok = False
        self.checks[name] = {"ok": False, "detail": detail}


def _redis():
    url = current_app.config.get("REDIS_URL") or ""
    if not url:
        return None
    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def record_heartbeat(now: float | None = None) -> None:
    """Called by a worker task on a schedule: the time this worker pool was last seen alive."""
    client = _redis()
    if client is not None:
        max_age = current_app.config["HEARTBEAT_MAX_AGE"]
        client.set(HEARTBEAT_KEY, f"{now or time.time():.3f}", ex=int(max_age * 10))


def check(now: float | None = None) -> Health:
    """Run every check and say which failed."""
    now = now or time.time()
    health = Health()
    try:
        started = time.perf_counter()
        db.session.execute(text("SELECT 1"))
        states = db.session.execute(select(MatchingIndexState.kind, MatchingIndexState.version)).all()
        end_read()
        health.checks["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        health.checks["indexes"] = {"ok": True, "versions": {kind: version for kind, version in states}}
    except Exception as error:  # any database failure means "not healthy", with its reason
        db.session.rollback()
        health.fail("database", type(error).__name__)
    client = _redis()
    if client is None:
        health.checks["redis"] = {"ok": True, "detail": "non configuré : tâches exécutées dans le processus"}
        return health
    try:
        started = time.perf_counter()
        client.ping()
        beat = client.get(HEARTBEAT_KEY)
        health.checks["redis"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except redis.RedisError as error:
        health.fail("redis", type(error).__name__)
        return health
    max_age = current_app.config["HEARTBEAT_MAX_AGE"]
    age = None if beat is None else round(now - float(beat), 1)
    if age is None or age > max_age:
        health.fail("worker", "aucun battement de cœur" if age is None else f"dernier battement il y a {age} s")
        health.checks["worker"]["age_seconds"] = age
    else:
        health.checks["worker"] = {"ok": True, "age_seconds": age}
    return health
