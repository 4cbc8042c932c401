"""Retention jobs with frozen dates: inactive accounts warned, then anonymised unless they came back;
old mail files, sent e-mails and login sessions purged; every job idempotent."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts.sessions import open_session
from marketplace.models import AccountDeletion, OutboxEmail, RetentionNotice, UserSession
from marketplace.models.base import utcnow
from marketplace.privacy.services import deletion, retention

DAY = timedelta(days=1)


@pytest.fixture
def periods(app):
    app.config.update(PRIVACY_ACCOUNT_RETENTION_MONTHS=12, PRIVACY_INACTIVE_WARNING_DAYS=30,
                      PRIVACY_MAIL_RETENTION_MONTHS=3, PRIVACY_LOG_RETENTION_MONTHS=6)
    return {"inactive": 360 * DAY, "warning": 30 * DAY}


def _warnings(db, user):
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.user_id == user.id,
                                                        OutboxEmail.template == "inactive_account")).all()


def test_inactive_account_is_warned_then_anonymised(db, make_user, periods):
    start = utcnow()
    user = make_user(name="Ancien Agent", last_login_at=start)
    active = make_user(name="Agent Actif", last_login_at=start + 300 * DAY)
    assert retention.warn_inactive_accounts(now=start + 300 * DAY) == 0  # 60 days before the warning
    warn_day = start + periods["inactive"] - periods["warning"]
    assert retention.warn_inactive_accounts(now=warn_day - DAY) == 0
    assert retention.warn_inactive_accounts(now=warn_day) == 1
    assert retention.warn_inactive_accounts(now=warn_day + DAY) == 0  # idempotent: one warning
    [mail] = _warnings(db, user)
    assert mail.to == user.email and mail.context["delete_on"] == (start + periods["inactive"]).date().isoformat()
    assert _warnings(db, active) == []
    assert retention.delete_inactive_accounts(now=warn_day + 10 * DAY) == 0  # not yet
    assert retention.delete_inactive_accounts(now=start + periods["inactive"] + DAY) == 1
    db.session.expire_all()
    assert deletion.is_deleted(user) and user.display_name == deletion.DELETED_NAME
    assert db.session.scalar(select(AccountDeletion.reason).where(AccountDeletion.user_id == user.id)) == "inactivity"
    assert retention.delete_inactive_accounts(now=start + periods["inactive"] + 2 * DAY) == 0
    assert retention.warn_inactive_accounts(now=start + 2 * periods["inactive"]) == 1  # only the other one
    assert not deletion.is_deleted(active)


def test_a_login_after_the_warning_keeps_the_account(db, make_user, periods):
    start = utcnow()
    user = make_user(last_login_at=start)
    warn_day = start + periods["inactive"] - periods["warning"]
    assert retention.warn_inactive_accounts(now=warn_day) == 1
    user.last_login_at = warn_day + DAY  # they came back
    db.session.commit()
    assert retention.delete_inactive_accounts(now=start + periods["inactive"] + DAY) == 0
    assert not deletion.is_deleted(user)
    assert db.session.scalar(select(func.count()).select_from(RetentionNotice)) == 0
    # Inactive again for a whole period: warned again, a new e-mail.
    assert retention.warn_inactive_accounts(now=warn_day + DAY + periods["inactive"]) == 1
    assert len(_warnings(db, user)) == 2


def test_an_account_that_never_logged_in_counts_from_its_creation(db, make_user, periods):
    start = utcnow()
    user = make_user(created_at=start - 400 * DAY)
    assert retention.warn_inactive_accounts(now=start) == 1
    # Warned late (the job was off): the full warning delay is still given.
    notice = db.session.scalar(select(RetentionNotice).where(RetentionNotice.user_id == user.id))
    assert retention.delete_inactive_accounts(now=start + 29 * DAY) == 0
    assert retention.delete_inactive_accounts(now=start + 31 * DAY) == 1
    assert notice.user_id == user.id


def test_old_mail_files_sent_emails_and_sessions_are_purged(app, db, make_user, periods, tmp_path):
    now = utcnow()
    folder = tmp_path / "mail"
    folder.mkdir(exist_ok=True)
    old_file, new_file = folder / "old.eml", folder / "new.eml"
    old_file.write_text("x")
    new_file.write_text("y")
    ancient = (now - 100 * DAY).timestamp()
    os.utime(old_file, (ancient, ancient))
    user = make_user()
    for key, sent in (("old", now - 100 * DAY), ("recent", now - 10 * DAY), ("unsent", None)):
        db.session.add(OutboxEmail(idempotency_key=key, to="a@example.fr", kind="account", subject="s",
                                   template="t", context={}, status="sent" if sent else "pending", sent_at=sent))
    fresh = open_session(user)
    open_session(user)
    db.session.commit()
    row = db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    row.last_seen_at = now - 200 * DAY
    db.session.commit()
    report = retention.run_retention(now=now)
    assert report["mail_files"] == 1 and not old_file.exists() and new_file.exists()
    assert report["outbox_emails"] == 1 and report["user_sessions"] == 1
    keys = set(db.session.scalars(select(OutboxEmail.idempotency_key)))
    assert {"recent", "unsent"} <= keys and "old" not in keys
    from marketplace.accounts.sessions import find
    assert find(fresh) is not None and db.session.scalar(select(func.count()).select_from(UserSession)) == 1
    again = retention.run_retention(now=now)
    assert again["mail_files"] == again["outbox_emails"] == again["user_sessions"] == 0
