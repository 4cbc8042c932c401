"""Task intents: published after the commit, kept when the broker is down, swept later."""
from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest

from config import TestingConfig
from marketplace import create_app
from marketplace.core.extensions import db as _db
from marketplace.models import TaskIntent
from marketplace.models.base import utcnow
from marketplace.core import task_queue


def test_intent_id_round_trip():
    assert task_queue.intent_id_of("intent-42-ab12cd34") == 42
    assert task_queue.intent_id_of("5d0c-some-uuid") is None
    assert task_queue.intent_id_of(None) is None
    assert task_queue.intent_id_of("intent-x-1") is None


def test_rollback_publishes_nothing(app, db):
    task_queue.enqueue_after_commit("workers.tasks.match_need", 999)
    db.session.rollback()
    db.session.commit()  # a later commit must not publish the rolled-back intent
    assert db.session.query(TaskIntent).count() == 0


def test_task_deletes_its_intent(app, db):
    # Eager Celery: the task (a need that does not exist) runs after the commit, then marks done.
    task_queue.enqueue_after_commit("workers.tasks.match_need", 12345)
    db.session.commit()
    assert db.session.query(TaskIntent).count() == 0


@pytest.fixture
def app_with_dead_broker(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    application = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                             REDIS_URL=f"redis://127.0.0.1:{port}/0", MATCHING_INDEX_DIR=str(tmp_path))
    with application.app_context():
        _db.create_all()
        yield application
        _db.session.remove()
        _db.engine.dispose()


def test_broker_down_commit_is_quick_and_intent_kept(app_with_dead_broker):
    started = time.monotonic()
    intent = task_queue.enqueue_after_commit("workers.tasks.match_need", 7)
    _db.session.commit()
    assert time.monotonic() - started < 2
    assert _db.session.get(TaskIntent, intent.id) is not None
    # The sweep tries again once the intent is due, backs off, and still keeps it while Redis is down.
    assert task_queue.sweep_intents(now=utcnow() + timedelta(hours=1)) == 0
    kept = _db.session.get(TaskIntent, intent.id)
    assert kept.attempts == 1


def test_sweep_republishes_due_intents(app, db):
    db.session.add(TaskIntent(task="workers.tasks.match_need", args=[4242], next_attempt_at=utcnow()))
    db.session.add(TaskIntent(task="workers.tasks.match_need", args=[4343],
                              next_attempt_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    assert task_queue.sweep_intents() == 1
    db.session.expire_all()
    assert [i.args for i in db.session.query(TaskIntent)] == [[4343]]
