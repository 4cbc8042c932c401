"""Server-side sessions: a logged-in browser is a `UserSession` row, checked on every request.

The signed Flask cookie only carries a random token; the row behind it is deleted on logout, on
"log out everywhere", after `SESSION_IDLE_MINUTES` without a request and after `SESSION_MAX_HOURS`
in all, so a copied cookie opens nothing once the session has ended.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import delete, select

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import User, UserSession
from marketplace.models.base import utcnow

# The key of the session token in the signed Flask cookie.
SESSION_KEY = "sid"
# Writing last_seen_at on every request would turn each page view into a write: a minute is
# precise enough for an idle timeout counted in hours.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def find(token: str | None) -> UserSession | None:
    """The stored session for this cookie token, if any."""
    if not token:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))


@transactional
def open_session(user: User, user_agent: str = "", ip: str = "", method: str = "password") -> str:
    """Record a new logged-in browser for this user; the returned token goes into its cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_hash(token), user_id=user.id, user_agent=(user_agent or "")[:255],
                               ip=(ip or "")[:45], method=method))
    return token


def _expired(row: UserSession, now: datetime) -> bool:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    return _aware(row.last_seen_at) + idle < now or _aware(row.created_at) + lifetime < now


def check_session(token: str | None, user_id: int) -> bool:
    """Whether this cookie token still opens a session of this user; notes the activity, and
    forgets the session once it has expired.

    Only a write is a unit of work of its own: a commit expires every loaded object, and this runs
    at each signed-in request, right after the user is loaded (who was then read again, with its
    roles). Most requests write nothing here (the activity is noted once a minute)."""
    row = find(token)
    if row is None or row.user_id != user_id:
        return False
    now = utcnow()
    if _expired(row, now):
        _forget(row)
        return False
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        _note_activity(row, now)
    return True


@transactional
def _forget(row: UserSession) -> None:
    db.session.delete(row)


@transactional
def _note_activity(row: UserSession, now: datetime) -> None:
    row.last_seen_at = now


@transactional
def end_session(token: str | None) -> None:
    """Log this browser out: its cookie stops working, even if someone copied it."""
    row = find(token)
    if row is not None:
        db.session.delete(row)


@transactional
def end_all_sessions(user: User, keep: str | None = None) -> int:
    """Log this user out everywhere (but the session `keep`, if given); the number ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.token_hash != _hash(keep))
    return db.session.execute(query).rowcount or 0


def active_sessions(user: User) -> list[UserSession]:
    """The sessions of this user that still work, newest activity first (for the profile page)."""
    now = utcnow()
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.last_seen_at.desc())).all()
    return [row for row in rows if not _expired(row, now)]
