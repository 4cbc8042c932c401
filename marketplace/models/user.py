"""Accounts and the roles they hold."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin
from marketplace.models.geography import Collectivity


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
        return [r for r in self.roles if r.active and (role is None or r.role == role)]

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
    """A role held by a user, tied to a collectivity (agent, representative, approver) or to a
    territorial scope (coordinator: départements and/or régions)."""

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    collectivity_id: Mapped[int | None] = mapped_column(ForeignKey("collectivities.id"), index=True)
    scope_departements: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    scope_regions: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # Requested roles wait for an administrator; self-service roles are active at once.
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Home-employer approver: yearly budget of days the collectivity lends per agent.
    yearly_day_budget: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    collectivity: Mapped[Collectivity | None] = relationship(lazy="joined")

    def covers(self, departement_codes, region_codes) -> bool:
        """Whether this coordinator scope includes a place in these départements or régions."""
        return bool(
            set(self.scope_departements) & set(departement_codes)
            or set(self.scope_regions) & set(region_codes)
        )
