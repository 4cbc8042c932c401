"""Brute-force brake on password checks: only FAILED attempts count, per account and per address.

After `LOGIN_FREE_FAILURES_ACCOUNT` failures in a row on one account (from any address), or
`LOGIN_FREE_FAILURES_IP` from one client address, every further failure doubles the wait before
the next attempt is even checked (`LOGIN_DELAY_BASE` seconds, at most `LOGIN_DELAY_MAX`). A success
clears the account's count. Successes never count, so colleagues behind one office address (NAT)
who log in correctly never block each other; the per-address threshold is higher for that reason.

Counters live in the database, in their own unit of work: a refused login rolls its own work back,
and the failure must still be remembered.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Callable, TypeVar

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import select

from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import LoginThrottle
from marketplace.models.base import utcnow

T = TypeVar("T")
# A day without failure forgets the earlier ones.
FORGET_AFTER = timedelta(hours=24)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def _keys(email: str, ip: str | None) -> list[tuple[str, int]]:
    config = current_app.config
    keys = [(f"account:{(email or '').strip().lower()}"[:320], config["LOGIN_FREE_FAILURES_ACCOUNT"])]
    if ip:
        keys.append((f"ip:{ip}", config["LOGIN_FREE_FAILURES_IP"]))
    return keys


def _row(key: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == key))


def wait_seconds(email: str, ip: str | None) -> int:
    """How long this account or this address must still wait before a new attempt (0: now)."""
    now = utcnow()
    waits = [0]
    for key, _free in _keys(email, ip):
        row = _row(key)
        blocked_until = _aware(row.blocked_until) if row else None
        if blocked_until and blocked_until > now:
            waits.append(math.ceil((blocked_until - now).total_seconds()))
    return max(waits)


def check(email: str, ip: str | None) -> None:
    """Refuse, with the wait in French, while the account or the address is slowed down."""
    seconds = wait_seconds(email, ip)
    if seconds:
        minutes = max(1, math.ceil(seconds / 60))
        raise ServiceError(ngettext(
            "Trop de tentatives de connexion ont échoué. Par sécurité, réessayez dans %(num)d minute.",
            "Trop de tentatives de connexion ont échoué. Par sécurité, réessayez dans %(num)d minutes.",
            minutes), field="email")


def delay_for(failures: int, free: int) -> int:
    """Seconds to wait after this many failures in a row: none up to `free`, then doubling."""
    if failures <= free:
        return 0
    config = current_app.config
    return min(config["LOGIN_DELAY_BASE"] * 2 ** min(failures - free - 1, 20), config["LOGIN_DELAY_MAX"])


@transactional
def record_failure(email: str, ip: str | None) -> None:
    """Count one failed attempt for the account and for the address, and set their waits."""
    now = utcnow()
    for key, free in _keys(email, ip):
        row = _row(key)
        if row is None:
            row = LoginThrottle(key=key, failures=0)
            db.session.add(row)
        elif row.last_failure_at is None or _aware(row.last_failure_at) + FORGET_AFTER < now:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        delay = delay_for(row.failures, free)
        row.blocked_until = now + timedelta(seconds=delay) if delay else None


@transactional
def record_success(email: str) -> None:
    """The right password: the account starts afresh (the address keeps others' failures)."""
    row = _row(_keys(email, None)[0][0])
    if row is not None:
        db.session.delete(row)


def guarded(email: str, ip: str | None, action: Callable[[], T],
            refusals: tuple[type[BaseException], ...] = (ServiceError,)) -> T:
    """Run a password check (`action`) under the brake: refused at once while slowed down, its
    refusal counted, its success clearing the account's failures."""
    check(email, ip)
    try:
        result = action()
    except refusals:
        record_failure(email, ip)
        raise
    record_success(email)
    return result
