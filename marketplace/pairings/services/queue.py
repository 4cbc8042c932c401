"""The coordinator's queue: suggestions of their territory, ranked and explained, then decided.

Ranking starts from the matching score and lowers it for an agent already at capacity (open
proposals and active engagements) and for each earlier rejected or declined pairing that looks
like this one (same agent on a need of the same domain or of the same host collectivity), so
that nobody is flooded and refusals are heard.

The queue starts from the territory's open needs. Every waiting suggestion is ranked from light
rows (a few statements whatever the number of rows: open counts, refusals and capacities are each
loaded in one query), then only the page shown is loaded in full, 25 rows at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import (AgentCapacity, Collectivity, CollectivityDepartement, CollectivityRegion, Engagement, Need,
                       Pairing, SkillOffer, Suggestion)
from marketplace.models.base import utcnow
from marketplace.learning import labels, off_topic
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import covers_need
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.pairings.services.notify import everyone, tell
from marketplace.pairings.services.queue_items import QueueItem, QueuePage, Ranked, availability, rules

# Kinds of rejection; free text says the rest. "Hors sujet" was missing: it is the one rejection
# that is final for the pair (the matching must never suggest it again), the others may change.
REJECTION_CODES = {"": _l("Autre motif"), off_topic.REASON_CODE: _l("Hors sujet / sans rapport")}
AT_CAPACITY_FACTOR = 0.5
SIMILAR_REFUSAL_FACTOR = 0.8
PAGE_SIZE = 25
SORTS = ("score", "age", "departement")
DEFAULT_CAPACITY = 2


def stale_days() -> int:
    return int(current_app.config.get("SUGGESTION_STALE_DAYS", 7))


def capacity_of(agent_id: int) -> int:
    """How many open proposals and engagements the agent takes at once."""
    row = db.session.get(AgentCapacity, agent_id)
    return row.effective if row else DEFAULT_CAPACITY


def capacities_of(agent_ids) -> dict[int, int]:
    """How many open proposals and engagements each agent takes at once, in one statement."""
    rows = db.session.scalars(select(AgentCapacity).where(AgentCapacity.user_id.in_(list(agent_ids)))).all()
    return {row.user_id: row.effective for row in rows}


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


def _territory_needs(user, departement: str | None, domain: str | None):
    """The ids of the open needs this queue is about: the user's territory, narrowed by the filters."""
    needs = select(Need.id).where(Need.status == "open")
    if not user.is_admin:
        needs = needs.where(_territory_filter(user))
    if departement:
        needs = needs.where(Need.collectivity_id.in_(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code == departement.upper())))
    if domain:
        needs = needs.where(Need.domain == domain)
    return needs


def _candidates(user, departement=None, domain=None, min_score=None, min_age_days=None, only_id=None):
    """Light rows (ids, score, age, département) of every waiting suggestion, in one statement."""
    if not (user.is_admin or user.has_role("coordinator")):
        raise NotAllowed(_("Seuls les coordinateurs territoriaux examinent les suggestions."))
    first_departement = (select(func.min(CollectivityDepartement.departement_code))
                         .where(CollectivityDepartement.collectivity_id == Need.collectivity_id)
                         .correlate(Need).scalar_subquery())
    query = (
        select(Suggestion.id, Suggestion.score, Suggestion.created_at, SkillOffer.agent_id, Need.domain,
               Need.collectivity_id, Pairing.requested_by_id, first_departement)
        .join(Need, Need.id == Suggestion.need_id).join(SkillOffer, SkillOffer.id == Suggestion.offer_id)
        .outerjoin(Pairing, and_(Pairing.offer_id == Suggestion.offer_id, Pairing.need_id == Suggestion.need_id))
        .where(Suggestion.need_id.in_(_territory_needs(user, departement, domain)),
               or_(Pairing.id.is_(None), Pairing.status == "pending_review"), SkillOffer.status == "published")
    )
    if min_score is not None:
        query = query.where(Suggestion.score >= min_score)
    if min_age_days:
        query = query.where(Suggestion.created_at <= utcnow() - timedelta(days=min_age_days))
    if only_id is not None:
        query = query.where(Suggestion.id == only_id)
    return db.session.execute(query).all()


def _ranked(rows) -> list[Ranked]:
    """Rank every candidate with three statements in all (open counts, refusals, capacities)."""
    agent_ids = {row.agent_id for row in rows}
    counts, refusals, capacities = open_counts(agent_ids), _refusals(agent_ids), capacities_of(agent_ids)
    now, stale_after = utcnow(), stale_days()
    ranked = []
    for row in rows:
        similar = [reason or _("sans motif") for domain_, host, reason in refusals.get(row.agent_id, [])
                   if domain_ == row.domain or host == row.collectivity_id]
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=now.tzinfo)
        open_count, capacity = counts.get(row.agent_id, 0), capacities.get(row.agent_id, DEFAULT_CAPACITY)
        rank = row.score * (AT_CAPACITY_FACTOR if open_count >= capacity else 1) * SIMILAR_REFUSAL_FACTOR ** len(similar)
        age = (now - created).days
        ranked.append(Ranked(row.id, rank, age, age >= stale_after, open_count, capacity, similar,
                              row.requested_by_id is not None, row[7] or ""))
    return ranked


def _sort(ranked: list[Ranked], sort: str) -> list[Ranked]:
    if sort == "age":  # the longest waiting first
        return sorted(ranked, key=lambda r: (-r.age_days, -r.rank, r.suggestion_id))
    if sort == "departement":
        return sorted(ranked, key=lambda r: (r.departement, -r.rank, r.suggestion_id))
    # What a host asked for comes first: a person is waiting for that answer.
    return sorted(ranked, key=lambda r: (not r.requested, -r.rank, r.suggestion_id))


