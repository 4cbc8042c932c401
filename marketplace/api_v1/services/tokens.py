"""Personal API tokens: create (the secret is shown once), list, revoke, authenticate.

A secret is "essaim_" followed by 43 URL-safe characters (256 random bits); only its sha256 is
stored, so a leaked database does not leak usable tokens.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.api_v1.fields import ID_MAX
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import ApiToken
from marketplace.models.api_token import TOKEN_SCOPES
from marketplace.models.base import utcnow

SECRET_PREFIX = "essaim_"
NAME_MAX = 100
MAX_ACTIVE_TOKENS = 20
# Writing the last use on every request would turn each read into a write: once a minute is enough
# for "last used" to mean something.
LAST_USED_PRECISION = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, active ones first, newest first."""
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


@transactional
def create_token(user, name: str, scope: str) -> tuple[ApiToken, str]:
    """Create a named token; returns it with its secret, which is never readable again."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Donnez un nom à ce jeton (par exemple l'outil qui l'utilise)."), field="name")
    if len(name) > NAME_MAX:
        raise ServiceError(_("Le nom fait au plus %(n)d caractères.", n=NAME_MAX), field="name")
    if scope not in TOKEN_SCOPES:
        raise ServiceError(_("Choisissez la portée lecture ou écriture."), field="scope")
    active = [token for token in tokens_of(user) if token.is_active]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise ServiceError(_("Vous avez déjà %(n)d jetons actifs : révoquez-en un d'abord.", n=MAX_ACTIVE_TOKENS),
                           field="name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, scope=scope, token_hash=digest(secret),
                     prefix=secret[:len(SECRET_PREFIX) + 6])
    db.session.add(token)
    db.session.flush()
    return token, secret


@transactional
def revoke_token(user, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens (revoking twice is harmless)."""
    token = db.session.get(ApiToken, token_id) if 0 < token_id <= ID_MAX else None
    if token is None or token.user_id != user.id:
        raise NotFound(_("Ce jeton n'existe pas."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.flush()
    return token


@transactional
def authenticate(secret: str | None) -> ApiToken | None:
    """The active token of this secret whose owner's account is active, else None; records its use."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite gives naive datetimes back
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or now - last >= LAST_USED_PRECISION:
        token.last_used_at = now
    db.session.flush()
    return token
