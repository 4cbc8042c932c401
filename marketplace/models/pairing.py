"""From a suggestion to a signed convention: the pairing, its three consents, the engagement,
its convention versions, the days logged, the feedback, and the audit log of every state change.

A Suggestion (matching) stays untouched: a Pairing is the human decision about the same
(offer, need) pair, created when a coordinator decides.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin, utcnow
from marketplace.models.listing import Need, SkillOffer
from marketplace.models.user import User

AGENT_STATUSES = ("titulaire", "cdi")
PAIRING_STATUSES = ("pending_review", "rejected", "proposed", "declined", "expired", "engaged")
PARTIES = ("agent", "employer", "host")
LEGAL_ROUTES = ("mise_a_disposition", "prestation_services", "service_commun", "activite_accessoire")
REIMBURSEMENTS = ("host", "exempt")
ENGAGEMENT_STATUSES = ("active", "ended", "terminated_early")


class Pairing(TimestampMixin, db.Model):
    """The coordinator's decision on one (offer, need) pair, then the proposal to the three parties."""

    __tablename__ = "pairings"
    __table_args__ = (UniqueConstraint("offer_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("skill_offers.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending_review", index=True)
    score: Mapped[float | None] = mapped_column(Float)  # the suggestion's score when decided
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")  # why rejected / declined
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Set when the host's representative asked for this pairing ("demandé par la collectivité d'accueil").
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    offer: Mapped[SkillOffer] = relationship(lazy="joined")
    need: Mapped[Need] = relationship(lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    consents: Mapped[list[Consent]] = relationship(back_populates="pairing", lazy="selectin",
                                                   cascade="all, delete-orphan")
    engagement: Mapped[Engagement | None] = relationship(back_populates="pairing", uselist=False,
                                                         cascade="all, delete-orphan")

    def consent_of(self, party: str) -> Consent | None:
        return next((c for c in self.consents if c.party == party), None)


class Consent(db.Model):
    """One party's answer to a proposal: the agent, the home employer or the host."""

    __tablename__ = "pairing_consents"
    __table_args__ = (UniqueConstraint("pairing_id", "party"), UniqueConstraint("pairing_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(10), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    decision: Mapped[str] = mapped_column(String(10), nullable=False)  # accepted | declined
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    pairing: Mapped[Pairing] = relationship(back_populates="consents")
    user: Mapped[User] = relationship(lazy="joined")


class Engagement(TimestampMixin, db.Model):
    """The terms agreed once the three consents are in: what the convention states."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), unique=True)
    legal_route: Mapped[str] = mapped_column(String(30), nullable=False, default="mise_a_disposition")
    activities: Mapped[str] = mapped_column(Text, nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    planned_days: Mapped[float] = mapped_column(Float, nullable=False)
    place: Mapped[str] = mapped_column(String(300), nullable=False)
    working_time: Mapped[str] = mapped_column(String(300), nullable=False)
    reimbursement: Mapped[str] = mapped_column(String(10), nullable=False, default="host")
    exemption_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    renewal_terms: Mapped[str] = mapped_column(Text, nullable=False)
    termination_terms: Mapped[str] = mapped_column(Text, nullable=False)
    # What the documents need beyond the terms (filled before the version is frozen for signature).
    reimbursement_basis: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    travel_expenses: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    notice_days: Mapped[int] = mapped_column(Integer, nullable=False, default=30, server_default="30")
    agent_grade: Mapped[str] = mapped_column(String(200), nullable=False, default="", server_default="")
    agent_cadre: Mapped[str] = mapped_column(String(200), nullable=False, default="", server_default="")
    agent_status: Mapped[str] = mapped_column(String(10), nullable=False, default="", server_default="")
    agent_service: Mapped[str] = mapped_column(String(200), nullable=False, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active", index=True)
    end_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    ended_on: Mapped[date | None] = mapped_column(Date)
    # Parties that asked for a normal end before the planned end date (it takes all three).
    end_agreed_by: Mapped[list] = mapped_column(JSON, nullable=False, default=list, server_default="[]")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    pairing: Mapped[Pairing] = relationship(back_populates="engagement")
    versions: Mapped[list[ConventionVersion]] = relationship(
        lazy="selectin", order_by="(ConventionVersion.document, ConventionVersion.number)",
        cascade="all, delete-orphan")
    day_logs: Mapped[list[DayLog]] = relationship(lazy="selectin", order_by="DayLog.day",
                                                  cascade="all, delete-orphan")

    @property
    def logged_days(self) -> float:
        return sum(log.days for log in self.day_logs)


class DayLog(db.Model):
    """Days the agent spent for the host on one date."""

    __tablename__ = "engagement_day_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    days: Mapped[float] = mapped_column(Float, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


class Feedback(db.Model):
    """A party's rating and comment at the end of an engagement."""

    __tablename__ = "engagement_feedback"
    __table_args__ = (UniqueConstraint("engagement_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(10), nullable=False)  # agent | host
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


class ExperienceReport(db.Model):
    """The host's "retour d'expérience"; it also opens a draft sheet in the practices library."""

    __tablename__ = "experience_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    what_was_done: Mapped[str] = mapped_column(Text, nullable=False)
    for_whom: Mapped[str] = mapped_column(Text, nullable=False)
    how_to_reuse: Mapped[str] = mapped_column(Text, nullable=False)
    results: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    practice_sheet_id: Mapped[int | None] = mapped_column(ForeignKey("practice_sheets.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


class AuditEntry(db.Model):
    """Who moved which object from which state to which, and when."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(30), nullable=False)
    object_id: Mapped[int] = mapped_column(Integer, nullable=False)
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system (expiry)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    from_state: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    to_state: Mapped[str] = mapped_column(String(30), nullable=False)
    detail: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    actor: Mapped[User | None] = relationship(lazy="joined")


class AgentCapacity(db.Model):
    """How many open proposals and engagements an agent takes at once (theirs, capped by the employer)."""

    __tablename__ = "agent_capacities"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    max_open: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    employer_cap: Mapped[int | None] = mapped_column(Integer)
    employer_cap_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def effective(self) -> int:
        return min(self.max_open, self.employer_cap) if self.employer_cap is not None else self.max_open


class DayBudgetChange(db.Model):
    """One change of a home employer's yearly day budget: who set what, when (the history)."""

    __tablename__ = "day_budget_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivity_id: Mapped[int] = mapped_column(ForeignKey("collectivities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    old_budget: Mapped[int | None] = mapped_column(Integer)
    new_budget: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(lazy="joined")


class PairingMessage(db.Model):
    """A message between the parties of a proposed pairing; `token` makes a resent form a no-op."""

    __tablename__ = "pairing_messages"
    __table_args__ = (UniqueConstraint("pairing_id", "author_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    author: Mapped[User] = relationship(lazy="joined")


from marketplace.models.pairing_documents import ConventionVersion  # noqa: E402  (the engagement's documents)
