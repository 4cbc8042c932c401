"""Celery tasks: ids in, one service call inside, idempotent so that a redelivery changes nothing.

The Flask app context is pushed by the task class set in marketplace.core.celery_app. Tasks published
through services.task_queue delete their TaskIntent row once they have run (`mark_done`).
"""
from __future__ import annotations

import smtplib

from celery import shared_task

from marketplace.suggestions import index as matching_index, services as suggestions

from marketplace.notifications import services as notifications

from marketplace.core import outbox, task_queue
from marketplace.practices.services import search as practices_search

# What a flaky SMTP server or network raises: retried with exponential backoff.
SMTP_ERRORS = (smtplib.SMTPException, OSError)  # OSError covers refused, reset and timed out


@shared_task(bind=True, name="workers.tasks.match_need")
def match_need(self, need_id: int) -> None:
    """Store the suggestions of one need (and keep the needs index up to date)."""
    suggestions.match_need(need_id)
    task_queue.mark_done(self.request.id)


@shared_task(bind=True, name="workers.tasks.match_offer")
def match_offer(self, offer_id: int) -> None:
    """Store the suggestions of one offer (and keep the offers index up to date)."""
    suggestions.match_offer(offer_id)
    task_queue.mark_done(self.request.id)


@shared_task(bind=True, name="workers.tasks.index_practice")
def index_practice(self, sheet_id: int) -> None:
    """Bring one practice sheet's entry in the shared practices index up to date."""
    practices_search.refresh_index(sheet_id)
    task_queue.mark_done(self.request.id)


@shared_task(bind=True, name="workers.tasks.refit_index")
def refit_index(self, kind: str, force: bool = False) -> None:
    """Rebuild one index from the database when a tenth of it changed (or always, if forced)."""
    matching_index.refit(kind, force=force)
    task_queue.mark_done(self.request.id)


@shared_task(name="workers.tasks.refit_all")
def refit_all() -> None:
    """Nightly: rebuild every index (offers, needs, practices), so that new words count."""
    for kind in matching_index.KINDS:
        matching_index.refit(kind, force=True)


@shared_task(
    bind=True,
    name="workers.tasks.send_outbox_email",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
)
def send_outbox_email(self, email_id: int) -> None:
    """Send one outbox e-mail unless it was sent already; SMTP errors are retried with backoff."""
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
