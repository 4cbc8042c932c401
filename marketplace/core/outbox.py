"""E-mails leave through the outbox: written with the change, sent by a task, never twice.

`queue_email` adds an OutboxEmail row to the current transaction (a second call with the same
idempotency key is a no-op) and publishes the send task after the commit. `deliver` claims the row
with one atomic UPDATE ... WHERE status = 'pending' AND next_attempt_at <= now (or an expired
claim), sends, then marks it sent: two workers never both send it, and a sent row is never claimed
again. If the process dies between the SMTP server's acceptance and the commit, the claim expires
and the e-mail is sent again: that window (milliseconds) is the only duplicate an outbox cannot
rule out without the SMTP server's cooperation.

The row is the one owner of the retry schedule (Celery does not retry): a failed send puts it back
to "pending" with `next_attempt_at` backed off exponentially (OUTBOX_RETRY_BASE, doubling), and
the periodic `sweep` publishes the send task again once that time has come. After
OUTBOX_MAX_ATTEMPTS the row is "dead", with its last error, until an administrator replays it.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import or_, select, update

from marketplace.core import task_queue
from marketplace.core.errors import Conflict, NotFound
from marketplace.core.extensions import db
from marketplace.core.mail import render_email
from marketplace.core.unit_of_work import end_read, transactional
from marketplace.models import OutboxEmail
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

SEND_TASK = "workers.tasks.send_outbox_email"
SWEEP_BATCH = 500


def queue_email(*, to: str, kind: str, key: str, subject, template: str, language: str = "fr",
                user_id: int | None = None, **context) -> OutboxEmail:
    """Write one e-mail to the outbox in the current transaction; it leaves after the commit.

    `key` identifies the e-mail (e.g. "suggestions:user:12:need:40"): queueing it twice sends once.
    `subject` may be a lazy string: it is translated now, in `language`. `context` must be JSON.
    A helper of the caller's unit of work: it flushes, the caller commits.
    """
    existing = db.session.scalars(select(OutboxEmail).where(OutboxEmail.idempotency_key == key)).first()
    if existing is not None:
        return existing
    with force_locale(language or "fr"):
        subject_text = str(subject)
    now = utcnow()
    email = OutboxEmail(idempotency_key=key, user_id=user_id, kind=kind, to=to, subject=subject_text,
                        template=template, language=language or "fr", context=context,
                        next_attempt_at=now, lease_until=_publish_lease(now))
    db.session.add(email)
    db.session.flush()
    task_queue.publish_after_commit(SEND_TASK, email.id)
    return email


@transactional
def send_email(to: str, subject, template: str, language: str, **context) -> OutboxEmail:
    """Drop-in for core.mail.send_email that goes through the outbox, as its own unit of work.

    For transactional e-mails (verification, password reset): called from a use case it joins that
    use case's transaction; alone, it commits at once and the send task runs after that commit. A
    `user` in the context is kept as the fields templates read, so that the context stays JSON.
    """
    user = context.pop("user", None)
    if user is not None:
        context["user"] = {"id": user.id, "email": user.email, "display_name": user.display_name}
    digest = hashlib.sha256(json.dumps([to, template, context], sort_keys=True, default=str).encode()).hexdigest()
    return queue_email(to=to, kind="account", key=f"{template}:{digest[:40]}", subject=subject,
                       template=template, language=language, user_id=user.id if user else None, **context)


def _publish_lease(now):
    # A published send task holds a pending row this long: the sweep publishes another only after.
    return now + timedelta(seconds=current_app.config["TASK_INTENT_RETRY_AFTER"])


def _claim_lease_seconds() -> int:
    return 3 * int(current_app.config["MAIL_TIMEOUT"]) + 30


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed send: OUTBOX_RETRY_BASE, doubling each time."""
    return task_queue.backoff(current_app.config["OUTBOX_RETRY_BASE"], attempts - 1)


