"""The engagement's documents: the convention (and its avenants) and the arrêté de mise à
disposition, each with its own numbered versions; the details each party gives before signature;
the signed copies uploaded by the signatories.

A version is a draft until it is frozen for signature: its PDF is then stored with its SHA-256 and
never changes; a later change of the terms writes the next version (an avenant for a convention).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import utcnow
from marketplace.models.user import User

DOCUMENTS = ("convention", "arrete")
# Who signs each document: the convention binds both collectivities and the agent acknowledges it;
# the arrêté is the home employer's individual decision.
SIGNATORIES = {"convention": ("employer", "host", "agent"), "arrete": ("employer",)}


class ConventionVersion(db.Model):
    """One version of a document (convention, avenant or arrêté); frozen once its PDF is stored."""

    __tablename__ = "convention_versions"
    __table_args__ = (UniqueConstraint("engagement_id", "document", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(20), nullable=False, default="convention",
                                          server_default="convention")
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="convention")  # | avenant | arrete
    html: Mapped[str] = mapped_column(Text, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pdf_name: Mapped[str | None] = mapped_column(String(64))  # file under the upload folder
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    signed_copies: Mapped[list[SignedCopy]] = relationship(
        lazy="selectin", order_by="SignedCopy.uploaded_at", cascade="all, delete-orphan")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_signed(self) -> bool:
        """Frozen (the PDF the signatories sign) or signed by someone: never rewritten."""
        return self.is_frozen or bool(self.signed_copies)

    @property
    def signatories(self) -> tuple[str, ...]:
        return SIGNATORIES[self.document]

    def copy_of(self, party: str) -> SignedCopy | None:
        return next((c for c in self.signed_copies if c.party == party), None)

    @property
    def fully_signed(self) -> bool:
        return all(self.copy_of(p) is not None for p in self.signatories)


class EngagementParty(db.Model):
    """What a collectivity states about itself before signing: address, signatory, mandate."""

    __tablename__ = "engagement_parties"
    __table_args__ = (UniqueConstraint("engagement_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(10), nullable=False)  # employer | host
    address: Mapped[str] = mapped_column(String(500), nullable=False)
    signatory_name: Mapped[str] = mapped_column(String(200), nullable=False)
    signatory_title: Mapped[str] = mapped_column(String(200), nullable=False)
    mandate: Mapped[str] = mapped_column(String(500), nullable=False)  # délibération or délégation
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow,
                                                 nullable=False)


class SignedCopy(db.Model):
    """A signed PDF uploaded by one signatory for one frozen version (or a scan signed outside Essaim)."""

    __tablename__ = "signed_copies"
    __table_args__ = (UniqueConstraint("version_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("convention_versions.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(10), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    signed_outside_on: Mapped[date | None] = mapped_column(Date)  # "signé hors d'Essaim, le …"
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(lazy="joined")
