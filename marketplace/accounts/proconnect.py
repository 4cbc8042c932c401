"""ProConnect sign-in, the account side: find, link or create the account for verified claims.

The OpenID Connect exchange itself (PKCE, state, nonce, signatures) is done by Authlib in
`proconnect_views.py`; this module receives claims already verified and never sees HTTP.
"""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts import roles
from marketplace.accounts.passwords import hash_password, verify_password
from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import ExternalIdentity, User
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

PROVIDER = "proconnect"
# Stored instead of a hash for accounts created through ProConnect: no password can match it
# (argon2 refuses it as a hash), until the person chooses one in their profile.
NO_PASSWORD = "!proconnect"
SIRET = re.compile(r"^\d{14}$")
# Claims kept in the browser's signed session while a link waits for the password.
LINK_CLAIMS = ("sub", "email", "given_name", "usual_name", "siret", "uid", "idp_id", "acr", "amr")


@dataclass
class SignIn:
    """What a ProConnect sign-in leads to: `signed_in`, `created`, or `confirm_link` (an account
    already uses this address: its password must confirm the link before anything is joined)."""

    status: str
    user: User


def is_configured(config) -> bool:
    """Whether ProConnect is set up (otherwise its button is hidden)."""
    return bool(config.get("PROCONNECT_DISCOVERY_URL") and config.get("PROCONNECT_CLIENT_ID"))


def has_local_password(user: User) -> bool:
    """Whether this account can also log in with a password."""
    return user.password_hash != NO_PASSWORD


def link_claims(claims: dict) -> dict:
    """The claims worth keeping while a link waits for confirmation."""
    return {key: claims.get(key) for key in LINK_CLAIMS if claims.get(key) is not None}


def _text(claims: dict, key: str, limit: int) -> str | None:
    value = claims.get(key)
    return str(value).strip()[:limit] or None if value is not None else None


def _required(claims: dict) -> tuple[str, str]:
    subject, email = _text(claims, "sub", 255), _text(claims, "email", 254)
    if not subject or not email or "@" not in email:
        raise ServiceError(_("ProConnect n'a pas transmis votre adresse e-mail : la connexion est impossible."))
    return subject, email


def _identity(subject: str) -> ExternalIdentity | None:
    return db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.provider == PROVIDER, ExternalIdentity.subject == subject))


def identity_of(user: User) -> ExternalIdentity | None:
    """The ProConnect identity linked to this account, if any."""
    return db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.provider == PROVIDER, ExternalIdentity.user_id == user.id))


def _record(identity: ExternalIdentity, claims: dict) -> None:
    siret = _text(claims, "siret", 14)
    identity.siret = siret if siret and SIRET.match(siret) else None
    identity.idp_id = _text(claims, "idp_id", 255)
    identity.acr = _text(claims, "acr", 255)
    amr = claims.get("amr") or []
    identity.amr = [str(item)[:40] for item in amr][:10] if isinstance(amr, list) else [str(amr)[:40]]
    identity.last_login_at = utcnow()


def _link(user: User, subject: str, claims: dict) -> ExternalIdentity:
    identity = ExternalIdentity(user_id=user.id, provider=PROVIDER, subject=subject)
    _record(identity, claims)
    db.session.add(identity)
    return identity


def _usable(user: User) -> User:
    if not user.active:
        raise NotAllowed(_("Ce compte est désactivé. Contactez un administrateur."))
    return user


@transactional
def sign_in(claims: dict) -> SignIn:
    """The account these verified claims open: the linked one, a new one, or (status
    `confirm_link`) the local account with the same address, which its password must confirm."""
    subject, email = _required(claims)
    identity = _identity(subject)
    if identity is not None:
        _record(identity, claims)
        user = _usable(identity.user)
        # The provider vouches for the address it sends.
        if user.email.lower() == email.lower():
            user.email_verified = True
        user.last_login_at = utcnow()
        after_proconnect_login(user, claims)
        return SignIn("signed_in", user)
    existing = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if existing is not None:
        # Never join on the address alone: someone may have registered it first (pre-hijacking).
        return SignIn("confirm_link", _usable(existing))
    name = " ".join(filter(None, (_text(claims, "given_name", 60), _text(claims, "usual_name", 60))))
    user = User(email=email, password_hash=NO_PASSWORD, display_name=(name or email.split("@")[0])[:120],
                preferred_language=current_app.config["BABEL_DEFAULT_LOCALE"], email_verified=True,
                active=True, security_stamp=uuid.uuid4().hex, last_login_at=utcnow())
    db.session.add(user)
    db.session.flush()
    _link(user, subject, claims)
    logger.info("account created through ProConnect id=%s", user.id)
    after_proconnect_login(user, claims)
    return SignIn("created", user)


@transactional
def confirm_link(claims: dict, password: str) -> User:
    """Link the ProConnect identity to the local account with its address, once its password is
    given. The address is then verified: the provider vouches for it and the owner proved the password."""
    subject, email = _required(claims)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None or not has_local_password(user) or not verify_password(user.password_hash, password or ""):
        raise ServiceError(_("Mot de passe incorrect."), field="password")
    _usable(user)
    linked, mine = _identity(subject), identity_of(user)
    if linked is None and mine is None:
        _link(user, subject, claims)
    elif linked is not None and linked.user_id == user.id:
        _record(linked, claims)
    else:
        raise ServiceError(_("Ce compte est déjà relié à une autre identité ProConnect."), field="password")
    user.email_verified = True
    user.last_login_at = utcnow()
    after_proconnect_login(user, claims)
    return user


@transactional
def set_local_password(user: User, password: str) -> None:
    """Give an account created through ProConnect a password of its own (profile page)."""
    if has_local_password(user):
        raise ServiceError(_("Ce compte a déjà un mot de passe : changez-le plutôt."))
    user.password_hash = hash_password(password)


def after_proconnect_login(user: User, claims: dict) -> None:
    """Called after every successful ProConnect sign-in, inside its unit of work (so what it
    writes commits with the sign-in): the SIRET claim verifies the user's pending agent and
    référent requests in the collectivity of that SIREN, and in no other."""
    logger.info("ProConnect sign-in user=%s siret=%s idp=%s acr=%s", user.id, claims.get("siret") or "-",
                claims.get("idp_id") or "-", claims.get("acr") or "-")
    siret = claims.get("siret")
    if not siret:
        return
    try:
        verified = roles.verify_by_siret(user, str(siret))
    except ServiceError:  # a malformed claim verifies nothing; the sign-in itself stands
        logger.warning("ProConnect sign-in user=%s: SIRET claim %r is not valid", user.id, siret)
        return
    if verified:
        logger.info("ProConnect verified %d role request(s) of user=%s", len(verified), user.id)
