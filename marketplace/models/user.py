"""Accounts, the roles they hold, how each role was verified, and the e-mail domains that prove
membership of a collectivity."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, func)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin, utcnow
from marketplace.models.geography import Collectivity

# The life of a role: a self-service request is pending until verified, then active; or refused.
ROLE_PENDING = "pending"
ROLE_ACTIVE = "active"
ROLE_REFUSED = "refused"
ROLE_STATUSES = (ROLE_PENDING, ROLE_ACTIVE, ROLE_REFUSED)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    preferred_language: Mapped[str] = mapped_column(String(5), default="fr", nullable=False)
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # Changes when the password changes: old sessions and reset links stop working.
    security_stamp: Mapped[str] = mapped_column(String(32), nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleAssignment.user_id",
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        # The stamp is part of the session identity: a password change logs out other sessions.
        return f"{self.id}:{self.security_stamp}"

    def active_roles(self, role: str | None = None) -> list[RoleAssignment]:
        """The roles in force: verified (status active). Pending and refused requests give no right."""
        return [r for r in self.roles if r.active and (role is None or r.role == role)]

    def pending_roles(self, role: str | None = None) -> list[RoleAssignment]:
        """The requests still waiting for a verification."""
        return [r for r in self.roles if r.status == ROLE_PENDING and (role is None or r.role == role)]

    def requested_roles(self, role: str | None = None) -> list[RoleAssignment]:
        """Active roles and pending requests: enough to prepare a draft, never to publish."""
        return [r for r in self.roles
                if r.status in (ROLE_ACTIVE, ROLE_PENDING) and (role is None or r.role == role)]

    def has_role(self, role: str) -> bool:
        return bool(self.active_roles(role))

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")

    def collectivity_ids(self, role: str | None = None) -> set[int]:
        return {r.collectivity_id for r in self.active_roles(role) if r.collectivity_id}

    def __repr__(self) -> str:
        return f"<User {self.email}>"


# E-mail is unique regardless of case: the unique index is on lower(email).
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class RoleAssignment(TimestampMixin, db.Model):
    """A role held or requested by a user, tied to a collectivity (agent, representative,
    approver) or to a territorial scope (coordinator: départements and/or régions).

    `status` says whether it is in force: a self-service request starts `pending` and becomes
    `active` once verified (ProConnect SIRET, e-mail domain, or a coordinator/admin decision), or
    `refused`. Roles an administrator grants are active at once. `active` reads the status, so
    queries elsewhere (`RoleAssignment.active.is_(True)`) only ever count verified roles.
    """

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    collectivity_id: Mapped[int | None] = mapped_column(ForeignKey("collectivities.id"), index=True)
    scope_departements: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    scope_regions: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default=ROLE_ACTIVE, nullable=False, index=True)
    # How the request was verified: proconnect, email_domain, manual, admin_grant, legacy.
    verification_method: Mapped[str | None] = mapped_column(String(20))
    # What proved it: the SIRET, the e-mail domain, or nothing more than the decision itself.
    evidence: Mapped[str | None] = mapped_column(String(254))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    # Home-employer approver: yearly budget of days the collectivity lends per agent.
    yearly_day_budget: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    collectivity: Mapped[Collectivity | None] = relationship(lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __init__(self, **fields):
        # The column default applies at INSERT only; a role built in memory must read the same.
        if "status" not in fields and "active" not in fields:
            fields["status"] = ROLE_ACTIVE
        super().__init__(**fields)

    @hybrid_property
    def active(self) -> bool:
        """Whether this role is in force (verified)."""
        return self.status == ROLE_ACTIVE

    @active.inplace.setter
    def _active_setter(self, value: bool) -> None:
        self.status = ROLE_ACTIVE if value else ROLE_PENDING

    @active.inplace.expression
    @classmethod
    def _active_expression(cls):
        return cls.status == ROLE_ACTIVE

    def covers(self, departement_codes, region_codes) -> bool:
        """Whether this coordinator scope includes a place in these départements or régions."""
        return bool(
            set(self.scope_departements) & set(departement_codes)
            or set(self.scope_regions) & set(region_codes)
        )


class RoleAuditEntry(db.Model):
    """One event in the life of a role: requested, verified (and how), refused, granted, revoked.

    Kept when the role itself is deleted (no foreign key to it): the log says who did what, when.
    """

    __tablename__ = "role_audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    # The account whose role it is, and who acted (None: the system, e.g. a domain match).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role_assignment_id: Mapped[int | None] = mapped_column(Integer, index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    collectivity_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectivities.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    method: Mapped[str | None] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(String(254))
    reason: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    collectivity: Mapped[Collectivity | None] = relationship()


class CollectivityEmailDomain(db.Model):
    """An e-mail domain a collectivity is known to use: a verified address there proves membership.

    Managed by administrators; one domain may serve several collectivities (a shared service).
    """

    __tablename__ = "collectivity_email_domains"
    __table_args__ = (UniqueConstraint("collectivity_id", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivity_id: Mapped[int] = mapped_column(
        ForeignKey("collectivities.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(253), nullable=False, index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    collectivity: Mapped[Collectivity] = relationship()
