"""What the matching learns from people: coordinators' decisions as labelled pairs, pairs ruled
off-topic, the re-ranker fitted on them, and the acronym dictionary entries coordinators propose."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin, utcnow
from marketplace.models.user import User


class DecisionLabel(db.Model):
    """One decision about an (offer, need) pair as a training label, with the pair's features as
    they were when it was taken (the index and the listings move on; the label must not)."""

    __tablename__ = "decision_labels"
    # One label per event of a pairing: recording a decision twice (a rerun, the backfill) is harmless.
    __table_args__ = (UniqueConstraint("pairing_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("skill_offers.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    # approved | rejected | consented (all three parties) | declined | feedback_<party>
    event: Mapped[str] = mapped_column(String(20), nullable=False)
    label: Mapped[float] = mapped_column(Float, nullable=False)  # > 0 good pair, < 0 bad pair
    reason_code: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lexical_score: Mapped[float | None] = mapped_column(Float)
    semantic_score: Mapped[float | None] = mapped_column(Float)
    distance_km: Mapped[float | None] = mapped_column(Float)
    shared_tags: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    capacity_ratio: Mapped[float | None] = mapped_column(Float)  # days the agent offers / days asked
    modality_match: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class OffTopicPair(db.Model):
    """A pair a coordinator ruled off-topic: never stored nor suggested again, in either direction,
    whatever the index learns, until an administrator or coordinator lifts the ruling."""

    __tablename__ = "off_topic_pairs"
    __table_args__ = (UniqueConstraint("offer_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("skill_offers.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class RerankerModel(db.Model):
    """One fitted re-ranker: its coefficients (JSON, no pickle), the time split it was evaluated
    on, its metrics against the fixed weights and the label counts. At most one is active."""

    __tablename__ = "reranker_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    metrics: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    label_counts: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)


class LexiconProposal(TimestampMixin, db.Model):
    """An acronym or term a coordinator proposes for the dictionary; accepted ones join the shipped
    CSV at analysis time. Who proposed, who decided, when and why stay on the row (the audit)."""

    __tablename__ = "lexicon_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(80), nullable=False)
    expansion: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="sigle")
    domain: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
