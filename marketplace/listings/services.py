"""Skill offers and needs: create, edit and move through their statuses.

Every content or status change of an item goes through one function per item kind
(`create_*`, `update_*`, `change_*_status`): one unit of work each, which checks who may, writes
and commits once. They are the single seam where work that must follow a change (matching,
notifications) is queued, published after the commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core import taxonomy
from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.exports import datasets
from marketplace.models import Collectivity, Need, SkillOffer
from marketplace.models.base import utcnow
from marketplace.core.permissions import can_edit
from marketplace.accounts.services import can_publish
from marketplace.suggestions.services import enqueue_matching

# Bounds shared by the forms (messages next to the field) and the services (last line of defence).
TITLE_MIN, TITLE_MAX = 5, 200
DESCRIPTION_MAX = 10_000
DAYS_PER_MONTH = (0.5, 22.0)  # a month has about 22 working days
ESTIMATED_DAYS = (0.5, 660.0)  # three years of full-time work: the longest mise à disposition
MAX_DISTANCE_KM = (0, 1000)


@dataclass(frozen=True)
class ListingKind:
    """What differs between offers and needs, so that one piece of code serves both."""

    name: str  # "offers" or "needs": the blueprint and the template folder
    model: type
    role: str  # the role that creates this kind, for the collectivity of that role
    owner_column: str
    owner_relation: str
    days_column: str
    statuses: dict
    transitions: dict  # status -> statuses it may move to
    publish_status: str  # the status that makes an item public
    visible_statuses: tuple  # what any logged-in user may browse
    extra_fields: tuple  # columns a form may set, beyond the common ones
    action_labels: dict  # target status -> what the button that moves there says
    export_name: str  # the file name of the raw export ("offres", "besoins")
    export_title: object  # the XLSX sheet title
    export_columns: tuple  # the columns of the raw export (marketplace.exports.datasets)


OFFER = ListingKind(
    name="offers",
    model=SkillOffer,
    role="agent",
    owner_column="agent_id",
    owner_relation="agent",
    days_column="days_per_month",
    statuses=taxonomy.OFFER_STATUSES,
    transitions={
        "draft": ("published", "archived"),
        "published": ("paused", "archived"),
        "paused": ("published", "archived"),
        "archived": (),
    },
    publish_status="published",
    visible_statuses=("published",),
    extra_fields=("days_per_month", "available_from", "available_until", "max_distance_km"),
    action_labels={
        "published": _l("Publier"),
        "paused": _l("Mettre en pause"),
        "archived": _l("Archiver"),
    },
    export_name="offres",
    export_title=_l("Offres de compétences"),
    export_columns=datasets.OFFER_COLUMNS,
)

NEED = ListingKind(
    name="needs",
    model=Need,
    role="representative",
    owner_column="author_id",
    owner_relation="author",
    days_column="estimated_days",
    statuses=taxonomy.NEED_STATUSES,
    transitions={
        "draft": ("open",),
        "open": ("in_progress", "closed", "cancelled"),
        "in_progress": ("closed", "cancelled"),
        "closed": (),
        "cancelled": (),
    },
    publish_status="open",
    visible_statuses=("open", "in_progress"),
    extra_fields=("estimated_days", "start_date", "deadline"),
    action_labels={
        "open": _l("Publier"),
        "in_progress": _l("Marquer en cours"),
        "closed": _l("Clore"),
        "cancelled": _l("Annuler le besoin"),
    },
    export_name="besoins",
    export_title=_l("Besoins des collectivités"),
    export_columns=datasets.NEED_COLUMNS,
)

COMMON_FIELDS = ("title", "description", "tags", "domain", "modality", "collectivity_id")


def kind_of(item) -> ListingKind:
    return OFFER if isinstance(item, SkillOffer) else NEED


def can_view(user, item) -> bool:
    """Published items are public (personal data stays behind sign-in: see the templates); drafts
    and withdrawn ones are for the owner and administrators only."""
    return item.status in kind_of(item).visible_statuses or can_edit(user, item)


def allowed_moves(item) -> tuple[str, ...]:
    """The statuses this item may move to next (empty when its status is final)."""
    return kind_of(item).transitions.get(item.status, ())


def is_final(item) -> bool:
    return not allowed_moves(item)


def collectivities_for(user, kind: ListingKind) -> list[Collectivity]:
    """The collectivities this user may create items of this kind for: verified roles, and
    pending requests for drafts (publishing checks the verified role, see `can_publish`)."""
    seen, result = set(), []
    for role in user.requested_roles(kind.role):
        if role.collectivity is not None and role.collectivity_id not in seen:
            seen.add(role.collectivity_id)
            result.append(role.collectivity)
    return sorted(result, key=lambda c: c.name)


def get_for_viewer(kind: ListingKind, item_id: int, user):
    """The item when this user may see it, else None (a draft's existence is not revealed)."""
    item = db.session.get(kind.model, item_id)
    if item is None or not can_view(user, item):
        return None
    return item


@transactional
def create_offer(actor, data: dict, publish: bool = False) -> SkillOffer:
    """Create an agent's offer for the collectivity of one of their agent roles; as a draft, or
    published at once when asked (and allowed)."""
    return _create(OFFER, actor, data, publish)


@transactional
def create_need(actor, data: dict, publish: bool = False) -> Need:
    """Create a need for the collectivity of one of the representative roles of the author."""
    return _create(NEED, actor, data, publish)


@transactional
def update_offer(offer: SkillOffer, data: dict, actor) -> SkillOffer:
    """Change the content of an offer (owner or administrator)."""
    return _update(OFFER, offer, data, actor)


@transactional
def update_need(need: Need, data: dict, actor) -> Need:
    """Change the content of a need (author or administrator)."""
    return _update(NEED, need, data, actor)


@transactional
def change_offer_status(offer: SkillOffer, to: str, actor) -> SkillOffer:
    """Move an offer to another status, following the table of allowed moves."""
    return _change_status(OFFER, offer, to, actor)


@transactional
def change_need_status(need: Need, to: str, actor) -> Need:
    """Move a need to another status, following the table of allowed moves."""
    return _change_status(NEED, need, to, actor)


# --- shared implementation ------------------------------------------------------------------


def _create(kind: ListingKind, actor, data: dict, publish: bool):
    item = kind.model(status="draft", tags=[])
    setattr(item, kind.owner_column, actor.id)
    _apply(kind, item, data, owner=actor)
    if publish:
        _move(kind, item, kind.publish_status, actor)
    db.session.add(item)
    enqueue_matching(item)  # matched by a worker once committed (ids only)
    db.session.flush()
    return item


def _update(kind: ListingKind, item, data: dict, actor):
    if not can_edit(actor, item):
        raise NotAllowed(_("Seul l'auteur ou un administrateur peut modifier cet élément."))
    if is_final(item):
        raise ServiceError(_("Cet élément est clos : il ne peut plus être modifié."))
    # An administrator editing keeps the item within the owner's collectivities, not their own.
    _apply(kind, item, data, owner=getattr(item, kind.owner_relation))
    enqueue_matching(item)
    db.session.flush()
    return item


def _change_status(kind: ListingKind, item, to: str, actor):
    if not can_edit(actor, item):
        raise NotAllowed(_("Seul l'auteur ou un administrateur peut changer ce statut."))
    _move(kind, item, to, actor)
    enqueue_matching(item)
    db.session.flush()
    return item


def _move(kind: ListingKind, item, to: str, actor) -> None:
    current = item.status or "draft"
    if to not in kind.transitions.get(current, ()):
        raise ServiceError(_(
            "Passage impossible du statut « %(current)s » au statut « %(to)s ».",
            current=taxonomy.label(kind.statuses, current),
            to=taxonomy.label(kind.statuses, to),
        ))
    if to == kind.publish_status:
        # A new item has its owner id but not yet its relationship: then the actor is the owner.
        owner = getattr(item, kind.owner_relation) or actor
        permission = can_publish(owner, item.collectivity_id)
        if not permission:
            raise ServiceError(permission.reason)
        if item.published_at is None:
            item.published_at = utcnow()
    item.status = to


def _apply(kind: ListingKind, item, data: dict, owner) -> None:
    """Copy validated values onto the item, checking what a form cannot know (roles)."""
    collectivity_id = data.get("collectivity_id", item.collectivity_id)
    allowed = {c.id for c in collectivities_for(owner, kind)} if owner else set()
    if collectivity_id not in allowed:
        raise ServiceError(_("Choisissez une collectivité pour laquelle vous avez ce rôle."), field="collectivity_id")
    _check_bounds(kind, data)
    for name in COMMON_FIELDS + kind.extra_fields:
        if name in data:
            setattr(item, name, data[name])


def _check_bounds(kind: ListingKind, data: dict) -> None:
    # Forms already say this next to the field; a caller that skips the form still cannot store
    # an impossible value.
    title = (data.get("title") or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ServiceError(_("Le titre doit faire entre 5 et 200 caractères."), field="title")
    if len(data.get("description") or "") > DESCRIPTION_MAX:
        raise ServiceError(_("La description fait au plus 10 000 caractères."), field="description")
    if data.get("domain") not in taxonomy.DOMAINS or data.get("modality") not in taxonomy.MODALITIES:
        raise ServiceError(_("Domaine ou modalité inconnus."))
    low, high = DAYS_PER_MONTH if kind is OFFER else ESTIMATED_DAYS
    days = data.get(kind.days_column)
    if days is None or not low <= float(days) <= high:
        raise ServiceError(_("Le nombre de jours est hors des limites permises."), field=kind.days_column)
    start, end = (data.get(name) for name in kind.extra_fields[1:3])
    if start and end and end < start:
        raise ServiceError(_("La date de fin doit suivre la date de début."), field=kind.extra_fields[2])


def own_items(kind: ListingKind, user):
    """Select statement for a user's own items of this kind, in every status, newest first."""
    model = kind.model
    return (
        select(model)
        .where(getattr(model, kind.owner_column) == user.id)
        .order_by(model.updated_at.desc(), model.id.desc())
    )
