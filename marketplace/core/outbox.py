"""E-mails leave through the outbox: written with the change, sent by a task, never twice.

`queue_email` adds an OutboxEmail row to the current transaction (a second call with the same
idempotency key is a no-op) and publishes the send task after the commit. `deliver` claims the row
with one atomic UPDATE ... WHERE status = 'pending' (or an expired claim), sends, then marks it
sent: two workers never both send it, and a sent row is never claimed again. If the process dies
between the SMTP server's acceptance and the commit, the claim expires and the e-mail is sent
again: that window (milliseconds) is the only duplicate an outbox cannot rule out without the
SMTP server's cooperation.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import or_, select, update

from marketplace.core.extensions import db
from marketplace.models import OutboxEmail
from marketplace.models.base import utcnow
from marketplace.core import task_queue
from marketplace.core.mail import render_email

logger = logging.getLogger(__name__)

SEND_TASK = "workers.tasks.send_outbox_email"
SWEEP_BATCH = 500


def queue_email(*, to: str, kind: str, key: str, subject, template: str, language: str = "fr",
                user_id: int | None = None, **context) -> OutboxEmail:
    """Write one e-mail to the outbox in the current transaction; it leaves after the commit.

    `key` identifies the e-mail (e.g. "suggestions:user:12:need:40"): queueing it twice sends once.
    `subject` may be a lazy string: it is translated now, in `language`. `context` must be JSON.
    """
    existing = db.session.scalars(select(OutboxEmail).where(OutboxEmail.idempotency_key == key)).first()
    if existing is not None:
        return existing
    # The sweep resends only if the task published after the commit has not run by then.
    retry_after = current_app.config["TASK_INTENT_RETRY_AFTER"]
    with force_locale(language or "fr"):
        subject_text = str(subject)
    email = OutboxEmail(idempotency_key=key, user_id=user_id, kind=kind, to=to, subject=subject_text,
                        template=template, language=language or "fr", context=context,
                        next_attempt_at=utcnow() + timedelta(seconds=retry_after))
    db.session.add(email)
    db.session.flush()
    task_queue.publish_after_commit(SEND_TASK, email.id)
    return email


def send_email(to: str, subject, template: str, language: str, **context) -> OutboxEmail:
    """Drop-in for services.mail.send_email that goes through the outbox, then commits.

    For transactional e-mails (verification, password reset) sent right after their change was
    committed: the row is committed at once, and the send task runs after that commit. A `user`
    in the context is kept as the fields templates read, so that the context stays JSON.
    """
    user = context.pop("user", None)
    if user is not None:
        context["user"] = {"id": user.id, "email": user.email, "display_name": user.display_name}
    digest = hashlib.sha256(json.dumps([to, template, context], sort_keys=True, default=str).encode()).hexdigest()
    email = queue_email(to=to, kind="account", key=f"{template}:{digest[:40]}", subject=subject,
                        template=template, language=language, user_id=user.id if user else None, **context)
    db.session.commit()
    return email


def _lease_seconds() -> int:
    return 3 * int(current_app.config["MAIL_TIMEOUT"]) + 30


def claim(email_id: int) -> bool:
    """Take the right to send one e-mail; False if it is sent, failed, or being sent elsewhere."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            or_(OutboxEmail.status == "pending",
                (OutboxEmail.status == "sending") & (OutboxEmail.lease_until < now)),
        )
        .values(status="sending", lease_until=now + timedelta(seconds=_lease_seconds()),
                attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # also expires loaded rows, so the new status is read back
    return result.rowcount == 1


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
    """Send one outbox e-mail if nobody has; True when this call sent it.

    On an SMTP or network error the row goes back to pending with a backed-off next attempt (or to
    failed after OUTBOX_MAX_ATTEMPTS) and the error is raised again, for the task's retries.
    """
    if not claim(email_id):
        return False
    email = db.session.get(OutboxEmail, email_id)
    try:
        build_message(email).send()
    except Exception as error:
        _release_after_failure(email, error)
        raise
    email.status, email.sent_at, email.lease_until, email.last_error = "sent", utcnow(), None, None
    db.session.commit()
    logger.info("outbox email %s sent to=%s kind=%s", email.id, email.to, email.kind)
    return True


def _release_after_failure(email: OutboxEmail, error: Exception) -> None:
    db.session.rollback()
    email = db.session.get(OutboxEmail, email.id)
    give_up = email.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    delay = current_app.config["OUTBOX_RETRY_BASE"] * 2 ** min(email.attempts, 10)
    email.status = "failed" if give_up else "pending"
    email.lease_until = None
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    email.next_attempt_at = utcnow() + timedelta(seconds=delay)
    db.session.commit()
    logger.warning("outbox email %s not sent (attempt %s): %s", email.id, email.attempts, error)


def sweep(now=None) -> int:
    """Publish the send task again for e-mails still pending (or with an expired claim)."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxEmail.id)
        .where(
            or_((OutboxEmail.status == "pending") & (OutboxEmail.next_attempt_at <= now),
                (OutboxEmail.status == "sending") & (OutboxEmail.lease_until < now))
        )
        .order_by(OutboxEmail.id)
        .limit(SWEEP_BATCH)
    ).all()
    db.session.commit()
    return sum(task_queue.publish(None, SEND_TASK, [email_id]) for email_id in ids)
