"""The practices library: wiki sheets with revisions, resources, reuse ("essaimage"),
discussion, follows and curated collections."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.core.text import fold_text
from marketplace.models.base import ResourceMixin, TimestampMixin, utcnow
from marketplace.models.geography import Collectivity
from marketplace.models.user import User

SHEET_STATUSES = ("draft", "published", "archived")
# The fields a revision snapshots: what a person edits on the sheet.
CONTENT_FIELDS = (
    "title", "summary", "problem", "actions", "results", "costs", "days", "contacts",
    "domain", "tags", "collectivity_id",
)
REUSE_STAGES = ("inspired", "implemented")
FOLLOW_KINDS = ("sheet", "domain", "departement", "region")


class PracticeSheet(TimestampMixin, db.Model):
    """A good practice ("fiche pratique") done by a collectivity, edited as a wiki page."""

    __tablename__ = "practice_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    problem: Mapped[str] = mapped_column(Text, nullable=False, default="")
    actions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    results: Mapped[str] = mapped_column(Text, nullable=False, default="")
    costs: Mapped[str] = mapped_column(Text, nullable=False, default="")
    days: Mapped[float | None] = mapped_column(Float)
    contacts: Mapped[str] = mapped_column(Text, nullable=False, default="")
    collectivity_id: Mapped[int] = mapped_column(ForeignKey("collectivities.id"), nullable=False, index=True)
    domain: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    tags: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft", index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    # No foreign key: revisions point back at their sheet, a cycle Alembic and SQLite handle badly.
    current_revision_id: Mapped[int | None] = mapped_column(Integer)
    # The number of the latest revision: the base an edit form was opened on is compared to it.
    revision_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Optimistic lock: two transactions saving at once cannot both update the row.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    collectivity: Mapped[Collectivity] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    def content(self) -> dict:
        """The editable fields as a plain dict (what a revision stores)."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def __repr__(self) -> str:
        return f"<PracticeSheet {self.id} {self.title!r}>"


def _refresh_search_text(_mapper, _connection, target) -> None:
    parts = [target.title, target.summary, target.problem, target.actions, target.results,
             " ".join(target.tags or [])]
    target.search_text = fold_text(" ".join(p or "" for p in parts))


event.listen(PracticeSheet, "before_insert", _refresh_search_text)
event.listen(PracticeSheet, "before_update", _refresh_search_text)


class PracticeRevision(db.Model):
    """One save of a sheet: who, when, why, and the full content as it was then."""

    __tablename__ = "practice_revisions"
    __table_args__ = (UniqueConstraint("sheet_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("practice_sheets.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    comment: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    content: Mapped[dict] = mapped_column(JSON, nullable=False)

    author: Mapped[User] = relationship(lazy="joined")


class PracticeAttachment(ResourceMixin, db.Model):
    """A resource of a sheet: an uploaded file (kind "file") or a web link (kind "link")."""

    __tablename__ = "practice_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("practice_sheets.id", ondelete="CASCADE"), index=True)
    # Withdrawn from the sheet (a revision says who and when): the row and the file stay so that
    # a revert brings the resource back and a collection that lists it keeps working.
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    uploader: Mapped[User] = relationship()


class PracticeReuse(TimestampMixin, db.Model):
    """A collectivity's declaration that it reuses a practice: inspired, then implemented."""

    __tablename__ = "practice_reuses"
    __table_args__ = (UniqueConstraint("sheet_id", "collectivity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("practice_sheets.id", ondelete="CASCADE"), index=True)
    collectivity_id: Mapped[int] = mapped_column(ForeignKey("collectivities.id"), nullable=False, index=True)
    stage: Mapped[str] = mapped_column(String(12), nullable=False, default="inspired")
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    inspired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    implemented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    collectivity: Mapped[Collectivity] = relationship(lazy="joined")


class PracticeComment(db.Model):
    __tablename__ = "practice_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("practice_sheets.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    author: Mapped[User] = relationship(lazy="joined")


class Follow(db.Model):
    """A user follows a sheet (key = its id), a domain (key) or a territory (département or
    région code)."""

    __tablename__ = "practice_follows"
    __table_args__ = (UniqueConstraint("user_id", "target_kind", "target_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(12), nullable=False)
    target_key: Mapped[str] = mapped_column(String(60), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    user: Mapped[User] = relationship()


class Collection(TimestampMixin, db.Model):
    """A curated set of sheets and resources, assembled by coordinators and administrators."""

    __tablename__ = "practice_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    items: Mapped[list[CollectionItem]] = relationship(
        back_populates="collection", cascade="all, delete-orphan",
        order_by="CollectionItem.position", lazy="selectin",
    )


class CollectionItem(db.Model):
    """One entry of a collection: a sheet or an attachment, at a position."""

    __tablename__ = "practice_collection_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("practice_collections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("practice_sheets.id", ondelete="CASCADE"))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_attachments.id", ondelete="CASCADE")
    )
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    collection: Mapped[Collection] = relationship(back_populates="items")
    sheet: Mapped[PracticeSheet | None] = relationship(lazy="joined")
    attachment: Mapped[PracticeAttachment | None] = relationship(lazy="joined")
