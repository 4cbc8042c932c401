"""Accounts: registration, log in, e-mail verification, password reset, profile.

Functions that refuse an input raise FieldError naming the form field the French message belongs
next to; views attach it to that field.
"""
from __future__ import annotations

import logging
import uuid
from typing import NamedTuple

from flask import current_app, g, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.extensions import db
from marketplace.models import User
from marketplace.models.base import utcnow
from marketplace.core import tokens
from marketplace.core.outbox import send_email  # through the outbox: retried, never sent twice
from marketplace.accounts.passwords import hash_password, verify_password

logger = logging.getLogger(__name__)

# Verifying against a constant hash when the address is unknown keeps response times alike, so
# timing does not tell which addresses have an account.
_DUMMY_HASH: dict[str, str] = {}


class FieldError(Exception):
    """A refused input: the message goes next to `field` in the form."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = str(message)


class Permission(NamedTuple):
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def find_by_email(email: str) -> User | None:
    """The account with this address, whatever its case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _send_verification(user: User) -> None:
    token = tokens.email_verification_token(user)
    send_email(
        user.email, _l("Confirmez votre adresse e-mail"), "verify_email", user.preferred_language,
        user=user, link=_external_url("accounts.verify_email", token=token),
        max_age_hours=current_app.config["EMAIL_VERIFY_MAX_AGE"] // 3600,
    )


def _external_url(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def _send_account_exists(user: User) -> None:
    # Registration must not tell a stranger that this address has an account: its owner is told.
    send_email(
        user.email, _l("Une inscription a été demandée avec votre adresse"), "account_exists",
        user.preferred_language, user=user, login_link=_external_url("accounts.login"),
        reset_link=_external_url("accounts.forgot_password"),
    )


def register_user(email: str, password: str, display_name: str, language: str) -> User | None:
    """Create an account and send the verification e-mail. When the address already has an
    account, create nothing and e-mail its owner instead (None): the page answers the same, so
    registration does not reveal who has an account."""
    email = email.strip()
    existing = find_by_email(email)
    if existing is not None:
        _send_account_exists(existing)
        return None
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    user = User(
        email=email, password_hash=hash_password(password), display_name=display_name.strip(),
        preferred_language=language, email_verified=False, active=True,
        security_stamp=uuid.uuid4().hex,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # two registrations racing for the same address: the other one won
        db.session.rollback()
        return None
    logger.info("account created id=%s", user.id)
    _send_verification(user)
    return user


def authenticate(email: str, password: str) -> User:
    """The account these credentials open. Raises FieldError with a generic message otherwise."""
    user = find_by_email(email)
    if user is None:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password(uuid.uuid4().hex)
        verify_password(_DUMMY_HASH["hash"], password)
        raise FieldError("email", _("Adresse e-mail ou mot de passe incorrect."))
    if not verify_password(user.password_hash, password):
        raise FieldError("email", _("Adresse e-mail ou mot de passe incorrect."))
    if not user.active:
        raise FieldError("email", _("Ce compte est désactivé. Contactez un administrateur."))
    return user


def _clear_session() -> None:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    # Flask-WTF caches the signed token of the old session for this request: drop it too.
    g.pop("csrf_token", None)


def start_session(user: User) -> None:
    """Log in on a brand-new session: nothing from before survives but the chosen language,
    so a session fixed by someone else before login is worthless."""
    _clear_session()
    login_user(user)
    user.last_login_at = utcnow()
    db.session.commit()


def log_in(email: str, password: str) -> User:
    """Check the credentials and open a new session for them."""
    user = authenticate(email, password)
    start_session(user)
    return user


def log_out() -> None:
    """End the session, keeping only the chosen language."""
    logout_user()
    _clear_session()


def resend_verification(user: User) -> bool:
    """Send the verification e-mail again; False when the address is already verified."""
    if user.email_verified:
        return False
    _send_verification(user)
    return True


def verify_email_token(token: str) -> User:
    """Mark the address in this token as verified. Raises tokens.TokenExpired/TokenInvalid."""
    payload = tokens.read_token(tokens.EMAIL_VERIFY, token)
    user = db.session.get(User, payload.get("uid") or 0)
    if user is None or user.email.lower() != payload.get("email"):
        raise tokens.TokenInvalid()
    if not user.email_verified:
        user.email_verified = True
        db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link when an active account has this address; silent otherwise, so the
    form does not reveal who has an account."""
    user = find_by_email(email)
    if user is None or not user.active:
        logger.info("password reset asked for an unknown or inactive address")
        return
    send_email(
        user.email, _l("Réinitialisez votre mot de passe"), "reset_password", user.preferred_language,
        user=user,
        link=_external_url("accounts.reset_password", token=tokens.password_reset_token(user)),
        max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def user_for_reset_token(token: str) -> User:
    """The account a reset token is for, if it is still valid (single use, not expired)."""
    payload = tokens.read_token(tokens.PASSWORD_RESET, token)
    user = db.session.get(User, payload.get("uid") or 0)
    if user is None or not user.active or user.security_stamp != payload.get("stamp"):
        raise tokens.TokenInvalid()
    return user


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    # A new stamp ends every other session and every reset link already sent.
    user.security_stamp = uuid.uuid4().hex


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; the link then stops working."""
    user = user_for_reset_token(token)
    _set_password(user, password)
    user.email_verified = True  # following the link proves the address works
    db.session.commit()
    return user


def update_profile(user: User, display_name: str, language: str) -> None:
    """Change the display name and the preferred language."""
    user.display_name = display_name.strip()
    if language in current_app.config["LANGUAGES"]:
        user.preferred_language = language
        session["lang"] = language
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions end, this one stays."""
    if not verify_password(user.password_hash, current_password):
        raise FieldError("current_password", _("Le mot de passe actuel est incorrect."))
    _set_password(user, new_password)
    db.session.commit()
    # The session identity embeds the stamp: renew it for this session only. Unwrap the
    # current_user proxy, or Flask-Login would cache the proxy as the user it points to.
    login_user(getattr(user, "_get_current_object", lambda: user)())


def can_publish(user) -> Permission:
    """Whether this user may publish an offer or a need, with the French reason when not."""
    if not getattr(user, "is_authenticated", False):
        return Permission(False, _("Connectez-vous pour publier."))
    if not user.active:
        return Permission(False, _("Ce compte est désactivé."))
    if not user.email_verified:
        return Permission(False, _("Confirmez votre adresse e-mail avant de publier."))
    return Permission(True)
