"""Discussion threads and replies, and telling the community's followers about them.

Followers are the active members who keep `following` on; each hears of a new thread or reply
through their preference for the notification kind "community" (immediate e-mail, daily digest,
or in the app only). The author is never told of their own post.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.communities.services import access
from marketplace.communities.services.checks import line, prose
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Community, CommunityMember, CommunityPost, CommunityThread, User
from marketplace.models.base import utcnow
from marketplace.notifications import services as notifications

TITLE_MAX = 200
BODY_MAX = 10_000
NOTIFICATION_KIND = "community"


@transactional
def create_thread(community: Community, author, title: str, body: str) -> CommunityThread:
    """Open a discussion with its first post, and tell the followers."""
    access.require_member(community, author)
    title = line(title, "title", TITLE_MAX, _("Donnez un titre à la discussion."))
    body = prose(body, "body", BODY_MAX, _("Écrivez votre message."))
    thread = CommunityThread(community_id=community.id, author_id=author.id, title=title)
    db.session.add(thread)
    db.session.flush()
    post = CommunityPost(thread_id=thread.id, author_id=author.id, body=body)
    db.session.add(post)
    db.session.flush()
    notify_followers(community, thread, post, author, new_thread=True)
    return thread


@transactional
def reply(community: Community, thread: CommunityThread, author, body: str) -> CommunityPost:
    """Answer in a thread; a locked thread refuses replies."""
    access.require_member(community, author)
    if thread.locked:
        raise ServiceError(_("Cette discussion est verrouillée par la modération : "
                             "elle n'accepte plus de réponse."), "body")
    body = prose(body, "body", BODY_MAX, _("Écrivez votre message."))
    post = CommunityPost(thread_id=thread.id, author_id=author.id, body=body)
    db.session.add(post)
    thread.last_post_at = utcnow()
    db.session.flush()
    notify_followers(community, thread, post, author, new_thread=False)
    return post


def threads(community: Community, user) -> list[tuple[CommunityThread, int]]:
    """The community's threads with their number of posts: pinned first, then latest activity."""
    access.require_reader(community, user)
    counts = select(CommunityPost.thread_id, func.count(CommunityPost.id).label("n")) \
        .group_by(CommunityPost.thread_id).subquery()
    rows = db.session.execute(
        select(CommunityThread, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.thread_id == CommunityThread.id)
        .where(CommunityThread.community_id == community.id)
        .order_by(CommunityThread.pinned.desc(), CommunityThread.last_post_at.desc(), CommunityThread.id.desc())
    ).all()
    return [(thread, int(n)) for thread, n in rows]


def posts(community: Community, thread: CommunityThread, user) -> list[CommunityPost]:
    """The posts of a thread in order (hidden ones are shown as such by the page)."""
    access.require_reader(community, user)
    return list(db.session.scalars(select(CommunityPost).where(CommunityPost.thread_id == thread.id)
                                   .order_by(CommunityPost.created_at, CommunityPost.id)))


def followers(community: Community, exclude_user_id: int | None = None) -> list[User]:
    """Active users who are active members following the community."""
    query = (select(User).join(CommunityMember, CommunityMember.user_id == User.id)
             .where(CommunityMember.community_id == community.id, CommunityMember.status == "active",
                    CommunityMember.following.is_(True), User.active.is_(True)).order_by(User.id))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return list(db.session.scalars(query))


def notify_followers(community: Community, thread: CommunityThread, post: CommunityPost, actor,
                     new_thread: bool) -> list[User]:
    """Notify the followers of a new thread or reply, in the caller's transaction; the recipients."""
    recipients = followers(community, exclude_user_id=actor.id)
    if new_thread:
        message = _l("%(who)s a ouvert la discussion « %(title)s » dans la communauté « %(name)s ».",
                     who=actor.display_name, title=_short(thread.title), name=community.name)
    else:
        message = _l("%(who)s a répondu à la discussion « %(title)s » dans la communauté « %(name)s ».",
                     who=actor.display_name, title=_short(thread.title), name=community.name)
    # Built from the URL map: a service has no request to build it from.
    link = current_app.url_map.bind("").build(
        "communities.thread", {"community_id": community.id, "thread_id": thread.id})
    absolute = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link
    for user in recipients:
        notifications.notify(user, NOTIFICATION_KIND, f"community:{community.id}:post:{post.id}", message,
                             link=link, template="community_update",
                             subject=_l("Du nouveau dans la communauté « %(name)s »", name=community.name),
                             thread_url=absolute, thread_title=thread.title, community_name=community.name)
    return recipients


def _short(text: str, size: int = 120) -> str:
    # A notification holds 500 characters: long titles are cut so the message always fits.
    return text if len(text) <= size else text[:size - 1] + "…"
