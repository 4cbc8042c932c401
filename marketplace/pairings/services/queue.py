"""The coordinator's queue: suggestions of their territory, ranked and explained, then decided.

Ranking starts from the matching score and lowers it for an agent already at capacity (open
proposals and active engagements) and for each earlier rejected or declined pairing that looks
like this one (same agent on a need of the same domain or of the same host collectivity), so
that nobody is flooded and refusals are heard.

The queue starts from the territory's open needs. queue_ranking.py reads only the rows that can
reach the page (filters and bounds in SQL) and ranks them (the agents' open pairings, capacities
and refusals in one statement); only the page shown is loaded, 25 rows at a time, as the plain
values it shows (queue_rows.py).
"""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.extensions import db
from marketplace.core.phrases import Phrases
from marketplace.core.unit_of_work import transactional
from marketplace.models import (AgentCapacity, CollectivityDepartement, CollectivityRegion, Need, Pairing,
                                SkillOffer, Suggestion, User)
from marketplace.models.base import utcnow
from marketplace.learning import labels, off_topic
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import covers_need
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.pairings.services.notify import everyone, tell
from marketplace.pairings.services import queue_ranking as ranking
from marketplace.pairings.services.queue_items import QueueItem, QueuePage, availability, rules
from marketplace.pairings.services.queue_rows import shown_rows
from marketplace.pairings.services.queue_sql import serial_plans
from marketplace.pairings.services.queue_ranking import AT_CAPACITY_FACTOR, DEFAULT_CAPACITY, SIMILAR_REFUSAL_FACTOR  # noqa: F401

# Kinds of rejection; free text says the rest. "Hors sujet" was missing: it is the one rejection
# that is final for the pair (the matching must never suggest it again), the others may change.
REJECTION_CODES = {"": _l("Autre motif"), off_topic.REASON_CODE: _l("Hors sujet / sans rapport")}
PAGE_SIZE = 25
SORTS = ("score", "age", "departement")
# Up to this many waiting suggestions the page gives their number; past it, "more than" (_counted).
EXACT_TOTAL_UP_TO = 1000
# The deepest row a page shows, as search engines bound their result windows: every page ranks
# all the rows before it, and past thousands of rows the filters, not the pages, find a suggestion.
DEEPEST_ROW = 10_000


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


def _scope(user) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The départements and the régions of the user's coordinator roles, sorted."""
    roles = user.active_roles("coordinator")
    return (tuple(sorted({d for r in roles for d in r.scope_departements})),
            tuple(sorted({g for r in roles for g in r.scope_regions})))


def _territory_filter(deps, regions):
    """A SQL condition keeping needs whose collectivity lies in these départements or régions."""
    return or_(
        Need.collectivity_id.in_(select(CollectivityDepartement.collectivity_id)
                                 .where(CollectivityDepartement.departement_code.in_(deps))),
        Need.collectivity_id.in_(select(CollectivityRegion.collectivity_id)
                                 .where(CollectivityRegion.region_code.in_(regions))),
    )


def _territory_needs(is_admin: bool, deps, regions, departement: str | None, domain: str | None):
    """The ids of the open needs this queue is about: the territory (all for an administrator),
    narrowed by the filters."""
    needs = select(Need.id).where(Need.status == "open")
    if not is_admin:
        needs = needs.where(_territory_filter(deps, regions))
    if departement:
        needs = needs.where(Need.collectivity_id.in_(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code == departement.upper())))
    if domain:
        needs = needs.where(Need.domain == domain)
    return needs


def _waiting(user, departement=None, domain=None, min_score=None, min_age_days=None, only_id=None):
    """The statement selecting every waiting suggestion of the user's territory, narrowed by the filters."""
    if not (user.is_admin or user.has_role("coordinator")):
        raise NotAllowed(_("Seuls les coordinateurs territoriaux examinent les suggestions."))
    deps, regions = ((), ()) if user.is_admin else _scope(user)
    if min_age_days or only_id is not None:  # a bound that moves with the clock; one suggestion's page
        before = utcnow() - timedelta(days=min_age_days) if min_age_days else None
        return ranking.waiting(_territory_needs(user.is_admin, deps, regions, departement, domain), min_score, before,
                               only_id)
    return _waiting_statement(user.is_admin, deps, regions, departement, domain, min_score)


