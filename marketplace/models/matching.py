"""Suggested pairings between offers and needs, and the state of the shared matching indexes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin


class Suggestion(TimestampMixin, db.Model):
    """One suggested offer for one need: a single row per pair, upserted by the workers."""

    __tablename__ = "suggestions"
    # The coordinator queue reads the best scores first (rank ≤ score bounds its ranking), or the
    # oldest suggestions first (pairings.services.queue_ranking).
    __table_args__ = (UniqueConstraint("offer_id", "need_id"), Index("ix_suggestions_score", "score", "id"),
                      Index("ix_suggestions_created_at", "created_at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("skill_offers.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    # {"words": [...], "tags": [...], "distance_km": float | None}
    reasons: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


class MatchingIndexState(db.Model):
    """The current version of one shared index (offers or needs) and the file that holds it.

    Each worker process keeps the version it loaded; when the row says newer, it reloads the file.
    """

    __tablename__ = "matching_index_states"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "offers" | "needs"
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    path: Mapped[str | None] = mapped_column(String(500))
    size_at_refit: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changes_since_refit: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    refitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
