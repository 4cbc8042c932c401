"""Signed, expiring tokens sent by e-mail (address verification, password reset).

Each purpose has its own salt, so a token made for one purpose is refused for the other. The
reset token carries the account's security stamp: resetting the password changes the stamp, so
a reset link works once.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.core.errors import ServiceError

EMAIL_VERIFY = "email-verify"
PASSWORD_RESET = "password-reset"
DATA_EXPORT = "data-export"

# Purpose -> the config key holding its lifetime in seconds.
MAX_AGE_SETTINGS = {
    EMAIL_VERIFY: "EMAIL_VERIFY_MAX_AGE",
    PASSWORD_RESET: "PASSWORD_RESET_MAX_AGE",
    DATA_EXPORT: "DATA_EXPORT_MAX_AGE",
}


class TokenExpired(ServiceError):
    """The token was genuine but is too old."""

    def __init__(self, message=None, field: str | None = None):
        super().__init__(message or _("Ce lien a expiré. Demandez-en un nouveau."), field)


class TokenInvalid(ServiceError):
    """The token was altered, made for another purpose, or no longer matches the account."""

    def __init__(self, message=None, field: str | None = None):
        super().__init__(message or _("Ce lien n'est pas valide ou a déjà servi."), field)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in MAX_AGE_SETTINGS:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"essaim-{purpose}")


def make_token(purpose: str, payload: dict) -> str:
    """Sign a small payload for one purpose."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None) -> dict:
    """The payload of a token made for this purpose, if genuine and young enough.

    Raises TokenExpired or TokenInvalid. The lifetime comes from the configuration unless given.
    """
    if max_age is None:
        max_age = current_app.config[MAX_AGE_SETTINGS[purpose]]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired() from error
    except BadSignature as error:
        raise TokenInvalid() from error
    if not isinstance(payload, dict):
        raise TokenInvalid()
    return payload


def email_verification_token(user) -> str:
    """A link token proving the holder reads this user's current address."""
    return make_token(EMAIL_VERIFY, {"uid": user.id, "email": user.email.lower()})


def password_reset_token(user) -> str:
    """A link token allowing one password reset, bound to the current security stamp."""
    return make_token(PASSWORD_RESET, {"uid": user.id, "stamp": user.security_stamp})
