"""The visitor who is not signed in, answering the same role questions as a User (with "no"),
so that public pages and their templates need no special case."""
from __future__ import annotations

from flask_login import AnonymousUserMixin


class AnonymousVisitor(AnonymousUserMixin):
    is_admin = False
    preferred_language = None

    def active_roles(self, role: str | None = None) -> list:
        return []

    def has_role(self, role: str) -> bool:
        return False

    def collectivity_ids(self, role: str | None = None) -> set:
        return set()
