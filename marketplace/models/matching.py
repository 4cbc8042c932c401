"""Suggested pairings between offers and needs, and the state of the shared matching indexes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL, JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint, event,
)
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
    """The current version of one shared index (offers or needs) and the snapshot that holds it.

    Each worker process keeps the version it reached; when the row says newer, it replays the
    changes logged since (or loads the snapshot of a newer generation).
    """

    __tablename__ = "matching_index_states"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "offers" | "needs"
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    path: Mapped[str | None] = mapped_column(String(500))
    size_at_refit: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changes_since_refit: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    refitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # `version` is the seq of the last change logged (MatchingIndexChange); `path` is the key of the
    # latest snapshot in its store (suggestions/snapshots.py; an absolute file path in rows written
    # before keys), which holds every change up to `snapshot_seq`; `generation` counts refits (a new
    # vocabulary: a process whose engine is of an older generation loads the snapshot again).
    snapshot_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    generation: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")


class MatchingIndexChange(db.Model):
    """One change of a shared index, in order: `seq` is the index version it brings.

    `document` is the matching document as the writer built it (text, tags, meta), or None when
    the item left the index; op "refit" marks a switch to a new snapshot generation (no item).
    Rows older than the previous snapshot are deleted when a new snapshot is published.
    """

    __tablename__ = "matching_index_changes"
    __table_args__ = (UniqueConstraint("kind", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    op: Mapped[str] = mapped_column(String(8), nullable=False)  # "upsert" | "remove" | "refit"
    item_id: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class MatchingIndexSnapshot(db.Model):
    """One snapshot file of a shared index stored in the database (MATCHING_SNAPSHOT_STORE=database).

    The row is written first, then the file's chunks, each committed on its own; `completed_at`
    is set (with the size, chunk count and SHA-256 of the whole file) only once every chunk is
    committed, and only a completed snapshot is read or published. `written_at` moves with each
    chunk: an upload in progress is never taken for an abandoned one and removed under it.
    """

    __tablename__ = "matching_index_snapshots"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # the key in MatchingIndexState.path
    kind: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    size: Mapped[int | None] = mapped_column(BigInteger)
    chunks: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))


class MatchingIndexSnapshotChunk(db.Model):
    """One chunk (a few MiB) of a stored snapshot: writer and reader hold one chunk at a time."""

    __tablename__ = "matching_index_snapshot_chunks"

    name: Mapped[str] = mapped_column(ForeignKey("matching_index_snapshots.name", ondelete="CASCADE"),
                                      primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


# Snapshot chunks are stored uncompressed on PostgreSQL (TOAST storage EXTERNAL): compressing them
# (pglz) made the upload of a 100,000-offer snapshot 3.6x slower (bench/snapshot_store.py). The
# migration says the same for databases built by Alembic.
event.listen(MatchingIndexSnapshotChunk.__table__, "after_create", DDL(
    "ALTER TABLE matching_index_snapshot_chunks ALTER COLUMN data SET STORAGE EXTERNAL"
).execute_if(dialect="postgresql"))
