"""Nightly samples of how far the fast matching path agrees with the exhaustive search."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.extensions import db
from marketplace.models.base import utcnow


class MatchingOverlapSample(db.Model):
    """One night's sample: open needs queried against the offers index by the engine and by the
    exhaustive search; overlap@k is the share of the exhaustive top k that the engine returned."""

    __tablename__ = "matching_overlap_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # the index queried: "offers"
    sampled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False, index=True)
    index_size: Mapped[int] = mapped_column(Integer, nullable=False)
    queries: Mapped[int] = mapped_column(Integer, nullable=False)  # with a non-empty exhaustive answer
    k: Mapped[int] = mapped_column(Integer, nullable=False)
    overlap_mean: Mapped[float | None] = mapped_column(Float)
    overlap_min: Mapped[float | None] = mapped_column(Float)
    below_target: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # queries under 0.9
