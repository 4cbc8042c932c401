"""Column helpers shared by every model."""
from datetime import datetime, timezone

from sqlalchemy import BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite hands back naive ones, stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )


class ResourceMixin:
    """A shared resource: an uploaded file (kind "file", stored by practices.services.uploads) or a
    web link (kind "link"). Practice sheets and communities both hold such resources."""

    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="file")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    original_name: Mapped[str | None] = mapped_column(String(255))
    # Random name on disk: nothing the uploader typed reaches the file system.
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(1000))
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
