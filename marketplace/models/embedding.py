"""Stored text embeddings of offers and needs for the semantic stage of matching (issue 12 §3)."""
from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin


class TextEmbedding(TimestampMixin, db.Model):
    """One item's vector (float32 bytes) with the model that made it and a hash of the text it was
    made from: an unchanged text under the same model is never embedded again."""

    __tablename__ = "text_embeddings"
    __table_args__ = (UniqueConstraint("kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # "offers" | "needs"
    item_id: Mapped[int] = mapped_column(Integer, nullable=False)
    model: Mapped[str] = mapped_column(String(100), nullable=False)
    text_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    vector: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
