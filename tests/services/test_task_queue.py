"""Task intents: published after the commit, kept when the broker is down, swept later; failed
runs recorded on the row with a backoff, dead after TASK_INTENT_MAX_ATTEMPTS, replayable."""
from __future__ import annotations

import socket
import time
from datetime import timedelta, timezone

import pytest

from config import TestingConfig
from marketplace import create_app
from marketplace.core.errors import Conflict, NotFound
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
    # The sweep tries again once the intent is due and still keeps it while Redis is down; a
    # publish that did not reach the broker costs no attempt, and the next one is pushed back.
    later = utcnow() + timedelta(hours=1)
    assert task_queue.sweep_intents(now=later) == 0
    kept = _db.session.get(TaskIntent, intent.id)
    assert kept.attempts == 0 and kept.status == "pending" and _aware(kept.next_attempt_at) > later


def test_sweep_republishes_due_intents(app, db):
    db.session.add(TaskIntent(task="workers.tasks.match_need", args=[4242], next_attempt_at=utcnow()))
    db.session.add(TaskIntent(task="workers.tasks.match_need", args=[4343],
                              next_attempt_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    assert task_queue.sweep_intents() == 1
    db.session.expire_all()
    assert [i.args for i in db.session.query(TaskIntent)] == [[4343]]


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _intent(**fields):
    intent = TaskIntent(task="workers.tasks.refit_index", args=["bogus"], **fields)
    _db.session.add(intent)
    _db.session.commit()
    return intent


def _task_id(intent):
    return f"{task_queue.TASK_ID_PREFIX}{intent.id}-abcd1234"


def _broken(*_args):
    raise LookupError("no index of that kind")


def test_a_failed_run_is_recorded_and_backed_off(app, db):
    app.config["TASK_INTENT_RETRY_AFTER"] = 60
    intent = _intent()
    before = utcnow()
    assert task_queue.run_intent(_task_id(intent), _broken) is False  # not raised: no Celery retry
    after = utcnow()
    db.session.refresh(intent)
    assert intent.status == "pending" and intent.attempts == 1
    assert intent.last_error == "LookupError: no index of that kind"
    # 60 s doubled once after the first run.
    assert before + timedelta(seconds=120) <= _aware(intent.next_attempt_at) <= after + timedelta(seconds=120)


def test_backoff_grows_with_each_failed_run(app, db):
    app.config.update(TASK_INTENT_RETRY_AFTER=10, TASK_INTENT_MAX_ATTEMPTS=10)
    intent = _intent()
    delays = []
    for _run in range(3):
        task_queue.run_intent(_task_id(intent), _broken)
        recorded = utcnow()
        db.session.refresh(intent)
        delays.append(_aware(intent.next_attempt_at) - recorded)
    assert delays[0] < delays[1] < delays[2]
    assert task_queue.backoff(10, 1) == 20 and task_queue.backoff(10, 2) == 40 and task_queue.backoff(10, 50) == 10240


def test_dead_after_max_attempts_and_never_run_again(app, db):
    app.config["TASK_INTENT_MAX_ATTEMPTS"] = 2
    intent = _intent()
    runs = []

    def failing(*_args):
        runs.append(1)
        raise LookupError("still broken")

    task_queue.run_intent(_task_id(intent), failing)
    task_queue.run_intent(_task_id(intent), failing)
    db.session.refresh(intent)
    assert intent.status == "dead" and intent.attempts == 2 and "still broken" in intent.last_error
    # A late duplicate of the message and the sweep leave a dead intent alone.
    assert task_queue.run_intent(_task_id(intent), failing) is False
    assert task_queue.sweep_intents(now=utcnow() + timedelta(days=30)) == 0
    assert len(runs) == 2 and task_queue.dead_intents() == [intent] and task_queue.count_dead() == 1


def test_the_sweep_buries_an_intent_whose_runs_never_end(app, db):
    # Its worker was killed at every run: the attempts were counted, no error was recorded.
    app.config["TASK_INTENT_MAX_ATTEMPTS"] = 3
    intent = _intent(attempts=3, next_attempt_at=utcnow() - timedelta(seconds=1))
    assert task_queue.sweep_intents() == 0
    db.session.refresh(intent)
    assert intent.status == "dead" and "3" in intent.last_error


def test_a_task_that_raises_through_celery_is_recorded(app, db):
    # The real task with an input it cannot handle: the intent keeps the error, nothing is raised.
    task_queue.enqueue_after_commit("workers.tasks.refit_index", "bogus", True)
    db.session.commit()
    intent = db.session.query(TaskIntent).one()
    assert intent.attempts == 1 and intent.status == "pending" and "bogus" in intent.last_error


def test_a_finished_intent_is_not_run_again(app, db):
    task_id = _task_id(_intent())
    runs = []
    assert task_queue.run_intent(task_id, lambda: runs.append(1)) is True
    assert db.session.query(TaskIntent).count() == 0
    assert task_queue.run_intent(task_id, lambda: runs.append(1)) is False
    assert runs == [1]


def test_replay_resets_attempts_and_runs_it(app, db, make_collectivity):
    intent = _intent(status="dead", attempts=8, last_error="LookupError: x")
    intent.args = [12345]
    intent.task = "workers.tasks.match_need"  # runs fine now (the need is gone: nothing to match)
    db.session.commit()
    task_queue.replay(intent.id)
    assert db.session.query(TaskIntent).count() == 0  # published after the commit, ran, done


def test_replay_refuses_what_is_not_dead(app, db):
    intent = _intent()
    with pytest.raises(Conflict):
        task_queue.replay(intent.id)
    with pytest.raises(NotFound):
        task_queue.replay(intent.id + 1000)


def test_replay_all_gives_fresh_attempts(app_with_dead_broker):
    for args in ([1], [2]):
        _db.session.add(TaskIntent(task="workers.tasks.match_need", args=args, status="dead", attempts=8,
                                   last_error="x"))
    _db.session.commit()
    assert task_queue.replay_all() == 2  # the broker is down: they wait, pending, for the sweep
    assert {(i.status, i.attempts) for i in _db.session.query(TaskIntent)} == {("pending", 0)}
