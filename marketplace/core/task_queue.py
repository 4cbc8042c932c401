"""Publishing tasks after the commit, so that a change never loses its task and never waits on Redis.

`enqueue_after_commit("workers.tasks.match_need", need.id)` writes a TaskIntent row in the current
transaction. Once the session commits, the task is published with a short, bounded retry policy
(a web request answers quickly even when Redis is down). The task runs through `run_intent`: the
run counts as an attempt, success deletes the row, an error is recorded on it. The row owns the
retry schedule (Celery does not retry): `sweep_intents` (celery beat) publishes again every intent
whose `next_attempt_at` has passed (lost message, broker down, killed worker, failed run), backing
off exponentially; past TASK_INTENT_MAX_ATTEMPTS runs it becomes "dead" with its last error, until
an administrator replays it. Tasks are idempotent, so a second delivery changes nothing.
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, event, select, update

from marketplace.core.errors import Conflict, NotFound
from marketplace.core.extensions import db
from marketplace.core.logging import current_request_id
from marketplace.core.unit_of_work import transactional
from marketplace.core.forms import parse_id
from marketplace.models import TaskIntent
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "intent-"
# One quick retry: Redis refused or unreachable must not hold a web request (< 2 s in total).
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
SWEEP_BATCH = 500
MAX_DOUBLINGS = 10


def backoff(base: float, exponent: int) -> float:
    """`base` doubled `exponent` times (capped at 2**10): the wait before the next attempt."""
    return base * 2 ** min(max(exponent, 0), MAX_DOUBLINGS)


def _retry_after() -> int:
    return current_app.config["TASK_INTENT_RETRY_AFTER"]


def _max_attempts() -> int:
    return current_app.config["TASK_INTENT_MAX_ATTEMPTS"]


def enqueue_after_commit(task_name: str, *ids) -> TaskIntent:
    """Record that `task_name(*ids)` must run, and publish it once the current transaction commits."""
    intent = TaskIntent(task=task_name, args=list(ids), next_attempt_at=utcnow() + timedelta(seconds=_retry_after()))
    db.session.add(intent)
    db.session.flush()  # the id names the Celery task, so that the task finds its intent
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
    # With eager Celery the task runs right here; its task class pushes an app context of its
    # own, hence a session of its own, so it commits its own units of work.
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
            headers={"request_id": current_request_id.get()},
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


def run_intent(task_id: str | None, function, *args, **kwargs) -> bool:
    """Run a task's service call for the intent it was published for; True when it ran and succeeded.

    The run counts as an attempt (`start`); success deletes the intent; an exception is recorded on
    it (backoff, or "dead") and not raised again, since the sweep, not Celery, retries. A duplicate
    delivery of a finished (deleted) or dead intent runs nothing. A task published without an
    intent (beat, CLI) just runs, and its errors propagate to Celery.
    """
    intent_id = intent_id_of(task_id)
    if intent_id is None:
        function(*args, **kwargs)
        return True
    if not start(intent_id):
        logger.info("intent %s is done, dead or spent: nothing to run", intent_id)
        return False
    try:
        function(*args, **kwargs)
    except Exception as error:  # recorded on the row: an administrator sees it if it keeps failing
        db.session.rollback()
        record_failure(intent_id, error)
        return False
    mark_done(task_id)
    return True


@transactional
def start(intent_id: int) -> bool:
    """Count one run of a pending intent (its own unit of work); False if it is gone, dead or spent.

    Until the run ends, the sweep leaves the intent alone for a backed-off delay; if the worker
    dies, the sweep publishes it again then.
    """
    now = utcnow()
    intent = db.session.get(TaskIntent, intent_id)
    if intent is None or intent.status != "pending" or intent.attempts >= _max_attempts():
        return False
    result = db.session.execute(
        update(TaskIntent)
        .where(TaskIntent.id == intent_id, TaskIntent.status == "pending", TaskIntent.attempts == intent.attempts)
        .values(attempts=intent.attempts + 1,
                next_attempt_at=now + timedelta(seconds=backoff(_retry_after(), intent.attempts + 1)))
        .execution_options(synchronize_session=False)
    )
    # Two deliveries of one message at once: the second waits for the sweep, never runs twice now.
    return result.rowcount == 1


@transactional
def record_failure(intent_id: int, error: Exception) -> None:
    """Keep a failed run's error on its intent: retried after a backoff, or "dead" when spent."""
    intent = db.session.get(TaskIntent, intent_id)
    if intent is None:
        return
    intent.last_error = f"{type(error).__name__}: {error}"[:2000]
    if intent.attempts >= _max_attempts():
        intent.status = "dead"
        logger.error("task %s%s (intent %s) dead after %s attempts: %s", intent.task, intent.args, intent.id,
                     intent.attempts, error)
        return
    intent.next_attempt_at = utcnow() + timedelta(seconds=backoff(_retry_after(), intent.attempts))
    logger.warning("task %s%s (intent %s) failed (attempt %s): %s", intent.task, intent.args, intent.id,
                   intent.attempts, error)


