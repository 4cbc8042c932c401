"""Celery tasks: ids in, one service call inside, idempotent so that a redelivery changes nothing.

The Flask app context is pushed by the task class set in marketplace.core.celery_app. Tasks published
through core.task_queue run through `run_intent`: their TaskIntent row counts the run, is deleted on
success and keeps the error on failure. No task retries itself: the outbox and intent rows own the
one retry schedule, and the periodic sweep publishes what is due again.
"""
from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready

from marketplace.suggestions import index as matching_index, nightly, services as suggestions

from marketplace.notifications import services as notifications

from marketplace.accounts import services as accounts
from marketplace.core import outbox, task_queue
from marketplace.health import services as health
from marketplace.practices.services import search as practices_search


@shared_task(bind=True, name="workers.tasks.match_need")
def match_need(self, need_id: int) -> None:
    """Store the suggestions of one need (and keep the needs index up to date)."""
    task_queue.run_intent(self.request.id, suggestions.match_need, need_id)


@shared_task(bind=True, name="workers.tasks.match_offer")
def match_offer(self, offer_id: int) -> None:
    """Store the suggestions of one offer (and keep the offers index up to date)."""
    task_queue.run_intent(self.request.id, suggestions.match_offer, offer_id)


@shared_task(bind=True, name="workers.tasks.index_practice")
def index_practice(self, sheet_id: int) -> None:
    """Bring one practice sheet's entry in the shared practices index up to date."""
    task_queue.run_intent(self.request.id, practices_search.refresh_index, sheet_id)


@shared_task(bind=True, name="workers.tasks.refit_index")
def refit_index(self, kind: str, force: bool = False) -> None:
    """Rebuild one index from the database when a tenth of it changed (or always, if forced)."""
    task_queue.run_intent(self.request.id, matching_index.refit, kind, force=force)


@shared_task(bind=True, name="workers.tasks.snapshot_index")
def snapshot_index(self, kind: str) -> None:
    """Save one index's engine as its latest snapshot, so that starting processes replay less."""
    task_queue.run_intent(self.request.id, matching_index.write_snapshot, kind)


@shared_task(name="workers.tasks.refit_all")
def refit_all() -> None:
    """Nightly: rebuild every index (offers, needs, practices), so that new words count, then
    store again every open need's suggestions (queries in bulk on all cores)."""
    for kind in matching_index.KINDS:
        matching_index.refit(kind, force=True)
    nightly.match_all_needs()


@shared_task(bind=True, name="workers.tasks.send_password_reset")
def send_password_reset(self, email: str) -> None:
    """Look the address up and write the reset e-mail to the outbox if an active account has it."""
    task_queue.run_intent(self.request.id, accounts.send_password_reset, email)


@shared_task(name="workers.tasks.send_outbox_email")
def send_outbox_email(email_id: int) -> None:
    """Send one outbox e-mail unless it was sent already or is not due; a failure is recorded on
    the row, whose backoff the sweep honours (no Celery retry: one schedule only)."""
    outbox.deliver(email_id)


@shared_task(name="workers.tasks.sweep")
def sweep() -> None:
    """Periodic: publish again the tasks and e-mails a lost message or a broker outage left behind."""
    task_queue.sweep_intents()
    outbox.sweep()


@shared_task(name="workers.tasks.send_daily_digests")
def send_daily_digests() -> None:
    """Daily: one digest e-mail per user who chose the daily frequency."""
    notifications.send_daily_digests()


@shared_task(name="workers.tasks.heartbeat")
def heartbeat() -> None:
    """Periodic (and once when a worker starts): tell /healthz that the worker pool is alive."""
    health.record_heartbeat()


@worker_ready.connect
def beat_when_ready(sender=None, **_kwargs) -> None:
    # A new worker reports at once instead of waiting for the first scheduled beat.
    heartbeat.delay()
