"""Retention jobs, run daily by celery beat; each is idempotent and takes `now` (tests freeze it).

- Inactive accounts: no login (or creation) for PRIVACY_ACCOUNT_RETENTION_MONTHS are warned by e-mail
  PRIVACY_INACTIVE_WARNING_DAYS before their deletion; still inactive once that delay is over, they
  are anonymised like an owner's deletion. A login in between voids the warning.
- Mail files (instance/mail, the embedded mail backend) older than PRIVACY_MAIL_RETENTION_MONTHS, and
  sent outbox rows as old, are deleted; ended login sessions older than PRIVACY_LOG_RETENTION_MONTHS.
- Expired data archives (export.purge_expired_exports).
A month counts 30 days here: the periods are minimums, a day more is harmless.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from marketplace.core import outbox
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.legal.services import legal_details
from marketplace.models import AccountDeletion, OutboxEmail, RetentionNotice, User, UserSession
from marketplace.models.base import as_utc, utcnow
from marketplace.privacy.services import deletion, export

logger = logging.getLogger(__name__)

DAYS_PER_MONTH = 30


def _periods() -> dict:
    retention = legal_details(current_app.config).retention  # the figures the privacy page shows
    warning = max(int(current_app.config.get("PRIVACY_INACTIVE_WARNING_DAYS") or 30), 1)
    return {
        "inactive": timedelta(days=retention["account_months"] * DAYS_PER_MONTH),
        "warning": timedelta(days=warning),
        "mail": timedelta(days=retention["mail_months"] * DAYS_PER_MONTH),
        "log": timedelta(days=retention["log_months"] * DAYS_PER_MONTH),
    }


def last_activity(user: User) -> datetime:
    return user.last_login_at or user.created_at


def _candidates(before: datetime):
    """Accounts still alive whose last activity is older than `before`."""
    activity = func.coalesce(User.last_login_at, User.created_at)
    deleted = select(AccountDeletion.user_id)
    return db.session.scalars(select(User).where(activity <= before, User.id.not_in(deleted)).order_by(User.id))


@transactional
def warn_inactive_accounts(now=None) -> int:
    """E-mail each account that reaches the inactivity period minus the warning delay; the number warned."""
    now = now or utcnow()
    periods = _periods()
    warned = 0
    for user in _candidates(now - periods["inactive"] + periods["warning"]):
        activity = as_utc(last_activity(user))
        notice = db.session.scalars(select(RetentionNotice).where(RetentionNotice.user_id == user.id)).first()
        if notice is not None and as_utc(notice.last_activity_at) >= activity:
            continue  # already warned about this very period of inactivity
        delete_after = max(activity + periods["inactive"], now + periods["warning"])
        if notice is None:
            notice = RetentionNotice(user_id=user.id)
            db.session.add(notice)
        notice.warned_at, notice.last_activity_at, notice.delete_after = now, activity, delete_after
        outbox.queue_email(to=user.email, kind="account", key=f"inactive:{user.id}:{activity:%Y%m%d%H%M%S}",
                           user_id=user.id, subject=_l("Votre compte Essaim va être supprimé"),
                           template="inactive_account", language=user.preferred_language,
                           user={"id": user.id, "display_name": user.display_name},
                           delete_on=delete_after.date().isoformat(), base_url=current_app.config["PUBLIC_BASE_URL"])
        warned += 1
    return warned


@transactional
def delete_inactive_accounts(now=None) -> int:
    """Anonymise the warned accounts still inactive once their delay is over; the number deleted."""
    now = now or utcnow()
    deleted = 0
    notices = db.session.scalars(select(RetentionNotice).where(RetentionNotice.delete_after <= now)).all()
    for notice in notices:
        user = db.session.get(User, notice.user_id)
        if as_utc(last_activity(user)) > as_utc(notice.last_activity_at):
            db.session.delete(notice)  # they came back: the warning no longer holds
            continue
        deletion.anonymise(user, reason="inactivity")
        deleted += 1
    return deleted


def purge_mail_files(now=None) -> int:
    """Delete the e-mail copies the file backend wrote, once older than the mail retention period."""
    now = now or utcnow()
    folder = Path(current_app.config.get("MAIL_FILE_PATH") or "")
    if not folder.is_dir():
        return 0
    limit = (now - _periods()["mail"]).timestamp()
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


@transactional
def purge_old_rows(now=None) -> dict:
    """Sent e-mails past the mail period and login sessions past the log period; counts per kind."""
    now = now or utcnow()
    periods = _periods()
    mails = db.session.execute(delete(OutboxEmail).where(OutboxEmail.sent_at.is_not(None),
                                                         OutboxEmail.sent_at < now - periods["mail"])).rowcount
    sessions = db.session.execute(delete(UserSession).where(UserSession.last_seen_at < now - periods["log"])).rowcount
    return {"outbox_emails": mails or 0, "user_sessions": sessions or 0}


def run_retention(now=None) -> dict:
    """Every retention job, each its own unit of work (the daily beat task)."""
    now = now or utcnow()
    report = {"warned": warn_inactive_accounts(now), "deleted": delete_inactive_accounts(now),
              "mail_files": purge_mail_files(now), "exports": export.purge_expired_exports(now)}
    report.update(purge_old_rows(now))
    logger.info("retention: %s", report)
    return report
