"""The coordinator's queue: suggestions of their territory, ranked and explained, then decided.

Ranking starts from the matching score and lowers it for an agent already at capacity (open
proposals and active engagements) and for each earlier rejected or declined pairing that looks
like this one (same agent on a need of the same domain or of the same host collectivity), so
that nobody is flooded and refusals are heard.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import format_date, gettext as _, lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import (AgentCapacity, CollectivityDepartement, CollectivityRegion, Engagement, Need,
                       Pairing, SkillOffer, Suggestion)
from marketplace.models.base import utcnow
from marketplace.core.taxonomy import MODALITIES, label
from marketplace.core.templating import number
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import covers_need
from marketplace.core.errors import Conflict, NotAllowed, ServiceError
from marketplace.pairings.services.notify import everyone, tell

AT_CAPACITY_FACTOR = 0.5
SIMILAR_REFUSAL_FACTOR = 0.8
QUEUE_LIMIT = 300
DEFAULT_CAPACITY = 2


@dataclass
class QueueItem:
    """One suggestion as the coordinator sees it."""

    suggestion: Suggestion
    offer: SkillOffer
    need: Need
    rank: float
    age_days: int
    stale: bool
    open_count: int
    capacity: int
    requested_by: str | None = None  # the host's representative who asked for it, if any
    similar_refusals: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    @property
    def at_capacity(self) -> bool:
        return self.open_count >= self.capacity


def stale_days() -> int:
    return int(current_app.config.get("SUGGESTION_STALE_DAYS", 7))


def capacity_of(agent_id: int) -> int:
    """How many open proposals and engagements the agent takes at once."""
    row = db.session.get(AgentCapacity, agent_id)
    return row.effective if row else DEFAULT_CAPACITY


def open_counts(agent_ids) -> dict[int, int]:
    """Open proposals plus active engagements, per agent."""
    rows = db.session.execute(
        select(SkillOffer.agent_id, Pairing.status, Engagement.status)
        .join(SkillOffer, SkillOffer.id == Pairing.offer_id)
        .outerjoin(Engagement, Engagement.pairing_id == Pairing.id)
        .where(SkillOffer.agent_id.in_(list(agent_ids)), Pairing.status.in_(("proposed", "engaged")))
    ).all()
    counts: dict[int, int] = {}
    for agent_id, status, engagement_status in rows:
        if status == "proposed" or engagement_status == "active":
            counts[agent_id] = counts.get(agent_id, 0) + 1
    return counts


def _refusals(agent_ids) -> dict[int, list[tuple[str, int, str]]]:
    rows = db.session.execute(
        select(SkillOffer.agent_id, Need.domain, Need.collectivity_id, Pairing.reason)
        .join(SkillOffer, SkillOffer.id == Pairing.offer_id).join(Need, Need.id == Pairing.need_id)
        .where(SkillOffer.agent_id.in_(list(agent_ids)), Pairing.status.in_(("rejected", "declined")))
    ).all()
    found: dict[int, list] = {}
    for agent_id, domain, collectivity_id, reason in rows:
        found.setdefault(agent_id, []).append((domain, collectivity_id, reason))
    return found


def _availability(offer: SkillOffer, need: Need) -> list[str]:
    notes = [_("%(days)s jour(s) par mois proposés, %(need)s jour(s) estimés pour le besoin",
               days=number(offer.days_per_month), need=number(need.estimated_days))]
    if offer.available_from or offer.available_until:
        notes.append(_("disponible du %(start)s au %(end)s",
                       start=format_date(offer.available_from) if offer.available_from else "—",
                       end=format_date(offer.available_until) if offer.available_until else "—"))
    if need.deadline and offer.available_from and offer.available_from > need.deadline:
        notes.append(_("attention : disponible après l'échéance du besoin"))
    return notes


def _rules(offer: SkillOffer) -> list[str]:
    rules = [_("collectivité d'origine différente de la collectivité d'accueil"),
             _("modalité compatible (%(modality)s)", modality=label(MODALITIES, offer.modality).lower())]
    if offer.max_distance_km:
        rules.append(_("distance maximale de l'agent : %(km)s km", km=offer.max_distance_km))
    return rules


def _territory_filter(user):
    """A SQL condition keeping needs whose collectivity lies in the user's coordinator scope."""
    deps = {d for r in user.active_roles("coordinator") for d in r.scope_departements}
    regions = {g for r in user.active_roles("coordinator") for g in r.scope_regions}
    return or_(
        Need.collectivity_id.in_(select(CollectivityDepartement.collectivity_id)
                                 .where(CollectivityDepartement.departement_code.in_(deps))),
        Need.collectivity_id.in_(select(CollectivityRegion.collectivity_id)
                                 .where(CollectivityRegion.region_code.in_(regions))),
    )


