"""Conversations between two people about a need and a suggested offer: the messages, their
attachments, who blocked whom, and the abuse reports the administrators decide on.

A pairing keeps its own thread (PairingMessage): it gathers every party of the pairing (agent,
home employer, host), whereas a conversation is between two people before any pairing exists.
The conversation page links to the pairing's thread once there is one for the same need and offer.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import ResourceMixin, utcnow
from marketplace.models.listing import Need, SkillOffer
from marketplace.models.user import User

REPORT_REASONS = ("spam", "harassment", "inappropriate", "other")
REPORT_DECISIONS = ("dismissed", "hidden", "suspended")


class Conversation(db.Model):
    """Two people about one need and one offer: the référent who wrote first and the offer's agent."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("need_id", "offer_id", "starter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("skill_offers.id", ondelete="CASCADE"), index=True)
    starter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    last_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False,
                                                      index=True)
    # The last message each side has seen (ids only grow): what is after it is unread.
    starter_read_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    recipient_read_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    need: Mapped[Need] = relationship(lazy="joined")
    offer: Mapped[SkillOffer] = relationship(lazy="joined")
    starter: Mapped[User] = relationship(foreign_keys=[starter_id], lazy="joined")
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id], lazy="joined")

    def other(self, user) -> User:
        return self.recipient if user.id == self.starter_id else self.starter


class ConversationMessage(db.Model):
    """One message; `token` comes with the form, so that a form sent twice adds one message."""

    __tablename__ = "conversation_messages"
    __table_args__ = (UniqueConstraint("conversation_id", "author_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    # Set when an administrator hides it after a report: the text stays for the audit, not for readers.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    author: Mapped[User] = relationship(lazy="joined")
    conversation: Mapped[Conversation] = relationship()
    attachments: Mapped[list[MessageAttachment]] = relationship(lazy="selectin", order_by="MessageAttachment.id")


class MessageAttachment(ResourceMixin, db.Model):
    """A file joined to a message, checked and stored as the wiki's are; downloaded by the two people only."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("conversation_messages.id", ondelete="CASCADE"), index=True)


class UserBlock(db.Model):
    """`blocker` no longer hears from `blocked`: no new conversation, no reply, either way."""

    __tablename__ = "user_blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id], lazy="joined")


class MessageReport(db.Model):
    """A participant's report of a message, for the administrators; decided once, audited."""

    __tablename__ = "message_reports"
    __table_args__ = (UniqueConstraint("message_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("conversation_messages.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    message: Mapped[ConversationMessage] = relationship(lazy="joined")