@transactional
def mark_done(task_id: str | None) -> None:
    """Delete the intent a finished task came from (no-op for a task without an intent)."""
    intent_id = intent_id_of(task_id)
    if intent_id is not None:
        db.session.execute(delete(TaskIntent).where(TaskIntent.id == intent_id))


def sweep_intents(now=None) -> int:
    """Publish again the pending intents whose `next_attempt_at` has passed; how many were published.

    An intent already run TASK_INTENT_MAX_ATTEMPTS times without success goes to "dead" instead.
    A publish that fails (broker down) costs no attempt: the intent is tried again next time.
    """
    # Two steps: the schedule is moved forward and committed first, then the tasks are published
    # outside any transaction (an eager task runs its own units of work; the count is what the
    # broker really took).
    return sum(publish(*item) for item in _take_due(now or utcnow()))


@transactional
def _take_due(now) -> list[tuple]:
    due = db.session.scalars(
        select(TaskIntent).where(TaskIntent.status == "pending", TaskIntent.next_attempt_at <= now)
        .order_by(TaskIntent.id).limit(SWEEP_BATCH)
    ).all()
    batch = []
    for intent in due:
        if intent.attempts >= _max_attempts():
            intent.status = "dead"
            intent.last_error = intent.last_error or _("Abandonnée après %(n)s essais sans fin de tâche.",
                                                       n=intent.attempts)
            continue
        # Back off so that a task whose message keeps getting lost does not flood the queue.
        intent.next_attempt_at = now + timedelta(seconds=backoff(_retry_after(), intent.attempts))
        batch.append((intent.id, intent.task, list(intent.args)))
    return batch


def dead_intents(limit: int = 200) -> list[TaskIntent]:
    """The task intents given up after too many attempts, latest first (for the administrators)."""
    return db.session.scalars(
        select(TaskIntent).where(TaskIntent.status == "dead").order_by(TaskIntent.id.desc()).limit(limit)
    ).all()


def count_dead() -> int:
    """How many task intents are given up."""
    return db.session.query(TaskIntent).filter(TaskIntent.status == "dead").count()


@transactional
def replay(intent_id: int) -> TaskIntent:
    """Give one dead intent a fresh set of attempts and publish its task after the commit."""
    intent = db.session.get(TaskIntent, intent_id)
    if intent is None:
        raise NotFound(_("Cette tâche n'existe plus."))
    if intent.status != "dead":
        raise Conflict(_("Cette tâche n'est plus en échec : elle a déjà été relancée."))
    intent.status, intent.attempts = "pending", 0
    intent.next_attempt_at = utcnow() + timedelta(seconds=_retry_after())
    _after_commit(intent.id, intent.task, list(intent.args))
    return intent


@transactional
def replay_all() -> int:
    """Replay every dead intent; how many."""
    ids = db.session.scalars(select(TaskIntent.id).where(TaskIntent.status == "dead")).all()
    for intent_id in ids:
        replay(intent_id)
    return len(ids)
