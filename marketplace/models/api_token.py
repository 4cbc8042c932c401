"""Personal API tokens: a user's key to the /api/v1/ endpoints that act on their own data.

Only the sha256 of the secret is stored (the secret has 256 bits of entropy, so a plain hash is
enough: nothing to brute-force); the user sees the secret once, when it is created.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import utcnow
from marketplace.models.user import User

TOKEN_SCOPES = ("read", "write")


class ApiToken(db.Model):
    """One named token of one user, scoped `read` (GET only) or `write` (GET and changes)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    # The first characters of the secret, shown in the profile so that a user recognises a token.
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    scope: Mapped[str] = mapped_column(String(5), nullable=False, default="read")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        """A write token also reads; a read token only reads."""
        return self.is_active and (scope == "read" or self.scope == "write")
