"""The essaimage kit: the readiness checklist a practice sheet's authors fill in before others
replicate the practice (documentation, costs, contacts, conditions of success)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import utcnow
from marketplace.models.user import User

# The checklist's items, in the order the kit presents them.
READINESS_ITEMS = ("documentation", "costs", "contacts", "conditions")
# How far an item is: not started, partly written, ready for another collectivity.
READINESS_STATUSES = ("todo", "partial", "done")
READINESS_COMMENT_MAX = 1000


class ReadinessItem(db.Model):
    """One item of a sheet's readiness checklist: its status and the authors' comment."""

    __tablename__ = "essaimage_readiness_items"
    __table_args__ = (UniqueConstraint("sheet_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("practice_sheets.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="todo")
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    updated_by: Mapped[User] = relationship()
