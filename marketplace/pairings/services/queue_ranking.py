"""The coordinator queue's ranking at 500,000 suggestions: only the rows that can reach the page
are read, and only the page is loaded in full.

    rank = score × 0.5 when the agent is at capacity × 0.8 ** (similar refusals)

An agent is at capacity when their open proposals and active engagements reach their capacity
(AgentCapacity.effective, 2 without a row); a similar refusal is an earlier rejected or declined
pairing of the same agent on a need of the same domain or of the same host collectivity.

The territory, the filters and the bounds are SQL; the factors are loaded for the candidates'
agents in one statement (capacities, open pairings, and refusals, whose reasons the page shows)
and applied in Python. The rank
was first computed in SQL (aggregates of the pairings joined to the suggestions, ORDER BY rank):
PostgreSQL misestimated the joins and chose nested loops over the aggregates, 16 s at 500,000
suggestions. Since rank ≤ score, the default order needs only the rows a host asked for and the
best scores down to a bound read along an index on the score (`best_page`); the oldest-first
order needs only the rows down to the page's last day (`oldest_page`, along an index on
created_at); the département order reads every row of the filters.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import Integer, and_, any_, bindparam, case, exists, func, join, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.dialects.postgresql import ARRAY

from marketplace.core.extensions import db
from marketplace.models import (AgentCapacity, CollectivityDepartement, Engagement, Need, Pairing, SkillOffer,
                                Suggestion, User)
from marketplace.pairings.services.queue_sql import connection, postgresql

AT_CAPACITY_FACTOR = 0.5
SIMILAR_REFUSAL_FACTOR = 0.8
DEFAULT_CAPACITY = 2
REFUSED = ("rejected", "declined")
# The first bound keeps this many times the rows up to the page's end (never fewer than PRUNE_MIN);
# each retry keeps four times more. Enough for one statement in nearly every case.
PRUNE_FACTOR = 4
PRUNE_MIN = 200


class Light(NamedTuple):
    """What ranking and sorting read of one waiting suggestion (no wide column)."""

    suggestion_id: int
    score: float
    created_at: datetime
    agent_id: int
    domain: str
    collectivity_id: int
    requested: bool
    departement: str


class Row(NamedTuple):
    """One ranked suggestion, as the page needs it before its full rows are loaded."""

    suggestion_id: int
    rank: float
    created_at: datetime
    agent_id: int
    domain: str
    collectivity_id: int
    requested: bool
    open_count: int
    capacity: int
    similar: list[str]  # the reasons of the agent's similar refusals ("" when none was given)
    departement: str


@cache
def _decided():
    """The alias of `waiting`'s NOT EXISTS, made once per process: SQLAlchemy adapts each column of a
    new alias on its first use (~1 ms of a view's CPU per alias)."""
    return aliased(Pairing)


def waiting(needs_query, min_score=None, created_before=None, only_id=None):
    """The waiting suggestions of these needs (no decision yet, offer still published): the joins and
    conditions every statement of the queue shares, on Suggestion, Need, SkillOffer and Pairing."""
    # "No decided pairing" as NOT EXISTS, not as `pairing IS NULL OR pending` on the outer join:
    # PostgreSQL estimated that one at 4 % of the rows (99 % qualify), and past LIMIT 200 it then
    # hashed and sorted all 500,000 suggestions (1.9 s) instead of reading the score index.
    decided = _decided()
    query = (
        select(Suggestion.id)
        .join(Need, Need.id == Suggestion.need_id).join(SkillOffer, SkillOffer.id == Suggestion.offer_id)
        .outerjoin(Pairing, and_(Pairing.offer_id == Suggestion.offer_id, Pairing.need_id == Suggestion.need_id))
        .where(Suggestion.need_id.in_(needs_query), SkillOffer.status == "published",
               ~exists().where(decided.offer_id == Suggestion.offer_id, decided.need_id == Suggestion.need_id,
                               decided.status != "pending_review"))
    )
    if min_score is not None:
        query = query.where(Suggestion.score >= min_score)
    if created_before is not None:
        query = query.where(Suggestion.created_at <= created_before)
    if only_id is not None:
        query = query.where(Suggestion.id == only_id)
    return query


def count(base, up_to: int | None = None) -> int:
    """How many rows `base` selects; with `up_to`, counting stops after up_to + 1 rows (cheap)."""
    return connection().scalar(_count_statement(base, up_to))


# The statements derived from a waiting statement, kept while in use: queue._waiting_statement
# returns the same object for the same territory and filters, and so do these for the same
# arguments (building a statement and its cache key cost ~0.4 ms of a view's CPU each).
@lru_cache(maxsize=512)
def _count_statement(base, up_to: int | None):
    rows = base.with_only_columns(Suggestion.id)
    if up_to is not None:
        rows = rows.limit(up_to + 1)
    return select(func.count()).select_from(rows.subquery())


@lru_cache(maxsize=512)
def _light_statement(base, departement: bool):
    columns = [Suggestion.id, Suggestion.score, Suggestion.created_at, SkillOffer.agent_id, Need.domain,
               Need.collectivity_id, Pairing.requested_by_id]
    if departement:
        columns.append(select(func.min(CollectivityDepartement.departement_code))
                       .where(CollectivityDepartement.collectivity_id == Need.collectivity_id)
                       .correlate(Need).scalar_subquery())
    return base.with_only_columns(*columns)


@lru_cache(maxsize=512)
def _requested(base, requested: bool):
    """`base` narrowed to the rows a host asked for (requested) or to the others."""
    return base.where(Pairing.requested_by_id.is_not(None) if requested else Pairing.requested_by_id.is_(None))


@lru_cache(maxsize=512)
def _best_scores(base, keep: int):
    return base.order_by(Suggestion.score.desc(), Suggestion.id.desc()).limit(keep)


def light(base, departement: bool = False) -> list[Light]:
    """The light rows `base` selects; their département ("" unless asked for: only its order reads
    it, and it is a subquery per row)."""
    return [Light(*row[:6], row[6] is not None, (row[7] if departement else "") or "")
            for row in connection().execute(_light_statement(base, departement)).all()]


class AgentLoad(NamedTuple):
    """What ranks an agent's suggestions: open proposals plus active engagements, capacity, and the
    (domain, host collectivity, reason) of their rejected or declined pairings, oldest first."""

    open_count: int
    capacity: int
    refusals: list[tuple[str, int, str]]


def agent_loads(agent_ids) -> dict[int, AgentLoad]:
    """Each agent's AgentLoad, in one statement: the agents' capacities, joined to their open and
    refused pairings. The loads and the refusals were two statements, each reading all of the
    agents' offers (18,000 index entries for a page's 181 agents) to find their pairings."""
    capacities: dict[int, int] = {}
    open_counts: dict[int, int] = {}
    refusals: dict[int, list] = {}
    rows = connection().execute(_agent_loads_statement(postgresql()), {"agent_ids": sorted(agent_ids)}).all()
    for agent_id, capacity_of, is_open, domain, host, reason in rows:
        capacities[agent_id] = capacity_of
        if is_open:
            open_counts[agent_id] = open_counts.get(agent_id, 0) + 1
        elif reason is not None:  # a refusal (its reason is never NULL), not the row of an agent without any
            refusals.setdefault(agent_id, []).append((domain, host, reason))
    return {agent_id: AgentLoad(open_counts.get(agent_id, 0), capacity_of, refusals.get(agent_id, []))
            for agent_id, capacity_of in capacities.items()}


@cache
def _agent_loads_statement(on_postgresql: bool):
    """agent_loads' statement, built once per process (the agents' ids are its parameter)."""
    agents = bindparam("agent_ids", type_=ARRAY(Integer)) if on_postgresql else bindparam("agent_ids", expanding=True)

    def among_agents(column):  # one array parameter on PostgreSQL (see queue_sql), named twice
        return column == any_(agents) if on_postgresql else column.in_(agents)

    capacity = case((AgentCapacity.user_id.is_(None), DEFAULT_CAPACITY),
                    (and_(AgentCapacity.employer_cap.is_not(None), AgentCapacity.employer_cap < AgentCapacity.max_open),
                     AgentCapacity.employer_cap), else_=AgentCapacity.max_open)
    opened = or_(Pairing.status == "proposed", and_(Pairing.status == "engaged", Engagement.status == "active"))
    pairings = (join(SkillOffer, Pairing, Pairing.offer_id == SkillOffer.id).join(Need, Need.id == Pairing.need_id)
                .outerjoin(Engagement, Engagement.pairing_id == Pairing.id))
    # The agents' condition is repeated inside the outer join so that PostgreSQL reads only their
    # offers (it does not carry `= ANY` across the join's equality); only the pairings that count
    # come back.
    return (select(User.id, capacity, opened, Need.domain, Need.collectivity_id, Pairing.reason)
            .outerjoin(AgentCapacity, AgentCapacity.user_id == User.id)
            .outerjoin(pairings, and_(SkillOffer.agent_id == User.id, among_agents(SkillOffer.agent_id),
                                      or_(opened, Pairing.status.in_(REFUSED))))
            .where(among_agents(User.id)).order_by(User.id, Pairing.id))


def ranked(candidates: list[Light]) -> list[Row]:
    """The candidates with their rank, in one statement whatever their number (none when empty)."""
    if not candidates:
        return []
    loads = agent_loads({c.agent_id for c in candidates})
    found = []
    for c in candidates:
        open_count, capacity, refusals = loads.get(c.agent_id) or AgentLoad(0, DEFAULT_CAPACITY, [])
        similar = [reason for domain, host, reason in refusals if domain == c.domain or host == c.collectivity_id]
        rank = c.score * (AT_CAPACITY_FACTOR if open_count >= capacity else 1) * SIMILAR_REFUSAL_FACTOR ** len(similar)
        found.append(Row(c.suggestion_id, rank, c.created_at, c.agent_id, c.domain, c.collectivity_id, c.requested,
                         open_count, capacity, similar, c.departement))
    return found


def _age(created: datetime, now: datetime) -> int:
    return (now - (created if created.tzinfo else created.replace(tzinfo=now.tzinfo))).days


def ordered(found: list[Row], sort: str, now: datetime) -> list[Row]:
    """Rows in the queue's order: score (what a host asked for first, then rank), age (the longest
    waiting first, then rank) or departement; ties by suggestion id."""
    if sort == "age":
        return sorted(found, key=lambda r: (-_age(r.created_at, now), -r.rank, r.suggestion_id))
    if sort == "departement":
        return sorted(found, key=lambda r: (r.departement, -r.rank, r.suggestion_id))
    # What a host asked for comes first: a person is waiting for that answer.
    return sorted(found, key=lambda r: (not r.requested, -r.rank, r.suggestion_id))


def everything(base, sort: str, now: datetime) -> list[Row]:
    """Every row of `base`, ranked and ordered."""
    return ordered(ranked(light(base, departement=sort == "departement")), sort, now)


def best_page(base, start: int, per_page: int, now: datetime) -> list[Row]:
    """Rows start to start + per_page of the queue in its default order, ranking only the rows that
    can reach them: those a host asked for (first, and few), then the best scores down to a bound."""
    asked = light(_requested(base, True))
    if len(asked) >= start + per_page:  # the page holds only rows a host asked for: no other row reaches it
        return ordered(ranked(asked), "score", now)[start:start + per_page]
    rest = _requested(base, False)
    keep = max(PRUNE_FACTOR * (start + per_page), PRUNE_MIN)
    while True:  # the keep best scores, along the index on the score
        best = light(_best_scores(rest, keep))
        bound = best[-1].score if len(best) == keep else None  # every row left out ranks at most this
        found = ordered(ranked(asked + best), "score", now)[start:start + per_page]
        # Exact when the page is full and its last row outranks every row left out.
        if bound is None or (len(found) == per_page and (found[-1].requested or found[-1].rank > bound)):
            return found
        keep *= PRUNE_FACTOR


def oldest_page(base, start: int, per_page: int, now: datetime) -> list[Row]:
    """Rows start to start + per_page in the oldest-first order (age in whole days, then rank),
    ranking only the rows that can reach them: every row of the days older than the page's last
    row's (fewer than start + per_page), and of that day, whose rows rank among themselves, the
    best scores down to a bound, as `best_page` does (a day held 16,000 of 500,000 suggestions)."""
    last = db.session.scalar(base.with_only_columns(Suggestion.created_at)
                             .order_by(Suggestion.created_at, Suggestion.id).offset(start + per_page - 1).limit(1))
    if last is None:  # fewer rows than start + per_page: all of them
        return ordered(ranked(light(base)), "age", now)[start:start + per_page]
    day = _age(last, now)  # created in (now - day - 1 days, now - day days]
    older = light(base.where(Suggestion.created_at <= now - timedelta(days=day + 1)))
    same_day = base.where(Suggestion.created_at > now - timedelta(days=day + 1),
                          Suggestion.created_at <= now - timedelta(days=day))
    keep = max(PRUNE_FACTOR * (start + per_page), PRUNE_MIN)
    while True:
        best = light(same_day.order_by(Suggestion.score.desc(), Suggestion.id.desc()).limit(keep))
        bound = best[-1].score if len(best) == keep else None  # every row of the day left out ranks at most this
        found = ordered(ranked(older + best), "age", now)[start:start + per_page]
        # Exact when the page's last row comes before every row left out: an older day, or a better rank.
        if bound is None or (len(found) == per_page and (_age(found[-1].created_at, now) > day
                                                         or found[-1].rank > bound)):
            return found
        keep *= PRUNE_FACTOR
