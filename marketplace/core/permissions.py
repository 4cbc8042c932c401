"""Who may do what: small predicates and a decorator, so views stay thin."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def can_edit(user, item) -> bool:
    """Only the owner of an offer or a need, or an administrator, changes it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or item.owner_id == user.id


def role_required(*roles: str, pending_ok: bool = False):
    """Refuse (403) a logged-in user who holds none of these roles; admins pass. Only verified
    roles count, unless `pending_ok`: a pending request is enough to prepare a draft."""

    def holds(role: str) -> bool:
        return bool(current_user.requested_roles(role)) if pending_ok else current_user.has_role(role)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not (current_user.is_admin or any(holds(r) for r in roles)):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
