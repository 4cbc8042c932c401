"""In-app notices of a closed community's membership requests: the moderators learn that someone
asks to join (nothing else would tell them), the person learns the answer."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import Community, CommunityMember, User
from marketplace.notifications import services as notifications

NOTIFICATION_KIND = "community"


def _link(endpoint: str, community: Community) -> str:
    # Built from the URL map: a service has no request to build it from.
    return current_app.url_map.bind("").build(endpoint, {"community_id": community.id})


def moderators(community: Community) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CommunityMember, CommunityMember.user_id == User.id)
        .where(CommunityMember.community_id == community.id, CommunityMember.role == "moderator",
               CommunityMember.status == "active", User.active.is_(True)).order_by(User.id)))


def notify_request(community: Community, request: CommunityMember, requester: User) -> None:
    """Tell the moderators, in the caller's transaction, that a person asks to join."""
    message = _l("%(who)s demande à rejoindre la communauté « %(name)s ».",
                 who=requester.display_name, name=community.name)
    for moderator in moderators(community):
        notifications.notify(moderator, NOTIFICATION_KIND, f"community:{community.id}:request:{request.id}",
                             message, link=_link("communities.members", community))


def notify_decision(community: Community, request: CommunityMember, accepted: bool) -> None:
    """Tell the person who asked to join whether a moderator accepted, in the caller's transaction."""
    if accepted:
        message = _l("Votre demande d'adhésion à la communauté « %(name)s » est acceptée.", name=community.name)
    else:
        message = _l("Votre demande d'adhésion à la communauté « %(name)s » n'a pas été retenue.",
                     name=community.name)
    notifications.notify(request.user, NOTIFICATION_KIND, f"community:{community.id}:decision:{request.id}",
                         message, link=_link("communities.detail", community))
