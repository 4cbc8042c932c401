"""Skill offers (what an agent lends) and needs (what a collectivity asks for).

Both share the columns that describe a piece of work, so that matching, lists and forms treat
them alike; each adds what belongs to its side.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.core.text import fold_text
from marketplace.models.base import TimestampMixin
from marketplace.models.geography import Collectivity
from marketplace.models.user import User

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000


class ListingMixin(TimestampMixin):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tags: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    domain: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    modality: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft", index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Title, description and tags folded to lower case without accents, kept in step by the
    # listeners below: free-text search is then accent-insensitive on SQLite and PostgreSQL alike.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        # The lists' default order (newest publication first) read backwards along this index:
        # a page of ids costs the same on page 1 and page 5,000 (see listings/paging.py). On
        # PostgreSQL a trigram index on search_text (migration scale_list_indexes) serves the
        # free-text search; it needs the pg_trgm extension, so it lives in the migration only.
        return (Index(f"ix_{cls.__tablename__}_status_published", "status", "published_at", "id"),)

    @declared_attr
    def collectivity_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("collectivities.id"), nullable=False, index=True)

    @declared_attr
    def collectivity(cls) -> Mapped[Collectivity]:
        return relationship(lazy="joined")


class SkillOffer(ListingMixin, db.Model):
    """An agent's offer of skills to other collectivities; collectivity = the home employer."""

    __tablename__ = "skill_offers"

    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    days_per_month: Mapped[float] = mapped_column(Float, nullable=False)
    available_from: Mapped[date | None] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)
    max_distance_km: Mapped[int | None] = mapped_column(Integer)

    agent: Mapped[User] = relationship(lazy="joined")

    @property
    def owner_id(self) -> int:
        return self.agent_id

    @property
    def is_visible(self) -> bool:
        return self.status == "published"


class Need(ListingMixin, db.Model):
    """A collectivity's need for a punctual piece of engineering work."""

    __tablename__ = "needs"

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    estimated_days: Mapped[float] = mapped_column(Float, nullable=False)
    start_date: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)

    author: Mapped[User] = relationship(lazy="joined")

    @property
    def owner_id(self) -> int:
        return self.author_id

    @property
    def is_visible(self) -> bool:
        return self.status in ("open", "in_progress")


# The coordinator queue reads the offer ids of some 300 agents per view (their open proposals and
# refusals lower the rank): with the id in the index, without reading the table (migration
# queue_agent_offers_index).
Index("ix_skill_offers_agent_id_id", SkillOffer.agent_id, SkillOffer.id)

# Needs are browsable in two statuses: the (status, published_at, id) index cannot give one order
# across both, so PostgreSQL sorted every open need for a deep page. This index holds the list's
# rows in the list's order (the queries name the statuses as literals, see listings/query.py).
Index("ix_needs_visible_published", Need.published_at, Need.id,
      postgresql_where=Need.status.in_(("open", "in_progress")),
      sqlite_where=Need.status.in_(("open", "in_progress")))


def _refresh_search_text(_mapper, _connection, target) -> None:
    parts = [target.title or "", target.description or "", " ".join(target.tags or [])]
    target.search_text = fold_text(" ".join(parts))


for _model in (SkillOffer, Need):
    event.listen(_model, "before_insert", _refresh_search_text)
    event.listen(_model, "before_update", _refresh_search_text)
