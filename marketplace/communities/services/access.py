"""Who may browse, read, post in and moderate a community, and the lookups every use case starts with.

Anyone signed in with an active role browses the list of communities and joins; the space of an
open community (threads, resources, meetings) is readable by them too, that of a closed one by its
members only; only active members post; only moderators (and administrators) moderate.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotAllowed, NotFound
from marketplace.core.extensions import db
from marketplace.models import Community, CommunityMember, CommunityPost, CommunityThread


def has_platform_role(user) -> bool:
    """Signed in and holding at least one active role (agent, référent, employer, coordinator, admin)."""
    return bool(getattr(user, "is_authenticated", False) and user.active_roles())


def require_platform_role(user) -> None:
    """Refuse anyone who is not signed in with an active role."""
    if not has_platform_role(user):
        raise NotAllowed(_("Les communautés sont réservées aux personnes inscrites ayant un rôle actif."))


def membership(community: Community, user) -> CommunityMember | None:
    """The user's membership row (pending or active), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(CommunityMember).where(
        CommunityMember.community_id == community.id, CommunityMember.user_id == user.id))


def is_member(community: Community, user) -> bool:
    """An approved member (moderators included)."""
    row = membership(community, user)
    return row is not None and row.status == "active"


def is_moderator(community: Community, user) -> bool:
    """A moderator of this community, or an administrator of the platform."""
    if not has_platform_role(user):
        return False
    if user.is_admin:
        return True
    row = membership(community, user)
    return row is not None and row.status == "active" and row.role == "moderator"


def can_read(community: Community, user) -> bool:
    """Whether the user may read the community's space."""
    if not has_platform_role(user):
        return False
    return community.is_open or user.is_admin or is_member(community, user)


def require_reader(community: Community, user) -> None:
    """Refuse anyone who may not read the community's space (see `can_read`)."""
    require_platform_role(user)
    if not can_read(community, user):
        raise NotAllowed(_("Cette communauté est fermée : seuls ses membres lisent ses échanges."))


def require_member(community: Community, user) -> None:
    """Only approved members post, share and report."""
    require_platform_role(user)
    if not is_member(community, user):
        raise NotAllowed(_("Seuls les membres de la communauté peuvent participer."))


def require_moderator(community: Community, user) -> None:
    """Refuse anyone who neither moderates the community nor administers the platform."""
    require_platform_role(user)
    if not is_moderator(community, user):
        raise NotAllowed(_("Seuls les modérateurs de la communauté peuvent faire cela."))


def get_community(community_id) -> Community:
    """The community with this id; NotFound for an unknown or malformed id."""
    community = db.session.get(Community, community_id) if isinstance(community_id, int) else None
    if community is None:
        raise NotFound(_("Cette communauté n'existe pas."))
    return community


def get_thread(community: Community, thread_id) -> CommunityThread:
    """A thread of this community (NotFound when it belongs to another one)."""
    thread = db.session.get(CommunityThread, thread_id) if isinstance(thread_id, int) else None
    if thread is None or thread.community_id != community.id:
        raise NotFound(_("Cette discussion n'existe pas."))
    return thread


def get_post(community: Community, post_id) -> CommunityPost:
    """A post of one of this community's threads."""
    post = db.session.get(CommunityPost, post_id) if isinstance(post_id, int) else None
    if post is None or post.thread.community_id != community.id:
        raise NotFound(_("Ce message n'existe pas."))
    return post
