"""`/healthz`: the database, Redis where configured, index versions and the workers' heartbeat."""
from __future__ import annotations

import time

import pytest
import redis

from config import TestingConfig
from marketplace import create_app
from marketplace.health import services as health
from tests.tools.services import require

HEALTH_REDIS = "redis://127.0.0.1:6379/6"  # a db number of its own: only the heartbeat key is touched


def test_healthy_in_the_embedded_default(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["detail"].startswith("non configuré")
    assert response.headers["Cache-Control"] == "no-store"


def test_index_versions_are_reported(client, db):
    from marketplace.models import MatchingIndexState

    db.session.add(MatchingIndexState(kind="offers", version=7))
    db.session.commit()
    assert client.get("/healthz").get_json()["checks"]["indexes"]["versions"] == {"offers": 7}


def test_unreachable_database_answers_503(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
                     MAIL_FILE_PATH=str(tmp_path / "mail"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"]["ok"] is False


def test_unreachable_redis_answers_503_quickly(app, client, db):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"]["ok"] is False
    assert time.monotonic() - started < 5  # bounded by the short timeouts, not by a TCP default


@pytest.mark.services
def test_worker_heartbeat_makes_the_difference(app, client, db):
    require("redis", HEALTH_REDIS)
    app.config["REDIS_URL"] = HEALTH_REDIS
    redis.Redis.from_url(HEALTH_REDIS).delete(health.HEARTBEAT_KEY)

    silent = client.get("/healthz")
    assert silent.status_code == 503
    assert silent.get_json()["checks"]["worker"]["ok"] is False

    health.record_heartbeat()
    alive = client.get("/healthz").get_json()
    assert alive["status"] == "ok" and alive["checks"]["worker"]["age_seconds"] < 60

    health.record_heartbeat(now=time.time() - app.config["HEARTBEAT_MAX_AGE"] - 5)
    assert client.get("/healthz").status_code == 503
    redis.Redis.from_url(HEALTH_REDIS).delete(health.HEARTBEAT_KEY)
