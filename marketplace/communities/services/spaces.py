"""Creating communities, listing them, and the life of a membership: join, approval, leave,
moderators, following."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.communities.services import access, membership_notices
from marketplace.communities.services.checks import audit, line, prose, territory
from marketplace.core.errors import Conflict, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.unit_of_work import transactional
from marketplace.models import Community, CommunityMember

NAME_MAX = 120
THEME_MAX = 120
DESCRIPTION_MAX = 10_000
REQUEST_MESSAGE_MAX = 500


def _community_fields(data: dict) -> dict:
    name = line(data.get("name"), "name", NAME_MAX, _("Donnez un nom à la communauté."))
    domain = (data.get("domain") or "").strip() or None
    if domain is not None and domain not in DOMAINS:
        raise ServiceError(_("Choisissez un domaine dans la liste, ou laissez vide et décrivez le thème."),
                           "domain")
    theme = line(data.get("theme"), "theme", THEME_MAX)
    if domain is None and not theme:
        raise ServiceError(_("Choisissez un domaine ou décrivez le thème de la communauté."), "theme")
    deps, regs = territory(data.get("departements"), data.get("regions"))
    return {"name": name, "domain": domain, "theme": theme, "departement_codes": deps, "region_codes": regs,
            "description": prose(data.get("description"), "description", DESCRIPTION_MAX,
                                 _("Décrivez la communauté : à qui elle s'adresse, ce qu'on y partage.")),
            "is_open": bool(data.get("is_open", True))}


def _name_taken(name: str, except_id: int | None = None) -> bool:
    query = select(Community.id).where(func.lower(Community.name) == name.lower())
    if except_id is not None:
        query = query.where(Community.id != except_id)
    return db.session.scalar(query) is not None


@transactional
def create_community(user, data: dict) -> Community:
    """Create a community from the form's data; its creator is its first moderator."""
    access.require_platform_role(user)
    fields = _community_fields(data)
    if _name_taken(fields["name"]):
        raise ServiceError(_("Une communauté porte déjà ce nom."), "name")
    community = Community(created_by_id=user.id, **fields)
    db.session.add(community)
    db.session.flush()
    db.session.add(CommunityMember(community_id=community.id, user_id=user.id, role="moderator", status="active"))
    db.session.flush()
    return community


@transactional
def update_community(community: Community, user, data: dict) -> Community:
    """Moderators change the name, theme, territory, description and openness."""
    access.require_moderator(community, user)
    fields = _community_fields(data)
    if _name_taken(fields["name"], except_id=community.id):
        raise ServiceError(_("Une communauté porte déjà ce nom."), "name")
    for key, value in fields.items():
        setattr(community, key, value)
    db.session.flush()
    return community


def list_communities(user) -> list[tuple[Community, int, CommunityMember | None]]:
    """Every community with its number of members and the user's membership, by name."""
    access.require_platform_role(user)
    counts = dict(db.session.execute(
        select(CommunityMember.community_id, func.count(CommunityMember.id))
        .where(CommunityMember.status == "active").group_by(CommunityMember.community_id)).all())
    mine = {row.community_id: row for row in db.session.scalars(
        select(CommunityMember).where(CommunityMember.user_id == user.id))}
    communities = db.session.scalars(select(Community).order_by(func.lower(Community.name))).all()
    return [(c, counts.get(c.id, 0), mine.get(c.id)) for c in communities]


@transactional
def join(community: Community, user, message: str = "") -> CommunityMember:
    """Join an open community at once, or ask to join a closed one (a moderator decides)."""
    access.require_platform_role(user)
    message = prose(message, "message", REQUEST_MESSAGE_MAX)
    existing = access.membership(community, user)
    if existing is not None:
        if existing.status == "pending":
            raise Conflict(_("Votre demande d'adhésion attend déjà la réponse d'un modérateur."))
        raise Conflict(_("Vous êtes déjà membre de cette communauté."))
    row = CommunityMember(community_id=community.id, user_id=user.id, role="member",
                          status="active" if community.is_open else "pending", message=message)
    db.session.add(row)
    db.session.flush()
    if row.status == "pending":
        membership_notices.notify_request(community, row, user)
    return row


def _moderator_count(community: Community) -> int:
    return db.session.scalar(select(func.count(CommunityMember.id)).where(
        CommunityMember.community_id == community.id, CommunityMember.role == "moderator",
        CommunityMember.status == "active")) or 0


@transactional
def leave(community: Community, user) -> None:
    """Leave a community (or withdraw a request); the last moderator must name another first."""
    row = access.membership(community, user)
    if row is None:
        raise ServiceError(_("Vous n'êtes pas membre de cette communauté."))
    if row.role == "moderator" and _moderator_count(community) <= 1:
        raise ServiceError(_("Vous êtes le dernier modérateur : nommez un autre modérateur avant de partir."))
    db.session.delete(row)
    db.session.flush()


def _member_row(community: Community, member_id) -> CommunityMember:
    row = db.session.get(CommunityMember, member_id) if isinstance(member_id, int) else None
    if row is None or row.community_id != community.id:
        raise NotFound(_("Cette personne n'est pas membre de la communauté."))
    return row


@transactional
def decide_request(community: Community, moderator, member_id: int, accept: bool, reason: str = "") -> None:
    """A moderator accepts or refuses a pending request (kept in the audit log)."""
    access.require_moderator(community, moderator)
    reason = line(reason, "reason", 500)
    row = _member_row(community, member_id)
    if row.status != "pending":
        raise Conflict(_("Cette demande a déjà été traitée."))
    audit(community, moderator, "member_accepted" if accept else "member_refused", "member", row.user_id, reason)
    membership_notices.notify_decision(community, row, accept)
    if accept:
        row.status = "active"
    else:
        db.session.delete(row)
    db.session.flush()


@transactional
def set_moderator(community: Community, moderator, member_id: int, make_moderator: bool) -> None:
    """Name an active member moderator, or step one back to member (never the last one)."""
    access.require_moderator(community, moderator)
    row = _member_row(community, member_id)
    if row.status != "active":
        raise ServiceError(_("Acceptez d'abord la demande d'adhésion de cette personne."))
    if not make_moderator and row.role == "moderator" and _moderator_count(community) <= 1:
        raise ServiceError(_("La communauté doit garder au moins un modérateur."))
    row.role = "moderator" if make_moderator else "member"
    audit(community, moderator, "moderator_named" if make_moderator else "moderator_removed", "member", row.user_id)


@transactional
def set_following(community: Community, user, following: bool) -> None:
    """Choose whether new threads and replies of this community notify the member."""
    access.require_member(community, user)
    access.membership(community, user).following = bool(following)


def members(community: Community, user) -> tuple[list[CommunityMember], list[CommunityMember]]:
    """(active members, pending requests); the requests only for moderators."""
    access.require_reader(community, user)
    rows = db.session.scalars(select(CommunityMember).where(CommunityMember.community_id == community.id)
                              .order_by(CommunityMember.role.desc(), CommunityMember.id)).all()
    active = [r for r in rows if r.status == "active"]
    pending = [r for r in rows if r.status == "pending"] if access.is_moderator(community, user) else []
    return active, pending
