"""Calls for intrapreneur projects ("appels à projets"): the call, its jury, the projects agents
submit, the jurors' scores and declared conflicts, and the laureates' accompaniment.

Decisions (opening, closing, results, conflicts) go to the shared audit log (`AuditEntry`,
object_type "call").
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin
from marketplace.models.geography import Collectivity
from marketplace.models.user import User

# brouillon, ouvert, clos / en instruction, résultats publiés
CALL_STATUSES = ("draft", "open", "closed", "published")
PROJECT_STATUSES = ("submitted", "withdrawn", "laureate", "not_selected")
STEP_KINDS = ("milestone", "checkin")


class Call(TimestampMixin, db.Model):
    """A call for projects opened by a coordinator (in their territory) or an administrator.

    `criteria` is the evaluation grid: a list of {"label": str, "weight": int}; each juror
    scores every criterion from 0 to 10. `deadline_at` is stored in UTC, typed in Paris time.
    """

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    domain: Mapped[str] = mapped_column(String(40), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    eligibility: Mapped[str] = mapped_column(Text, nullable=False, default="")
    departement_codes: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    region_codes: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    opens_on: Mapped[date] = mapped_column(Date, nullable=False)
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    criteria: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    laureate_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    accompaniment_months: Mapped[int] = mapped_column(Integer, nullable=False, default=6)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="draft", index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    results_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    created_by: Mapped[User] = relationship()
    jurors: Mapped[list[CallJuror]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                   order_by="CallJuror.id")


class CallJuror(db.Model):
    """A named member of a call's jury."""

    __tablename__ = "call_jurors"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(lazy="joined")


class CallProject(TimestampMixin, db.Model):
    """A project an agent submits to a call for their collectivity; editable until the deadline."""

    __tablename__ = "call_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    collectivity_id: Mapped[int] = mapped_column(ForeignKey("collectivities.id"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    problem: Mapped[str] = mapped_column(Text, nullable=False)
    users: Mapped[str] = mapped_column(Text, nullable=False)
    idea: Mapped[str] = mapped_column(Text, nullable=False)
    team: Mapped[str] = mapped_column(Text, nullable=False)
    support_needed: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(14), nullable=False, default="submitted", index=True)
    # Set when the results are published: the weighted mean and the rank they gave.
    final_score: Mapped[float | None] = mapped_column(Float)
    final_rank: Mapped[int | None] = mapped_column(Integer)

    author: Mapped[User] = relationship(lazy="joined")
    collectivity: Mapped[Collectivity] = relationship(lazy="joined")
    call: Mapped[Call] = relationship()


class CallScore(TimestampMixin, db.Model):
    """One juror's marks for one project ({criterion index as str: 0..10}) and comment."""

    __tablename__ = "call_scores"
    __table_args__ = (UniqueConstraint("project_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("call_projects.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    marks: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    total: Mapped[float] = mapped_column(Float, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")

    juror: Mapped[User] = relationship(lazy="joined")


class CallConflict(db.Model):
    """A conflict of interest a juror declared on a project: they may no longer score it."""

    __tablename__ = "call_conflicts"
    __table_args__ = (UniqueConstraint("project_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("call_projects.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)


class Accompaniment(TimestampMixin, db.Model):
    """A laureate's accompaniment: its dates, mentors, steps, and the retour d'expérience that
    ended it as a practice sheet."""

    __tablename__ = "call_accompaniments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("call_projects.id", ondelete="CASCADE"), unique=True)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    # [{"user_id": int, "offer_id": int | None}]: mentors, possibly found through an offer.
    mentors: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    practice_sheet_id: Mapped[int | None] = mapped_column(ForeignKey("practice_sheets.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    project: Mapped[CallProject] = relationship(lazy="joined")
    steps: Mapped[list[AccompanimentStep]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="(AccompanimentStep.due_on, AccompanimentStep.id)")


class AccompanimentStep(db.Model):
    """A milestone (to reach by a date) or a check-in (a meeting, with its notes)."""

    __tablename__ = "call_accompaniment_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    accompaniment_id: Mapped[int] = mapped_column(ForeignKey("call_accompaniments.id", ondelete="CASCADE"),
                                                  index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="milestone")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
