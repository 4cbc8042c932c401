"""Blocking: a person stops another from starting or continuing a conversation with them.

One blocks the other person of a conversation (never a user id typed in: strangers' ids reveal
nothing); unblocking is done from the messaging settings.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.messaging.services import access
from marketplace.models import User, UserBlock


@transactional
def block_in(user, conversation_id) -> User:
    """Block the other person of one of the user's conversations; blocking twice changes nothing."""
    other = access.get_conversation(user, conversation_id).other(user)
    exists = db.session.scalar(select(UserBlock.id).where(
        UserBlock.blocker_id == user.id, UserBlock.blocked_id == other.id))
    if exists is None:
        db.session.add(UserBlock(blocker_id=user.id, blocked_id=other.id))
        db.session.flush()
    return other


@transactional
def unblock(user, other_id) -> User:
    """Lift a block this user set (NotFound when there is none)."""
    row = db.session.scalar(select(UserBlock).where(
        UserBlock.blocker_id == user.id, UserBlock.blocked_id == other_id)) if isinstance(other_id, int) else None
    if row is None:
        raise NotFound(_("Vous n'avez pas bloqué cette personne."))
    other = row.blocked
    db.session.delete(row)
    db.session.flush()
    return other


def blocked_by(user) -> list[UserBlock]:
    """The people this user blocked, the latest first."""
    return list(db.session.scalars(select(UserBlock).where(UserBlock.blocker_id == user.id)
                                   .order_by(UserBlock.created_at.desc(), UserBlock.id.desc())))
