"""Who may write to whom: a verified référent of a need's collectivity to the agent of an offer
currently suggested for that need; then only the two people of the conversation, unless one has
blocked the other. Nobody can write to an arbitrary user."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.models import Conversation, Need, SkillOffer, Suggestion, UserBlock


def block_between(user_id: int, other_id: int) -> UserBlock | None:
    """A block either way between these two people, or None."""
    return db.session.scalars(select(UserBlock).where(or_(
        (UserBlock.blocker_id == user_id) & (UserBlock.blocked_id == other_id),
        (UserBlock.blocker_id == other_id) & (UserBlock.blocked_id == user_id)))).first()


def block_message(user, other_id: int) -> str | None:
    """What the user reads when a block stops them writing to `other_id` (None: no block)."""
    block = block_between(user.id, other_id)
    if block is None:
        return None
    if block.blocker_id == user.id:
        return _("Vous avez bloqué cette personne : débloquez-la dans vos paramètres de messagerie "
                 "pour lui écrire de nouveau.")
    return _("Cette personne a choisi de ne plus recevoir vos messages : vous ne pouvez plus lui écrire.")


def _is_suggested(need: Need, offer: SkillOffer) -> bool:
    return db.session.scalar(select(Suggestion.id).where(
        Suggestion.need_id == need.id, Suggestion.offer_id == offer.id)) is not None


def start_refusal(user, need: Need | None, offer: SkillOffer | None) -> str | None:
    """Why this user may not write to the agent of this offer about this need (None: they may)."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return _("Connectez-vous pour écrire à un agent.")
    if need is None or offer is None or not need.is_visible or not offer.is_visible:
        return _("Ce besoin ou cette offre n'est plus disponible.")
    if need.collectivity_id not in user.collectivity_ids("representative"):
        return _("Seuls les référents vérifiés de la collectivité du besoin écrivent aux agents suggérés.")
    if offer.agent_id == user.id:
        return _("Vous ne pouvez pas vous écrire à vous-même.")
    if not offer.agent.active:
        return _("Le compte de cet agent est désactivé : il ne peut pas recevoir de message.")
    if not _is_suggested(need, offer):
        return _("Cette offre n'est pas (ou plus) suggérée pour ce besoin.")
    return block_message(user, offer.agent_id)


def may_start(user, need: Need, offer: SkillOffer) -> bool:
    """Whether the page shows "Écrire à l'agent" for this suggestion."""
    return start_refusal(user, need, offer) is None


def require_start(user, need: Need | None, offer: SkillOffer | None) -> None:
    """Refuse with the reason: NotFound for an unknown need or offer, a ServiceError on the message
    field when a block stands between them (the page says so), NotAllowed otherwise."""
    refusal = start_refusal(user, need, offer)
    if refusal is None:
        return
    if need is None or offer is None:
        raise NotFound(refusal)
    if block_between(user.id, offer.agent_id) is not None:
        raise ServiceError(refusal, "body")
    raise NotAllowed(refusal)


def is_participant(user, conversation: Conversation) -> bool:
    return getattr(user, "id", None) in (conversation.starter_id, conversation.recipient_id)


def get_conversation(user, conversation_id) -> Conversation:
    """A conversation of this user (NotFound for an unknown id or someone else's: no leak)."""
    conversation = db.session.get(Conversation, conversation_id) if isinstance(conversation_id, int) else None
    if conversation is None or not is_participant(user, conversation):
        raise NotFound(_("Cette conversation n'existe pas."))
    return conversation
