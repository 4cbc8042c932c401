"""Publishing tasks after the commit, so that a change never loses its task and never waits on Redis.

`enqueue_after_commit("workers.tasks.match_need", need.id)` writes a TaskIntent row in the current
transaction. Once the session commits, the task is published with a short, bounded retry policy
(a web request answers quickly even when Redis is down). If the publish fails or the message is
lost, the row stays and `sweep_intents` (celery beat) publishes it again. The task deletes its row
when it has run (`mark_done`); tasks are idempotent, so a second delivery changes nothing.
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, event, select

from marketplace.core.extensions import db
from marketplace.core.forms import parse_id
from marketplace.models import TaskIntent
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "intent-"
# One quick retry: Redis refused or unreachable must not hold a web request (< 2 s in total).
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
SWEEP_BATCH = 500


def enqueue_after_commit(task_name: str, *ids) -> TaskIntent:
    """Record that `task_name(*ids)` must run, and publish it once the current transaction commits."""
    retry_after = current_app.config["TASK_INTENT_RETRY_AFTER"]
    intent = TaskIntent(task=task_name, args=list(ids), next_attempt_at=utcnow() + timedelta(seconds=retry_after))
    db.session.add(intent)
    db.session.flush()  # the id names the Celery task, so that the task can delete its intent
    _after_commit(intent.id, task_name, list(ids))
    return intent


def publish_after_commit(task_name: str, *args) -> None:
    """Publish a task once the current transaction commits, for callers whose own row is the
    durable intent (the e-mail outbox): nothing is published if the transaction rolls back."""
    _after_commit(None, task_name, list(args))


def _after_commit(intent_id: int | None, task_name: str, args: list) -> None:
    session = db.session()
    session.info.setdefault("task_intents", []).append((intent_id, task_name, args))
    if not event.contains(session, "after_commit", _publish_committed):
        event.listen(session, "after_commit", _publish_committed)
        event.listen(session, "after_rollback", _forget_uncommitted)


def _publish_committed(session) -> None:
    pending = session.info.pop("task_intents", [])
    for intent_id, task_name, args in pending:
        publish(intent_id, task_name, args)


def _forget_uncommitted(session) -> None:
    # Rolled back: the intent rows are gone too, so there is nothing to publish.
    session.info.pop("task_intents", None)


def publish(intent_id: int | None, task_name: str, args: list) -> bool:
    """Send one task to the broker (or run it now when Celery is eager); False if that failed.

    A failure is only logged: the intent row stays and the sweep will publish it again.
    """
    celery = current_app.extensions["celery"]
    celery.loader.import_default_modules()
    try:
        celery.tasks[task_name].apply_async(
            args=args,
            task_id=None if intent_id is None else f"{TASK_ID_PREFIX}{intent_id}-{uuid.uuid4().hex[:8]}",
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:  # the broker being down must not break the change that was just committed
        logger.warning("could not publish %s%s (intent %s); the sweep will retry", task_name, args,
                       intent_id, exc_info=True)
        return False
    return True


def intent_id_of(task_id: str | None) -> int | None:
    """The TaskIntent id a Celery task id was built from, or None for a task sent another way."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    head = task_id[len(TASK_ID_PREFIX):].split("-", 1)[0]
    return parse_id(head)


def mark_done(task_id: str | None) -> None:
    """Delete the intent a finished task came from (no-op for a task without an intent)."""
    intent_id = intent_id_of(task_id)
    if intent_id is None:
        return
    db.session.execute(delete(TaskIntent).where(TaskIntent.id == intent_id))
    db.session.commit()


def sweep_intents(now=None) -> int:
    """Publish again the intents whose task has not run in time; how many were published."""
    now = now or utcnow()
    retry_after = current_app.config["TASK_INTENT_RETRY_AFTER"]
    due = db.session.scalars(
        select(TaskIntent).where(TaskIntent.next_attempt_at <= now).order_by(TaskIntent.id).limit(SWEEP_BATCH)
    ).all()
    batch = []
    for intent in due:
        intent.attempts += 1
        # Back off so that a task that keeps failing does not flood the queue.
        intent.next_attempt_at = now + timedelta(seconds=retry_after * 2 ** min(intent.attempts, 6))
        batch.append((intent.id, intent.task, list(intent.args)))
    db.session.commit()
    return sum(publish(*item) for item in batch)