@transactional
def claim(email_id: int) -> bool:
    """Take the right to send one e-mail now; False if it is sent, dead, not due yet (backed off)
    or being sent elsewhere. Its own unit of work: the claim must be visible before the send."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.attempts < current_app.config["OUTBOX_MAX_ATTEMPTS"],
            or_((OutboxEmail.status == "pending") & (OutboxEmail.next_attempt_at <= now),
                (OutboxEmail.status == "sending") & (OutboxEmail.lease_until < now)),
        )
        .values(status="sending", lease_until=now + timedelta(seconds=_claim_lease_seconds()),
                attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # the commit expires loaded rows, so the new status is read back


def build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    """The text + HTML message of an outbox row, with the one-click unsubscribe headers (RFC 8058)."""
    subject, text_body, html_body = render_email(email.subject, email.template, email.language,
                                                 **email.context)
    headers = {}
    unsubscribe_url = email.context.get("unsubscribe_url")
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject=subject, body=text_body, to=[email.to], headers=headers)
    message.attach_alternative(html_body, "text/html")
    return message


def deliver(email_id: int) -> bool:
    """Send one outbox e-mail if it is due and nobody has; True when this call sent it.

    Three units of work on purpose: the claim is committed before the SMTP exchange (so that no
    other worker sends it meanwhile), and no transaction stays open while the SMTP server answers.
    Any error while rendering or sending is recorded on the row (backoff, or "dead" after
    OUTBOX_MAX_ATTEMPTS) and False is returned: the row, not Celery, owns the retries.
    """
    if not claim(email_id):
        return False
    try:
        message = build_message(db.session.get(OutboxEmail, email_id))
        end_read()
        message.send()
    except Exception as error:  # SMTP, network or template: recorded on the row, retried by the sweep
        db.session.rollback()
        _record_failure(email_id, error)
        return False
    _mark_sent(email_id)
    return True


@transactional
def _mark_sent(email_id: int) -> None:
    db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == email_id, OutboxEmail.status == "sending")
        .values(status="sent", sent_at=utcnow(), lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    logger.info("outbox email %s sent", email_id)


@transactional
def _record_failure(email_id: int, error: Exception) -> None:
    email = db.session.get(OutboxEmail, email_id)
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    email.lease_until = None  # no task holds it any more: the sweep publishes the next attempt
    if email.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        email.status = "dead"
        logger.error("outbox email %s dead after %s attempts: %s", email.id, email.attempts, error)
        return
    email.status = "pending"
    email.next_attempt_at = utcnow() + timedelta(seconds=retry_delay(email.attempts))
    logger.warning("outbox email %s not sent (attempt %s): %s", email.id, email.attempts, error)


@transactional
def sweep(now=None) -> int:
    """Publish the send task again, after the commit, for e-mails due and held by nobody; how many.

    Due: pending with `next_attempt_at` passed and no live published task, or claimed by a worker
    whose lease expired (killed mid-send). One past OUTBOX_MAX_ATTEMPTS goes to "dead" instead.
    """
    now = now or utcnow()
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    due = db.session.scalars(
        select(OutboxEmail)
        .where(or_((OutboxEmail.status == "pending") & (OutboxEmail.next_attempt_at <= now)
                   & (OutboxEmail.lease_until.is_(None) | (OutboxEmail.lease_until < now)),
                   (OutboxEmail.status == "sending") & (OutboxEmail.lease_until < now)))
        .order_by(OutboxEmail.id)
        .limit(SWEEP_BATCH)
    ).all()
    published = 0
    for email in due:
        if email.attempts >= max_attempts:
            email.status, email.lease_until = "dead", None
            email.last_error = email.last_error or _("Abandonné après %(n)s essais sans réponse.", n=email.attempts)
            continue
        if email.status == "sending":  # its worker died mid-send: the claim is released
            email.status, email.next_attempt_at = "pending", utcnow()
        email.lease_until = _publish_lease(now)
        task_queue.publish_after_commit(SEND_TASK, email.id)
        published += 1
    return published


def dead_letters(limit: int = 200) -> list[OutboxEmail]:
    """The e-mails given up after too many attempts, latest first (for the administrators)."""
    return db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.status == "dead").order_by(OutboxEmail.id.desc()).limit(limit)
    ).all()


def count_dead() -> int:
    """How many e-mails are given up."""
    return db.session.query(OutboxEmail).filter(OutboxEmail.status == "dead").count()


@transactional
def replay(email_id: int) -> OutboxEmail:
    """Give one dead e-mail a fresh set of attempts and publish its send task after the commit."""
    email = db.session.get(OutboxEmail, email_id)
    if email is None:
        raise NotFound(_("Cet e-mail n'existe pas."))
    if email.status != "dead":
        raise Conflict(_("Cet e-mail n'est plus en échec : il a déjà été relancé ou envoyé."))
    now = utcnow()
    email.status, email.attempts, email.next_attempt_at, email.lease_until = "pending", 0, now, _publish_lease(now)
    task_queue.publish_after_commit(SEND_TASK, email.id)
    return email


@transactional
def replay_all() -> int:
    """Replay every dead e-mail; how many."""
    ids = db.session.scalars(select(OutboxEmail.id).where(OutboxEmail.status == "dead")).all()
    for email_id in ids:
        replay(email_id)
    return len(ids)
