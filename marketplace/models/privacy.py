"""Personal data rights: the archives a user asked for, the warnings sent before an inactive account
is deleted, and the record of each account deletion (the user row itself stays, anonymised, so that
signed conventions keep pointing at a party)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.extensions import db
from marketplace.models.base import utcnow

EXPORT_PENDING = "pending"
EXPORT_READY = "ready"
EXPORT_FAILED = "failed"
EXPORT_EXPIRED = "expired"


class DataExport(db.Model):
    """One "download my data" request: built by a worker into a ZIP file, deleted when it expires."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default=EXPORT_PENDING, nullable=False, index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Name of the file under the instance's exports folder (random, never derived from user input).
    file_name: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


class RetentionNotice(db.Model):
    """The e-mail warning an inactive account of its coming deletion; one per period of inactivity."""

    __tablename__ = "retention_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True, nullable=False)
    warned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    # The last activity the warning was about: a later login makes the warning void.
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    delete_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AccountDeletion(db.Model):
    """That an account was anonymised, when and why (its owner's request or inactivity)."""

    __tablename__ = "account_deletions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True, nullable=False)
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)  # "request" or "inactivity"
