"""The outboxes: e-mails and task intents written in the same transaction as the change.

A row here is the durable promise that something will happen after the commit, even if the broker
(Redis) or the SMTP server is down at that moment: a periodic sweep picks up what is still pending.
The row owns its retry schedule (`attempts`, `next_attempt_at`); after too many attempts it goes to
the "dead" status with its `last_error`, where an administrator sees it and may replay it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.extensions import db
from marketplace.models.base import utcnow

EMAIL_STATUSES = ("pending", "sending", "sent", "dead")
INTENT_STATUSES = ("pending", "dead")


class OutboxEmail(db.Model):
    """One e-mail to send, at most once: `idempotency_key` makes a second write of it a no-op."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    to: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    template: Mapped[str] = mapped_column(String(100), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="fr")
    context: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # No send is attempted before then (claim and sweep honour it): the backoff after a failure.
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    # Who holds the row until then: while "pending", a published send task (the sweep does not
    # publish another before it expires); while "sending", the worker that claimed it (a worker
    # killed mid-send releases it when it expires).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TaskIntent(db.Model):
    """A task to publish after the commit; deleted by the task once it has run.

    If the publish fails (Redis down), the message is lost (worker killed) or the task raises, the
    row stays and the sweep publishes it again when `next_attempt_at` has passed. `attempts` counts
    the times the task was handed to the broker; past TASK_INTENT_MAX_ATTEMPTS the intent is
    "dead" (kept, with `last_error`, until an administrator replays it). Tasks are idempotent.
    """

    __tablename__ = "task_intents"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(120), nullable=False)
    args: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False, index=True
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
