"""Account deletion: anonymise the person, remove what is only theirs, keep what binds others.

The user row stays, renamed "Utilisateur supprimé" with a placeholder address and no password, so
that the signed conventions, consents, day logs and audit entries of their pairings keep a party
and stay readable by the other parties (the collectivities remain bound by them). Everything else
that is only theirs goes: roles, sessions, ProConnect link, API tokens, notifications, follows,
community memberships, data archives; offers and needs are deleted, or archived/cancelled when a
pairing depends on them.
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select

from marketplace.accounts import proconnect, roles as role_service
from marketplace.accounts.passwords import verify_password
from marketplace.accounts.sessions import find as find_session
from marketplace.core import outbox
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import (AccountDeletion, ApiToken, CommunityMember, DataExport, ExternalIdentity,
                                Follow, Need, Notification, NotificationPreference, OutboxEmail, Pairing,
                                PracticeSheet, RetentionNotice, SkillOffer, User, UserSession)
from marketplace.models.base import as_utc, utcnow
from marketplace.privacy.services import export as exports
from marketplace.suggestions.services import enqueue_matching

logger = logging.getLogger(__name__)

DELETED_NAME = "Utilisateur supprimé"
PLACEHOLDER_DOMAIN = "supprime.invalid"  # .invalid never resolves (RFC 2606): nothing can reach it
NO_PASSWORD = "!deleted"  # not an argon2 hash: verify_password refuses every password
# A ProConnect-only account proves it is its owner by a ProConnect login this recent.
REAUTH_MINUTES = 10


def is_deleted(user: User) -> bool:
    return user.email.endswith("@" + PLACEHOLDER_DOMAIN)


def needs_proconnect_reauth(user: User) -> bool:
    """Whether this account has no password, so that deletion asks for a fresh ProConnect login."""
    return not proconnect.has_local_password(user)


def check_identity(user: User, password: str | None, session_token: str | None, now=None) -> None:
    """Refuse unless the person is the owner: their password, or a ProConnect login minutes ago."""
    if not needs_proconnect_reauth(user):
        if not password or not verify_password(user.password_hash, password):
            raise ServiceError(_("Mot de passe incorrect."), field="password")
        return
    row = find_session(session_token)
    fresh_after = (now or utcnow()) - timedelta(minutes=REAUTH_MINUTES)
    if row is None or row.user_id != user.id or row.method != "proconnect" or as_utc(row.created_at) < fresh_after:
        raise ServiceError(_("Reconnectez-vous avec ProConnect, puis confirmez la suppression dans les "
                             "%(minutes)s minutes.", minutes=REAUTH_MINUTES), field="password")


@transactional
def delete_account(user: User, password: str | None, session_token: str | None) -> None:
    """The owner's request: check who asks, then anonymise (one unit of work)."""
    check_identity(user, password, session_token)
    anonymise(user, reason="request")


def _has_pairing(column, item_id: int):
    return db.session.scalar(select(exists().where(column == item_id)))


def _retire_listings(user: User) -> None:
    listings = ((SkillOffer, SkillOffer.agent_id, Pairing.offer_id, "archived"),
                (Need, Need.author_id, Pairing.need_id, "cancelled"))
    for model, owner, paired, retired in listings:
        for item in db.session.scalars(select(model).where(owner == user.id)):
            # Matched once committed: the index and the suggestions drop it (deleted or retired).
            enqueue_matching(item)
            if not _has_pairing(paired, item.id):
                db.session.delete(item)
            elif item.status not in (retired, "closed"):
                item.status = retired  # a pairing (maybe a signed convention) refers to it
    # Drafts nobody else saw; published sheets belong to the collectivities that use them.
    for sheet in db.session.scalars(select(PracticeSheet).where(PracticeSheet.created_by_id == user.id,
                                                                PracticeSheet.status == "draft")):
        db.session.delete(sheet)


def _forget(user: User) -> None:
    for model in (UserSession, ExternalIdentity, ApiToken, Notification, NotificationPreference, Follow,
                  CommunityMember, RetentionNotice):
        db.session.execute(delete(model).where(model.user_id == user.id))
    # E-mails not sent yet would reach an address the person asked us to forget.
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.user_id == user.id, OutboxEmail.sent_at.is_(None)))
    for export in db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)):
        exports.delete_file(export)


def anonymise(user: User, reason: str) -> None:
    """Helper of the caller's unit of work: the account becomes an anonymous party (see module)."""
    if is_deleted(user):
        return
    address, language, name = user.email, user.preferred_language, user.display_name
    _retire_listings(user)
    _forget(user)
    for assignment in list(user.roles):
        role_service.audit(assignment, "revoked", reason=_("Compte supprimé"))
        user.roles.remove(assignment)
    user.display_name = DELETED_NAME
    user.email = f"supprime-{user.id}-{secrets.token_hex(6)}@{PLACEHOLDER_DOMAIN}"
    user.password_hash = NO_PASSWORD
    user.email_verified = False
    user.active = False
    user.security_stamp = secrets.token_hex(16)  # every cookie and reset link stops working
    db.session.add(AccountDeletion(user_id=user.id, reason=reason, deleted_at=utcnow()))
    db.session.flush()
    # Queued after the purge above, so it is the one e-mail still going to the old address.
    outbox.queue_email(to=address, kind="account", key=f"account-deleted:{user.id}", subject=_l("Votre compte Essaim est supprimé"),
                       template="account_deleted", language=language, user={"display_name": name},
                       reason=reason)
    logger.info("account %s anonymised (%s)", user.id, reason)
