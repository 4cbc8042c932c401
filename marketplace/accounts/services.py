"""Accounts: registration, credentials, e-mail verification, password reset, profile.

Every entry point is one unit of work (`@transactional`). Refusals raise `ServiceError(message,
field)` naming the form field the French message belongs next to. Sessions (log in, log out,
the session's language) are the views' business: services know nothing of HTTP.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.passwords import hash_password, verify_password
from marketplace.core import tokens
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.outbox import queue_email  # through the outbox: retried, never sent twice
from marketplace.core.task_queue import enqueue_after_commit
from marketplace.core.unit_of_work import transactional
from marketplace.models import User
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

# The public paths of the links sent by e-mail (routes of accounts/views.py; a test keeps them equal).
VERIFY_PATH = "/compte/verification/{token}"
RESET_PATH = "/compte/mot-de-passe/nouveau/{token}"
LOGIN_PATH = "/compte/connexion"
FORGOT_PATH = "/compte/mot-de-passe/oubli"
# Verifying against a constant hash when the address is unknown keeps response times alike, so
# timing does not tell which addresses have an account.
_DUMMY_HASH: dict[str, str] = {}


class Permission(NamedTuple):
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def public_url(path: str) -> str:
    """An absolute link for an e-mail, on the configured public address of the site."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def find_by_email(email: str) -> User | None:
    """The account with this address, whatever its case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def queue_account_email(user: User, template: str, subject, **context) -> None:
    """Write an account e-mail (verification, reset, role decision) to the outbox of this unit of work."""
    context["user"] = {"id": user.id, "email": user.email, "display_name": user.display_name}
    digest = hashlib.sha256(repr(sorted(context.items(), key=str)).encode()).hexdigest()[:40]
    queue_email(to=user.email, kind="account", key=f"{template}:{user.id}:{digest}", subject=subject,
                template=template, language=user.preferred_language, user_id=user.id, **context)


def _queue_verification(user: User) -> None:
    token = tokens.email_verification_token(user)
    queue_account_email(
        user, "verify_email", _l("Confirmez votre adresse e-mail"),
        link=public_url(VERIFY_PATH.format(token=token)),
        max_age_hours=current_app.config["EMAIL_VERIFY_MAX_AGE"] // 3600,
    )


def _queue_account_exists(user: User) -> None:
    # Registration must not tell a stranger that this address has an account: its owner is told.
    queue_account_email(user, "account_exists", _l("Une inscription a été demandée avec votre adresse"),
                        login_link=public_url(LOGIN_PATH), reset_link=public_url(FORGOT_PATH))


@transactional
def register_user(email: str, password: str, display_name: str, language: str) -> User | None:
    """Create an account and write its verification e-mail. When the address already has an
    account, create nothing and e-mail its owner instead (None): the page answers the same, so
    registration does not reveal who has an account."""
    email = email.strip()
    existing = find_by_email(email)
    if existing is not None:
        _queue_account_exists(existing)
        return None
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    user = User(
        email=email, password_hash=hash_password(password), display_name=display_name.strip(),
        preferred_language=language, email_verified=False, active=True,
        security_stamp=uuid.uuid4().hex, last_login_at=utcnow(),
    )
    db.session.add(user)
    try:
        with db.session.begin_nested():  # a savepoint: losing the race leaves the unit of work usable
            db.session.flush()
    except IntegrityError:  # two registrations racing for the same address: the other one won
        return None
    logger.info("account created id=%s", user.id)
    _queue_verification(user)
    return user


def authenticate(email: str, password: str) -> User:
    """The account these credentials open. Raises ServiceError with a generic message otherwise."""
    user = find_by_email(email)
    if user is None:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password(uuid.uuid4().hex)
        verify_password(_DUMMY_HASH["hash"], password)
        raise ServiceError(_("Adresse e-mail ou mot de passe incorrect."), field="email")
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("Adresse e-mail ou mot de passe incorrect."), field="email")
    if not user.active:
        raise ServiceError(_("Ce compte est désactivé. Contactez un administrateur."), field="email")
    return user


@transactional
def log_in(email: str, password: str) -> User:
    """Check the credentials and record the login; the view then opens a new session."""
    user = authenticate(email, password)
    user.last_login_at = utcnow()
    return user


@transactional
def resend_verification(user: User) -> bool:
    """Send the verification e-mail again; False when the address is already verified."""
    if user.email_verified:
        return False
    _queue_verification(user)
    return True


@transactional
def verify_email_token(token: str) -> User:
    """Mark the address in this token as verified, then verify the pending role requests its
    domain proves. Raises tokens.TokenExpired/TokenInvalid."""
    from marketplace.accounts import roles  # roles needs this module's helpers

    payload = tokens.read_token(tokens.EMAIL_VERIFY, token)
    user = db.session.get(User, payload.get("uid") or 0)
    if user is None or user.email.lower() != payload.get("email"):
        raise tokens.TokenInvalid()
    if not user.email_verified:
        user.email_verified = True
        roles.verify_by_email_domain(user)
    return user


@transactional
def request_password_reset(email: str) -> None:
    """Ask the worker to e-mail a reset link to this address. The request does the same work
    whether an account has the address or not (one task intent), so neither its answer nor its
    duration reveals who has an account: the lookup happens in the worker."""
    enqueue_after_commit("workers.tasks.send_password_reset", email.strip().lower())


@transactional
def send_password_reset(email: str) -> None:
    """E-mail a reset link when an active account has this address; nothing otherwise."""
    user = find_by_email(email)
    if user is None or not user.active:
        logger.info("password reset asked for an unknown or inactive address")
        return
    queue_account_email(
        user, "reset_password", _l("Réinitialisez votre mot de passe"),
        link=public_url(RESET_PATH.format(token=tokens.password_reset_token(user))),
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


@transactional
def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; the link then stops working."""
    from marketplace.accounts import roles

    user = user_for_reset_token(token)
    _set_password(user, password)
    if not user.email_verified:
        user.email_verified = True  # following the link proves the address works
        roles.verify_by_email_domain(user)
    return user


@transactional
def update_profile(user: User, display_name: str, language: str) -> None:
    """Change the display name and the preferred language."""
    user.display_name = display_name.strip()
    if language in current_app.config["LANGUAGES"]:
        user.preferred_language = language


@transactional
def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; every session's identity changes,
    so the view renews its own."""
    if not verify_password(user.password_hash, current_password):
        raise ServiceError(_("Le mot de passe actuel est incorrect."), field="current_password")
    _set_password(user, new_password)


def can_publish(user, collectivity_id: int | None = None) -> Permission:
    """Whether this user may publish an offer or a need (for this collectivity, when given),
    with the French reason when not. Only a verified role in force allows it."""
    if not getattr(user, "is_authenticated", False):
        return Permission(False, _("Connectez-vous pour publier."))
    if not user.active:
        return Permission(False, _("Ce compte est désactivé."))
    if not user.email_verified:
        return Permission(False, _("Confirmez votre adresse e-mail avant de publier."))
    active = {r.collectivity_id for r in user.active_roles() if r.collectivity_id}
    if collectivity_id is not None and collectivity_id not in active or not active:
        if user.pending_roles():
            return Permission(False, _(
                "Votre rôle dans cette collectivité est en attente de vérification : vous pourrez "
                "publier dès sa validation. Vous pouvez déjà enregistrer un brouillon."))
        return Permission(False, _("Vous n'avez pas de rôle vérifié dans cette collectivité."))
    return Permission(True)
