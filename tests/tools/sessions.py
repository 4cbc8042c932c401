"""Open a logged-in session for a test client without the login form (its own tests cover it)."""
from __future__ import annotations


def sign_in(client, user) -> None:
    """As the login view does: Flask-Login's cookie and the server-side session it must match."""
    from marketplace.accounts.sessions import open_session
    from marketplace.core.extensions import db

    token = open_session(user)  # the cookie alone opens nothing (accounts/sessions.py)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["sid"] = token


def sign_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()
