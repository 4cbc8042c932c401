"""Periodic task of the pairings: reminders to the parties still to answer, expiry of old proposals."""
from __future__ import annotations

from celery import shared_task

from marketplace.pairings.services import consents


@shared_task(name="workers.pairing_tasks.remind_and_expire")
def remind_and_expire() -> None:
    """Daily: remind the parties of pending proposals and expire those left unanswered."""
    consents.run_reminders()
