"""The web side of server-side sessions: the token in the cookie, opened at login, ended at
logout, and "log out of all my sessions" on the profile page (see accounts/sessions.py)."""
from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user, user_logged_in, user_logged_out

from marketplace.accounts import sessions as user_sessions
from marketplace.accounts.forms import ActionForm

SESSION_KEY = user_sessions.SESSION_KEY  # the key of the session token in the signed Flask cookie

bp = Blueprint("sessions", __name__, url_prefix="/compte/sessions")


def connect_session_signals(app: Flask) -> None:
    """Open a server-side session at each login and end it at logout, whoever calls login_user."""

    def opened(sender, user, **_extra):
        row = user_sessions.find(session.get(SESSION_KEY))
        if row is not None and row.user_id == user.id:
            return  # the same person renewing their identity (password change): same session
        session[SESSION_KEY] = user_sessions.open_session(
            user, request.user_agent.string, request.remote_addr or "", g.get("login_method", "password"))

    def closed(sender, user, **_extra):
        user_sessions.end_session(session.pop(SESSION_KEY, None))

    user_logged_in.connect(opened, app, weak=False)
    user_logged_out.connect(closed, app, weak=False)


@bp.post("/fermer-toutes")
@login_required
def end_all():
    """Log out of every session of this account, this one included."""
    form = ActionForm()
    if form.validate_on_submit():
        user_sessions.end_all_sessions(current_user)
        logout_user()
        session.clear()
        flash(_("Toutes vos sessions sont fermées. Reconnectez-vous."), "info")
        return redirect(url_for("accounts.login"))
    return redirect(url_for("accounts.profile"))