def queue(user, departement: str | None = None, domain: str | None = None,
          min_score: float | None = None, min_age_days: int | None = None) -> list[QueueItem]:
    """The suggestions waiting for this coordinator's decision, best ranked first."""
    if not (user.is_admin or user.has_role("coordinator")):
        raise NotAllowed(_("Seuls les coordinateurs territoriaux examinent les suggestions."))
    query = (
        select(Suggestion, SkillOffer, Need, Pairing)
        .join(SkillOffer, SkillOffer.id == Suggestion.offer_id).join(Need, Need.id == Suggestion.need_id)
        .outerjoin(Pairing, and_(Pairing.offer_id == Suggestion.offer_id, Pairing.need_id == Suggestion.need_id))
        .where(or_(Pairing.id.is_(None), Pairing.status == "pending_review"),
               Need.status == "open", SkillOffer.status == "published")
    )
    if not user.is_admin:
        query = query.where(_territory_filter(user))
    if departement:
        query = query.where(Need.collectivity_id.in_(
            select(CollectivityDepartement.collectivity_id).where(CollectivityDepartement.departement_code == departement)))
    if domain:
        query = query.where(Need.domain == domain)
    if min_score is not None:
        query = query.where(Suggestion.score >= min_score)
    now = utcnow()
    if min_age_days:
        query = query.where(Suggestion.created_at <= now - timedelta(days=min_age_days))
    rows = db.session.execute(query.order_by(Suggestion.score.desc()).limit(QUEUE_LIMIT)).all()
    agent_ids = {offer.agent_id for _s, offer, _n, _p in rows}
    counts, refusals = open_counts(agent_ids), _refusals(agent_ids)
    items = []
    for suggestion, offer, need, pairing in rows:
        similar = [reason or _("sans motif") for domain_, host, reason in refusals.get(offer.agent_id, [])
                   if domain_ == need.domain or host == need.collectivity_id]
        created = suggestion.created_at if suggestion.created_at.tzinfo else suggestion.created_at.replace(tzinfo=now.tzinfo)
        age = (now - created).days
        item = QueueItem(suggestion, offer, need, rank=suggestion.score, age_days=age, stale=age >= stale_days(),
                         open_count=counts.get(offer.agent_id, 0), capacity=capacity_of(offer.agent_id),
                         similar_refusals=similar, availability=_availability(offer, need), rules=_rules(offer),
                         requested_by=pairing.requested_by.display_name if pairing and pairing.requested_by else None)
        item.rank = suggestion.score * (AT_CAPACITY_FACTOR if item.at_capacity else 1) \
            * SIMILAR_REFUSAL_FACTOR ** len(similar)
        items.append(item)
    # What a host asked for comes first: a person is waiting for that answer.
    items.sort(key=lambda i: (i.requested_by is None, -i.rank, i.suggestion.id))
    return items


@transactional
def decide(user, suggestion_ids, approve: bool, reason: str = "") -> list[Pairing]:
    """Approve (a proposal goes to the three parties) or reject with a reason one or more
    suggestions; all or nothing: one refused suggestion refuses the batch."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError(_("Indiquez le motif du rejet."), "reason")
    ids = sorted({int(i) for i in suggestion_ids})
    if not ids:
        raise ServiceError(_("Sélectionnez au moins une suggestion."), "suggestion_ids")
    suggestions = db.session.scalars(select(Suggestion).where(Suggestion.id.in_(ids))).all()
    if len(suggestions) != len(ids):
        raise ServiceError(_("Une des suggestions n'existe plus. Rechargez la page."), "suggestion_ids")
    # A refusal raised for one suggestion rolls the whole unit of work back: all or nothing.
    pairings = [_decide_one(user, suggestion, approve, reason) for suggestion in suggestions]
    try:
        db.session.flush()
    except IntegrityError:  # another coordinator decided the same pair at the same moment
        raise Conflict(_("Cette suggestion vient d'être traitée par quelqu'un d'autre."), "suggestion_ids") from None
    return pairings


def _decide_one(user, suggestion: Suggestion, approve: bool, reason: str) -> Pairing:
    """Decide one suggestion in the current unit of work (the caller's)."""
    offer, need = db.session.get(SkillOffer, suggestion.offer_id), db.session.get(Need, suggestion.need_id)
    if not covers_need(user, need) or not (user.is_admin or user.has_role("coordinator")):
        raise NotAllowed(_("Ce besoin est hors de votre territoire."))
    if offer.agent_id == user.id:
        raise NotAllowed(_("Vous ne pouvez pas statuer sur une mise en relation qui vous concerne."))
    pairing = db.session.scalar(select(Pairing).where(Pairing.offer_id == offer.id, Pairing.need_id == need.id))
    if pairing is None:
        pairing = Pairing(offer=offer, need=need, status="pending_review")
        db.session.add(pairing)
    elif pairing.status != "pending_review":
        raise ServiceError(_("Cette suggestion a déjà été traitée."), "suggestion_ids")
    pairing.status = "proposed" if approve else "rejected"
    pairing.reason, pairing.score = reason, suggestion.score
    pairing.decided_by_id, pairing.decided_at = user.id, utcnow()
    audit.record(pairing, user, "pending_review", pairing.status, reason=reason)
    if approve:
        tell(pairing, everyone(pairing), "proposed",
             _l("Une mise en relation vous est proposée : « %(offer)s » pour le besoin « %(need)s ». "
                "Votre accord est demandé.", offer=offer.title, need=need.title),
             _l("Une mise en relation attend votre accord"))
    return pairing
