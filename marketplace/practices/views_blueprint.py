"""The practices blueprint and what its two view modules share.

`views.py` (sheets, history, resources) and `views_social.py` (essaimage, discussion, follows,
collections) both add their routes to `bp`; `marketplace/setup.py` imports both modules before
registering it, so neither imports the other.
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash
from flask_login import current_user, login_required

from marketplace.core.web import attempt
from marketplace.practices.services.access import is_member

bp = Blueprint("practices", __name__, url_prefix="/pratiques")


def member_required(view):
    """Log in first; then 403 unless the user holds an active role (a member of the library)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_member(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def run(form, action, success: str) -> bool:
    """Validate a button or small form, then `attempt` one service call (flashes the success or
    the refusal; 403/404 for a refusal of rights or existence). True when the call succeeded."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
        return False
    return attempt(action, success)
