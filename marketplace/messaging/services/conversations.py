"""Conversations: start one with a suggested agent, reply (with a file), read a thread, the inbox.

Each new message notifies the other person through the "messages" kind of notification (in the
app, and by e-mail at once, in the daily digest or never, as they chose).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.communities.services.checks import prose
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.messaging.services import access
from marketplace.models import Conversation, ConversationMessage, MessageAttachment, Need, Pairing, SkillOffer
from marketplace.models.base import utcnow
from marketplace.notifications import services as notifications
from marketplace.practices.services import uploads

BODY_MAX = 5000
PAGE_SIZE = 20
KIND = "messages"


@dataclass
class Upload:
    """A file sent with a message, as the form gives it."""

    stream: object
    filename: str


def page_path(conversation: Conversation) -> str:
    return f"/messages/{conversation.id}"


def _token(token: str) -> str:
    token = (token or "").strip()[:64]
    if not token:
        raise ServiceError(_("Le formulaire a expiré : rechargez la page."), "body")
    return token


def _existing(conversation: Conversation, user, token: str) -> ConversationMessage | None:
    return db.session.scalar(select(ConversationMessage).where(
        ConversationMessage.conversation_id == conversation.id, ConversationMessage.author_id == user.id,
        ConversationMessage.token == token))


def _add_message(conversation: Conversation, user, body: str, token: str, upload: Upload | None):
    token = _token(token)
    if (existing := _existing(conversation, user, token)) is not None:
        return existing  # the same form sent twice
    body = prose(body, "body", BODY_MAX, _("Écrivez votre message."))
    checked = uploads.check_upload(upload.stream, upload.filename) if upload and upload.filename else None
    message = ConversationMessage(conversation_id=conversation.id, author_id=user.id, body=body, token=token)
    try:
        with db.session.begin_nested():  # the twin request may have won the race
            db.session.add(message)
    except IntegrityError:
        if (existing := _existing(conversation, user, token)) is not None:
            return existing
        raise
    if checked:
        data, name, mime = checked
        uploads.store_upload(data, name, mime, lambda **file: MessageAttachment(
            message_id=message.id, kind="file", title=name, uploader_id=user.id, **file))
    conversation.last_message_at = message.created_at or utcnow()
    _mark_read(conversation, user, message.id)
    other = conversation.other(user)
    if other.active:
        notifications.notify(
            other, KIND, f"message:{message.id}", link=page_path(conversation), template="message",
            message=_l("%(author)s vous a écrit au sujet du besoin « %(need)s ».",
                       author=user.display_name, need=conversation.need.title),
            subject=_l("Nouveau message sur Essaim"), need_title=conversation.need.title,
            conversation_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + page_path(conversation))
    db.session.flush()
    return message


def _need_and_offer(need_id, offer_id) -> tuple[Need | None, SkillOffer | None]:
    need = db.session.get(Need, need_id) if isinstance(need_id, int) else None
    offer = db.session.get(SkillOffer, offer_id) if isinstance(offer_id, int) else None
    return need, offer


def prepare_start(user, need_id, offer_id) -> tuple[Need, SkillOffer, str | None]:
    """The need and offer of a new message, and what stops it when a block stands between the two
    people (the page then says so instead of showing the form); other refusals raise."""
    need, offer = _need_and_offer(need_id, offer_id)
    try:
        access.require_start(user, need, offer)
    except ServiceError as error:
        if error.status != 400:  # NotFound, NotAllowed
            raise
        return need, offer, error.message
    return need, offer, None


def contactable_offers(user, need: Need, offer_ids) -> set[int]:
    """Among offers suggested for a need, those whose agent this user may write to."""
    return {offer.id for offer in db.session.scalars(select(SkillOffer).where(SkillOffer.id.in_(list(offer_ids))))
            if access.may_start(user, need, offer)}


@transactional
def start(user, need_id, offer_id, body: str, token: str, upload: Upload | None = None) -> Conversation:
    """A référent writes to the agent of an offer suggested for their need; writing again about the
    same need and offer continues the same conversation."""
    need, offer = _need_and_offer(need_id, offer_id)
    access.require_start(user, need, offer)
    conversation = db.session.scalar(select(Conversation).where(
        Conversation.need_id == need.id, Conversation.offer_id == offer.id, Conversation.starter_id == user.id))
    if conversation is None:
        conversation = Conversation(need_id=need.id, offer_id=offer.id, starter_id=user.id,
                                    recipient_id=offer.agent_id)
        db.session.add(conversation)
        db.session.flush()
    _add_message(conversation, user, body, token, upload)
    return conversation


@transactional
def reply(user, conversation_id, body: str, token: str, upload: Upload | None = None) -> ConversationMessage:
    """Either person answers in the conversation, unless one has blocked the other."""
    conversation = access.get_conversation(user, conversation_id)
    refusal = block_notice(user, conversation)
    if refusal:
        raise ServiceError(refusal, "body")
    return _add_message(conversation, user, body, token, upload)


def _mark_read(conversation: Conversation, user, message_id: int) -> None:
    if user.id == conversation.starter_id:
        conversation.starter_read_id = max(conversation.starter_read_id or 0, message_id)
    else:
        conversation.recipient_read_id = max(conversation.recipient_read_id or 0, message_id)


@transactional
def read(user, conversation_id) -> tuple[Conversation, list[ConversationMessage]]:
    """The conversation and its messages, oldest first; they count as read from now on."""
    conversation = access.get_conversation(user, conversation_id)
    messages = list(db.session.scalars(select(ConversationMessage).where(
        ConversationMessage.conversation_id == conversation.id).order_by(ConversationMessage.id)))
    if messages:
        _mark_read(conversation, user, messages[-1].id)
    return conversation, messages


def block_notice(user, conversation: Conversation) -> str | None:
    """What stops this user from answering (a block either way), or None."""
    return access.block_message(user, conversation.other(user).id)


def reportable(user, conversation_id, message_id) -> ConversationMessage:
    """A message of the other person in this conversation, which the user may report."""
    conversation = access.get_conversation(user, conversation_id)
    message = db.session.get(ConversationMessage, message_id) if isinstance(message_id, int) else None
    if message is None or message.conversation_id != conversation.id or message.author_id == user.id:
        raise NotFound(_("Ce message n'existe pas."))
    return message


def pairing_for(conversation: Conversation) -> Pairing | None:
    """The pairing decided on the same need and offer: its own thread gathers all its parties."""
    return db.session.scalar(select(Pairing).where(
        Pairing.need_id == conversation.need_id, Pairing.offer_id == conversation.offer_id))


def about(user, need_id: int, offer_id: int) -> list[Conversation]:
    """The user's conversations about this need and offer (linked from the pairing's page)."""
    return list(db.session.scalars(select(Conversation).where(
        _mine(user), Conversation.need_id == need_id, Conversation.offer_id == offer_id).order_by(Conversation.id)))


def _mine(user):
    return or_(Conversation.starter_id == user.id, Conversation.recipient_id == user.id)


def _unread_condition(user):
    read_up_to = case((Conversation.starter_id == user.id, Conversation.starter_read_id),
                      else_=Conversation.recipient_read_id)
    return and_(ConversationMessage.author_id != user.id, ConversationMessage.hidden_at.is_(None),
                ConversationMessage.id > read_up_to)


@dataclass
class InboxPage:
    rows: list  # (conversation, unread count)
    page: int
    pages: int
    total: int


def inbox(user, page: int = 1) -> InboxPage:
    """The user's conversations, the latest message first, with their unread counts."""
    total = db.session.scalar(select(func.count(Conversation.id)).where(_mine(user))) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    unread = (select(func.count(ConversationMessage.id))
              .where(ConversationMessage.conversation_id == Conversation.id, _unread_condition(user))
              .correlate(Conversation).scalar_subquery())
    rows = db.session.execute(
        select(Conversation, unread).where(_mine(user))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return InboxPage(rows=[(c, n) for c, n in rows], page=page, pages=pages, total=total)


def unread_total(user) -> int:
    """How many messages wait to be read, in all the user's conversations."""
    return db.session.scalar(
        select(func.count(ConversationMessage.id))
        .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
        .where(_mine(user), _unread_condition(user))) or 0


def attachment_of(user, conversation_id, attachment_id) -> MessageAttachment:
    """A file of this conversation, for its two people only (NotFound otherwise, or when hidden)."""
    conversation = access.get_conversation(user, conversation_id)
    attachment = db.session.get(MessageAttachment, attachment_id) if isinstance(attachment_id, int) else None
    message = db.session.get(ConversationMessage, attachment.message_id) if attachment else None
    if message is None or message.conversation_id != conversation.id or message.hidden_at is not None:
        raise NotFound(_("Ce fichier n'existe pas."))
    return attachment


def file_path(attachment: MessageAttachment):
    """Where the file is on disk (NotFound when missing)."""
    path = uploads.upload_dir() / (attachment.stored_name or "")
    if not attachment.stored_name or not path.is_file():
        raise NotFound(_("Ce fichier n'est plus disponible."))
    return path