def _items(ranked: list[Ranked]) -> list[QueueItem]:
    """Full items for these ranked rows, in their order, with what the page shows loaded up front."""
    if not ranked:
        return []
    rows = db.session.execute(
        select(Suggestion, SkillOffer, Need, Pairing)
        .join(SkillOffer, SkillOffer.id == Suggestion.offer_id).join(Need, Need.id == Suggestion.need_id)
        .outerjoin(Pairing, and_(Pairing.offer_id == Suggestion.offer_id, Pairing.need_id == Suggestion.need_id))
        .where(Suggestion.id.in_([r.suggestion_id for r in ranked]))
        .options(selectinload(SkillOffer.agent), selectinload(SkillOffer.collectivity),
                 selectinload(Need.collectivity).selectinload(Collectivity.departement_links),
                 selectinload(Pairing.requested_by))
    ).all()
    by_id = {suggestion.id: (suggestion, offer, need, pairing) for suggestion, offer, need, pairing in rows}
    items = []
    for r in ranked:
        suggestion, offer, need, pairing = by_id[r.suggestion_id]
        items.append(QueueItem(suggestion, offer, need, rank=r.rank, age_days=r.age_days, stale=r.stale,
                               open_count=r.open_count, capacity=r.capacity, similar_refusals=r.similar,
                               availability=availability(offer, need), rules=rules(offer),
                               requested_by=pairing.requested_by.display_name if pairing and pairing.requested_by else None))
    return items


def queue(user, departement: str | None = None, domain: str | None = None,
          min_score: float | None = None, min_age_days: int | None = None, sort: str = "score") -> list[QueueItem]:
    """Every suggestion waiting for this coordinator's decision, best ranked first (or by `sort`)."""
    return _items(_sort(_ranked(_candidates(user, departement, domain, min_score, min_age_days)), sort))


def queue_page(user, page: int = 1, sort: str = "score", per_page: int = PAGE_SIZE, **filters) -> QueuePage:
    """One page of the queue; a page past the end is page 1 (a stale link still shows something).
    Filters are those of `queue`; the number of statements does not grow with the rows."""
    ranked = _sort(_ranked(_candidates(user, **filters)), sort if sort in SORTS else "score")
    pages = max(1, -(-len(ranked) // per_page))
    page = page if 1 <= page <= pages else 1
    start = (page - 1) * per_page
    return QueuePage(_items(ranked[start:start + per_page]), len(ranked), page, per_page)


def item(user, suggestion_id: int) -> QueueItem:
    """One waiting suggestion as the queue explains it; NotFound, or NotAllowed outside the territory."""
    found = _items(_ranked(_candidates(user, only_id=suggestion_id)))
    if found:
        return found[0]
    if db.session.get(Suggestion, suggestion_id) is None:
        raise NotFound(_("Cette suggestion n'existe pas."))
    raise NotAllowed(_("Cette suggestion est hors de votre territoire ou déjà traitée."))


@transactional
def decide(user, suggestion_ids, approve: bool, reason: str = "", reason_code: str = "") -> list[Pairing]:
    """Approve (a proposal goes to the three parties) or reject with a reason one or more
    suggestions; all or nothing: one refused suggestion refuses the batch. A rejection coded
    "off_topic" also rules the pairs out of every later suggestion (learning.off_topic).
    Each decision is stored as a labelled pair for the re-ranker."""
    reason = (reason or "").strip()
    reason_code = "" if approve else (reason_code or "")
    if reason_code not in REJECTION_CODES:
        raise ServiceError(_("Choisissez un type de motif proposé."), "reason_code")
    if reason_code == off_topic.REASON_CODE and not reason:
        reason = str(REJECTION_CODES[reason_code])
    if not approve and not reason:
        raise ServiceError(_("Indiquez le motif du rejet."), "reason")
    ids = sorted({int(i) for i in suggestion_ids})
    if not ids:
        raise ServiceError(_("Sélectionnez au moins une suggestion."), "suggestion_ids")
    suggestions = db.session.scalars(select(Suggestion).where(Suggestion.id.in_(ids))).all()
    if len(suggestions) != len(ids):
        raise ServiceError(_("Une des suggestions n'existe plus. Rechargez la page."), "suggestion_ids")
    # A refusal raised for one suggestion rolls the whole unit of work back: all or nothing.
    pairings = [_decide_one(user, suggestion, approve, reason, reason_code) for suggestion in suggestions]
    try:
        db.session.flush()
    except IntegrityError:  # another coordinator decided the same pair at the same moment
        raise Conflict(_("Cette suggestion vient d'être traitée par quelqu'un d'autre."), "suggestion_ids") from None
    return pairings


def _decide_one(user, suggestion: Suggestion, approve: bool, reason: str, reason_code: str = "") -> Pairing:
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
    labels.record(pairing, "approved" if approve else "rejected", labels.APPROVED if approve else labels.REJECTED,
                  reason, reason_code, at=pairing.decided_at, suggestion=suggestion)
    if reason_code == off_topic.REASON_CODE:
        off_topic.mark(user, offer.id, need.id)
    if approve:
        tell(pairing, everyone(pairing), "proposed",
             _l("Une mise en relation vous est proposée : « %(offer)s » pour le besoin « %(need)s ». "
                "Votre accord est demandé.", offer=offer.title, need=need.title),
             _l("Une mise en relation attend votre accord"))
    return pairing
