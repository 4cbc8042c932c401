"""In-app notifications, e-mail frequency preferences, daily digests and one-click unsubscribe.

Each kind of e-mail a user may receive (EMAIL_KINDS) has a frequency per user: immediate (one
e-mail per event), daily (one digest a day) or none (in the app only). Every such e-mail carries a
signed unsubscribe link for its kind; following it sets that kind to "none".
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from marketplace.core import outbox
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read, transactional
from marketplace.models import Notification, NotificationPreference, User
from marketplace.models.base import utcnow
from marketplace.models.notifications import FREQUENCIES

EMAIL_KINDS = {
    "suggestions": _l("Nouvelles suggestions de mise en relation"),
    "practices": _l("Nouveautés des fiches pratiques que vous suivez"),
    "pairings": _l("Propositions de mise à disposition, consentements et conventions"),
    "community": _l("Nouvelles discussions et réponses des communautés que vous suivez"),
    "messages": _l("Messages reçus d'un référent ou d'un agent"),
    "calls": _l("Appels à projets : résultats et accompagnement de vos projets"),
}
DEFAULT_FREQUENCY = "immediate"
FREQUENCY_LABELS = {
    "immediate": _l("À chaque événement"),
    "daily": _l("Un récapitulatif par jour"),
    "none": _l("Jamais (seulement dans l'application)"),
}
UNSUBSCRIBE_PATH = "/notifications/desabonnement/"
MESSAGE_MAX = 500  # Notification.message


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed token naming one user and one kind of e-mail (no expiry: old e-mails keep working)."""
    return _serializer().dumps([user_id, kind])


def unsubscribe_url(user_id: int, kind: str) -> str:
    """The absolute one-click unsubscribe link put in e-mails (workers have no request to build it)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + UNSUBSCRIBE_PATH + unsubscribe_token(user_id, kind)


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The user and kind a token names, or None when it is forged, damaged or stale."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or kind not in EMAIL_KINDS:
        return None
    return user, kind


def frequency(user_id: int, kind: str) -> str:
    """How often this user wants e-mails of this kind."""
    value = db.session.scalar(
        select(NotificationPreference.frequency).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    return value or DEFAULT_FREQUENCY


def preferences(user: User) -> dict[str, str]:
    """Every e-mail kind with this user's frequency."""
    return {kind: frequency(user.id, kind) for kind in EMAIL_KINDS}


@transactional
def set_preferences(user: User, choices: dict[str, str]) -> None:
    """Save the user's frequency for each kind given; an unknown kind or value saves nothing
    (ServiceError on that field)."""
    for kind, value in choices.items():
        if kind not in EMAIL_KINDS:
            raise ServiceError(_("Ce type d'e-mail n'existe pas."), field=kind)
        if value not in FREQUENCIES:
            raise ServiceError(_("Choisissez une fréquence parmi celles proposées."), field=kind)
        row = db.session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
            )
        )
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=value))
        else:
            row.frequency = value


@transactional
def unsubscribe(token: str) -> tuple[User, str] | None:
    """Stop the e-mails a token names; the user and kind, or None for a bad token."""
    found = read_unsubscribe_token(token)
    if found is not None:
        set_preferences(found[0], {found[1]: "none"})
    return found


def notify(user: User, kind: str, key: str, message: str, link: str | None = None,
           template: str | None = None, subject=None, **context) -> Notification | None:
    """Tell a user something, in the current transaction: in the app, and by e-mail if they chose
    "immediate" for this kind. Idempotent on (user, key): None when already notified."""
    exists = db.session.scalar(
        select(Notification.id).where(Notification.user_id == user.id, Notification.key == key)
    )
    if exists is not None:
        return None
    with force_locale(user.preferred_language or "fr"):
        message = str(message)  # a lazy string is translated in the user's language
    # The in-app line has a 500-character column (PostgreSQL refuses longer); the e-mail keeps it all.
    short = message if len(message) <= MESSAGE_MAX else message[:MESSAGE_MAX - 1] + "…"
    item = Notification(user_id=user.id, kind=kind, key=key, message=short, link=link, data=context)
    db.session.add(item)
    if template and frequency(user.id, kind) == "immediate":
        outbox.queue_email(to=user.email, kind=kind, key=f"{kind}:{user.id}:{key}", subject=subject,
                           template=template, language=user.preferred_language, user_id=user.id,
                           unsubscribe_url=unsubscribe_url(user.id, kind), link=link, message=message,
                           display_name=user.display_name, **context)
    return item


def send_daily_digests(day: date | None = None) -> int:
    """Write one digest e-mail per user with daily kinds and undigested notifications; how many.

    Keyed by user and day, so running it twice the same day sends nothing more. Each user's
    digest is its own unit of work, on purpose: one user's failure neither undoes nor blocks the
    digests of the others, and a rerun completes what is missing.
    """
    day = day or date.today()
    daily = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind)
        .where(NotificationPreference.frequency == "daily")
    ).all()
    end_read()
    kinds_by_user: dict[int, set] = {}
    for user_id, kind in daily:
        kinds_by_user.setdefault(user_id, set()).add(kind)
    return sum(_send_digest(user_id, kinds, day) for user_id, kinds in sorted(kinds_by_user.items()))


@transactional
def _send_digest(user_id: int, kinds: set, day: date) -> bool:
    items = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.kind.in_(kinds), Notification.digested_at.is_(None))
        .order_by(Notification.id)
    ).all()
    user = db.session.get(User, user_id)
    if not items or user is None:
        return False
    outbox.queue_email(
        to=user.email, kind="digest", key=f"digest:{user_id}:{day.isoformat()}",
        subject=_l("Votre récapitulatif Essaim du jour"), template="digest",
        language=user.preferred_language, user_id=user_id, display_name=user.display_name,
        items=[{"message": n.message, "link": n.link} for n in items],
        unsubscribe_url=unsubscribe_url(user_id, sorted(kinds)[0]),
    )
    for item in items:
        item.digested_at = utcnow()
    return True


def unread_count(user: User) -> int:
    """How many notifications this user has not read."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def for_user(user: User, limit: int = 100) -> list[Notification]:
    """The user's latest notifications, newest first."""
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ).all()


@transactional
def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user as read; how many."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount
