"""What each communities page shows, gathered in one call so that views stay thin."""
from __future__ import annotations

from marketplace.communities.services import access, discussion, meetings, resources, spaces
from marketplace.models import Community


def community_page(community_id, user) -> dict:
    """The community's page: its card for everyone with a role; its space (threads, resources,
    curated sheets, meetings) for those who may read it."""
    access.require_platform_role(user)
    community = access.get_community(community_id)
    readable = access.can_read(community, user)
    page = {"community": community, "membership": access.membership(community, user),
            "is_member": access.is_member(community, user), "is_moderator": access.is_moderator(community, user),
            "can_read": readable, "threads": [], "resources": [], "sheets": [], "upcoming": [], "past": [],
            "member_count": 0}
    if readable:
        active, _pending = spaces.members(community, user)
        upcoming, past = meetings.meetings(community, user)
        page.update(threads=discussion.threads(community, user), resources=resources.resources(community, user),
                    sheets=resources.curated_sheets(community), upcoming=upcoming, past=past,
                    member_count=len(active))
    return page


def thread_page(community_id, thread_id, user) -> dict:
    """A thread with its posts, and what the reader may do there."""
    access.require_platform_role(user)
    community = access.get_community(community_id)
    access.require_reader(community, user)
    thread = access.get_thread(community, thread_id)
    return {"community": community, "thread": thread, "posts": discussion.posts(community, thread, user),
            "is_member": access.is_member(community, user), "is_moderator": access.is_moderator(community, user)}


def moderator_of(community_id, user) -> Community:
    """The community, when the user moderates it (NotAllowed otherwise)."""
    community = access.get_community(community_id)
    access.require_moderator(community, user)
    return community


def readable(community_id, user) -> Community:
    """The community, when the user may read its space."""
    community = access.get_community(community_id)
    access.require_reader(community, user)
    return community