@lru_cache(maxsize=256)
def _waiting_statement(is_admin: bool, deps, regions, departement, domain, min_score):
    """`_waiting`'s statement for a territory and filters, built once per process while in use:
    building it cost ~0.7 ms of a view's CPU, and the same statement object lets SQLAlchemy keep
    its cache key, and queue_ranking the statements it derives from it. Statements hold no data."""
    return ranking.waiting(_territory_needs(is_admin, deps, regions, departement, domain), min_score)


def _counted(base, start: int, per_page: int) -> tuple[int, bool]:
    """How many suggestions wait, counted up to EXACT_TOTAL_UP_TO or to the end of the page asked,
    whichever is further (a few milliseconds: the count stops there), and whether more wait.

    A full count of a national queue took 2 s (500,000 suggestions); cached, one view a minute per
    process and per filter still paid it, and a total of 480,000 tells a coordinator no more than
    "more than 1,000": they narrow the queue with the filters."""
    up_to = max(EXACT_TOTAL_UP_TO, start + per_page)
    found = ranking.count(base, up_to=up_to)
    return min(found, up_to), found > up_to


def _items(found: list[ranking.Row]) -> list[QueueItem]:
    """Items for these ranked rows, in their order, with the values the page shows (queue_rows: one
    statement of plain rows, not entities)."""
    shown = shown_rows([r.suggestion_id for r in found])
    now, stale_after, say = utcnow(), stale_days(), Phrases()
    return [_item(r, *shown[r.suggestion_id], now, stale_after, say) for r in found]


def _item(r: ranking.Row, suggestion, offer, need, asked_by: str | None, now, stale_after: int, say: Phrases) -> QueueItem:
    """One ranked row as the coordinator sees it (suggestion, offer and need: entities or queue_rows' values)."""
    similar = [reason or say.gettext("sans motif") for reason in r.similar]
    created = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=now.tzinfo)
    age = (now - created).days
    return QueueItem(suggestion, offer, need, rank=r.rank, age_days=age, stale=age >= stale_after,
                     open_count=r.open_count, capacity=r.capacity, similar_refusals=similar,
                     availability=availability(offer, need, say), rules=rules(offer, say), requested_by=asked_by)


def queue(user, departement: str | None = None, domain: str | None = None,
          min_score: float | None = None, min_age_days: int | None = None, sort: str = "score") -> list[QueueItem]:
    """Every suggestion waiting for this coordinator's decision, best ranked first (or by `sort`)."""
    base = _waiting(user, departement, domain, min_score, min_age_days)
    return _items(ranking.everything(base, sort if sort in SORTS else "score", utcnow()))


def queue_page(user, page: int = 1, sort: str = "score", per_page: int = PAGE_SIZE, **filters) -> QueuePage:
    """One page of the queue; a page past the end, or past DEEPEST_ROW, is page 1 (a stale link
    still shows something). Filters are those of `queue`. The total is exact up to
    EXACT_TOTAL_UP_TO, a lower bound past it (`QueuePage.more`). Filtered and bounded in SQL,
    ranked for the rows that can reach the page: the number of statements does not grow with the
    rows, and only the page's rows are loaded."""
    sort = sort if sort in SORTS else "score"
    base = _waiting(user, **filters)
    serial_plans()
    page = page if 1 <= page and (page - 1) * per_page < DEEPEST_ROW else 1
    start = (page - 1) * per_page
    total, more = _counted(base, start, per_page)
    if start >= total:  # past the end (then the count was exact: it went further than the page)
        page, start = 1, 0
    now = utcnow()
    if sort == "score":
        found = ranking.best_page(base, start, per_page, now)
    elif sort == "age":
        found = ranking.oldest_page(base, start, per_page, now)
    else:  # every row of the filters: a département is no column of the suggestions to bound them by
        found = ranking.everything(base, sort, now)[start:start + per_page]
    return QueuePage(_items(found), total, page, per_page, more=more)


def item(user, suggestion_id: int) -> QueueItem:
    """One waiting suggestion as the queue explains it, with its entities (its page shows the
    descriptions and the need's exclusions); NotFound, or NotAllowed outside the territory."""
    found = ranking.everything(_waiting(user, only_id=suggestion_id), "score", utcnow())
    if found:
        suggestion = db.session.get(Suggestion, suggestion_id)
        asked_by = db.session.scalar(select(User.display_name).join(Pairing, Pairing.requested_by_id == User.id)
                                     .where(Pairing.offer_id == suggestion.offer_id,
                                            Pairing.need_id == suggestion.need_id))
        return _item(found[0], suggestion, db.session.get(SkillOffer, suggestion.offer_id),
                     db.session.get(Need, suggestion.need_id), asked_by, utcnow(), stale_days(), Phrases())
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
