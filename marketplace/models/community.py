"""Communities of practice: members, discussion threads and posts, shared resources, meetings.

Moderation acts (pin, lock, hide, approve) are written to the shared audit log (`AuditEntry`,
object_type "community"); reports of posts are kept here for the moderators.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import ResourceMixin, TimestampMixin, utcnow
from marketplace.models.user import User

MEMBER_ROLES = ("member", "moderator")
MEMBER_STATUSES = ("pending", "active")


class Community(TimestampMixin, db.Model):
    """A community of practice: a theme (a domain key or free words), an optional territory,
    open membership or membership on request, and the practice sheets it curates."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    domain: Mapped[str | None] = mapped_column(String(40), index=True)
    theme: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    departement_codes: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    region_codes: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # Open: anyone with a role joins at once; closed: a moderator approves each request.
    is_open: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Ids of the practice sheets it curates, in order; only the published ones are shown.
    sheet_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    created_by: Mapped[User] = relationship()


class CommunityMember(TimestampMixin, db.Model):
    """A person's place in a community: member or moderator, pending until approved when the
    community is closed; `following` says whether new posts notify them."""

    __tablename__ = "community_members"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12), nullable=False, default="member")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="active")
    following: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    message: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    user: Mapped[User] = relationship(lazy="joined")


class CommunityThread(TimestampMixin, db.Model):
    """A discussion: its first post opens it; moderators pin it (shown first) or lock it (no reply)."""

    __tablename__ = "community_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    pinned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    last_post_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    author: Mapped[User] = relationship(lazy="joined")
    community: Mapped[Community] = relationship()


class CommunityPost(TimestampMixin, db.Model):
    """A message in a thread; a hidden post keeps its text for moderators and shows the reason."""

    __tablename__ = "community_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("community_threads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    hidden: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    hidden_reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    author: Mapped[User] = relationship(lazy="joined")
    thread: Mapped[CommunityThread] = relationship()


class CommunityReport(db.Model):
    """A member's report of a post, for the moderators; closed once a moderator has dealt with it."""

    __tablename__ = "community_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("community_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    reporter: Mapped[User] = relationship(lazy="joined")
    post: Mapped[CommunityPost] = relationship(lazy="joined")


class CommunityResource(ResourceMixin, db.Model):
    """A resource shared with a community (checked and stored like the wiki's)."""

    __tablename__ = "community_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)

    uploader: Mapped[User] = relationship(lazy="joined")


class CommunityMeeting(TimestampMixin, db.Model):
    """A meeting of the community: when, where (a place and/or a video link), the agenda, and
    the minutes written after it."""

    __tablename__ = "community_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    place: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    video_url: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    agenda: Mapped[str] = mapped_column(Text, nullable=False, default="")
    minutes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
