"""What a token holder reads and changes of their own: offers, needs, the suggestions they may
see, their pairings. Every change goes through marketplace.listings.services, the functions the
pages call, so the API follows the same rules (roles, bounds, status moves, publication)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from marketplace.api_v1.fields import ID_MAX
from marketplace.api_v1.services.public import Page, paginate
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.permissions import can_edit
from marketplace.core.unit_of_work import transactional
from marketplace.listings import services as listings
from marketplace.listings.services import COMMON_FIELDS, NEED, OFFER, ListingKind
from marketplace.models import Need, SkillOffer, Suggestion
from marketplace.pairings.services.page import mine

KINDS = {"offers": OFFER, "needs": NEED}
CREATE = {"offers": listings.create_offer, "needs": listings.create_need}
UPDATE = {"offers": listings.update_offer, "needs": listings.update_need}
CHANGE_STATUS = {"offers": listings.change_offer_status, "needs": listings.change_need_status}
DATES = {"offers": ("available_from", "available_until"), "needs": ("start_date", "deadline")}


def _check_dates(kind_name: str, data: dict, item=None) -> None:
    # The forms refuse a date in the past, unless it is the one already stored (an offer that
    # started last month stays editable); the API keeps the same rule.
    for name in DATES[kind_name]:
        value = data.get(name)
        if value and value < date.today() and (item is None or getattr(item, name) != value):
            raise ServiceError(_("La date ne peut pas être dans le passé."), field=name)


def own_items(kind_name: str, user, page: int, per_page: int) -> Page:
    """The user's offers or needs, every status, most recently changed first."""
    return paginate(listings.own_items(KINDS[kind_name], user), page, per_page)


def get_own(kind_name: str, user, item_id: int):
    """One offer or need the user may change (theirs, or any for an administrator); 404 otherwise,
    so that the API does not confirm that someone else's draft exists."""
    kind: ListingKind = KINDS[kind_name]
    item = db.session.get(kind.model, item_id) if 0 < item_id <= ID_MAX else None
    if item is None or not can_edit(user, item):
        raise NotFound(_("Cet élément n'existe pas ou ne vous appartient pas."))
    return item


def create(kind_name: str, user, data: dict):
    """Create an offer or a need (a draft, or published when `publish` is true)."""
    data = dict(data)
    publish = bool(data.pop("publish", False))
    data.setdefault("description", "")
    data.setdefault("tags", [])
    _check_dates(kind_name, data)
    return CREATE[kind_name](user, data, publish=publish)


@transactional
def update(kind_name: str, user, item_id: int, changes: dict):
    """Change some fields of an offer or a need; the others keep their value."""
    kind: ListingKind = KINDS[kind_name]
    item = get_own(kind_name, user, item_id)
    data = {name: getattr(item, name) for name in COMMON_FIELDS + kind.extra_fields}
    data.update(changes)
    _check_dates(kind_name, data, item)
    return UPDATE[kind_name](item, data, user)


@transactional
def change_status(kind_name: str, user, item_id: int, to: str):
    """Move an offer or a need to another status (publish, pause, archive, close...)."""
    item = get_own(kind_name, user, item_id)
    return CHANGE_STATUS[kind_name](item, to, user)


def visible_suggestions(user, page: int, per_page: int, offer_id: int | None = None,
                        need_id: int | None = None) -> Page:
    """Suggestions on the user's offers and needs and on the needs of the collectivities they
    represent (who sees them on the pages, coordinators aside: they have their queue), best first."""
    statement = (select(Suggestion).join(SkillOffer, SkillOffer.id == Suggestion.offer_id)
                 .join(Need, Need.id == Suggestion.need_id))
    if not user.is_admin:
        conditions = [SkillOffer.agent_id == user.id, Need.author_id == user.id]
        represented = user.collectivity_ids("representative")
        if represented:
            conditions.append(Need.collectivity_id.in_(represented))
        statement = statement.where(or_(*conditions))
    if offer_id:
        statement = statement.where(Suggestion.offer_id == offer_id)
    if need_id:
        statement = statement.where(Suggestion.need_id == need_id)
    return paginate(statement.order_by(Suggestion.score.desc(), Suggestion.id), page, per_page)


def titles(model, ids) -> dict[int, str]:
    """Titles of offers or needs by id (suggestions show both sides by name)."""
    ids = set(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.title).where(model.id.in_(ids))).all())


def own_pairings(user, page: int, per_page: int) -> Page:
    """The pairings the user is a party to (agent, employer or host), newest first."""
    everything = [pairing for pairing, _stage in mine(user)]  # the stage is the page's stepper
    start = (page - 1) * per_page
    return Page(everything[start:start + per_page], len(everything), page, per_page)
