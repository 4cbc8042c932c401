"""The coordinator queue's ranking, computed by the database so that only the page shown is loaded.

    rank = score × 0.5 when the agent is at capacity × 0.8 ** (similar refusals)

An agent is at capacity when their open proposals and active engagements reach their capacity
(AgentCapacity.effective, 2 without a row); a similar refusal is an earlier rejected or declined
pairing of the same agent on a need of the same domain or of the same host collectivity. Both are
joined as aggregates of the pairings table (one pass over the pairings per statement, whatever the
number of suggestions), so that ORDER BY rank, the filters and LIMIT/OFFSET all run in SQL.

One SQLAlchemy expression for PostgreSQL and SQLite: `power()` is a built-in of PostgreSQL and of
SQLite ≥ 3.35 built with its math functions (Python's bundled SQLite is). Only the age in days,
for the "oldest first" order, is written per dialect (`age_days`).

The default order (score) is pruned: since rank ≤ score, the rows of page p are among the rows a
host asked for and the best-scoring ones down to a bound read along an index on the score; the
bound is lowered until the page's last row ranks at least as high as it (`best_page`).
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Float, Integer, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import aliased

from marketplace.core.extensions import db
from marketplace.models import (AgentCapacity, CollectivityDepartement, Engagement, Need, Pairing, SkillOffer,
                                Suggestion)

AT_CAPACITY_FACTOR = 0.5
SIMILAR_REFUSAL_FACTOR = 0.8
DEFAULT_CAPACITY = 2
REFUSED = ("rejected", "declined")
# The first bound keeps this many times the rows up to the page's end (never fewer than PRUNE_MIN);
# each retry keeps four times more. Enough for one statement in nearly every case.
PRUNE_FACTOR = 4
PRUNE_MIN = 500


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
    similar_count: int
    departement: str


def waiting(needs_query, min_score=None, created_before=None, only_id=None):
    """The waiting suggestions of these needs (no decision yet, offer still published): the joins and
    conditions every statement of the queue shares, on Suggestion, Need, SkillOffer and Pairing."""
    query = (
        select(Suggestion.id)
        .join(Need, Need.id == Suggestion.need_id).join(SkillOffer, SkillOffer.id == Suggestion.offer_id)
        .outerjoin(Pairing, and_(Pairing.offer_id == Suggestion.offer_id, Pairing.need_id == Suggestion.need_id))
        .where(Suggestion.need_id.in_(needs_query), or_(Pairing.id.is_(None), Pairing.status == "pending_review"),
               SkillOffer.status == "published")
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
    rows = base.with_only_columns(Suggestion.id)
    if up_to is not None:
        rows = rows.limit(up_to + 1)
    return db.session.scalar(select(func.count()).select_from(rows.subquery()))


def _open_counts():
    """Open proposals plus active engagements, per agent."""
    return (select(SkillOffer.agent_id.label("agent_id"), func.count().label("n"))
            .select_from(Pairing).join(SkillOffer, SkillOffer.id == Pairing.offer_id)
            .outerjoin(Engagement, Engagement.pairing_id == Pairing.id)
            .where(or_(Pairing.status == "proposed", and_(Pairing.status == "engaged", Engagement.status == "active")))
            .group_by(SkillOffer.agent_id).subquery("open_counts"))


def _refusal_counts(name: str, *columns):
    """Rejected or declined pairings per agent and per these columns of their need."""
    offer, need = aliased(SkillOffer), aliased(Need)
    keys = [offer.agent_id.label("agent_id")] + [getattr(need, c).label(c) for c in columns]
    return (select(*keys, func.count().label("n")).select_from(Pairing)
            .join(offer, offer.id == Pairing.offer_id).join(need, need.id == Pairing.need_id)
            .where(Pairing.status.in_(REFUSED)).group_by(*keys).subquery(name))


def capacity_expression(row):
    """AgentCapacity.effective in SQL (the smaller of the agent's and the employer's), 2 without a row."""
    return case((row.user_id.is_(None), DEFAULT_CAPACITY),
                (and_(row.employer_cap.is_not(None), row.employer_cap < row.max_open), row.employer_cap),
                else_=row.max_open)


def age_days(now: datetime):
    """Whole days since the suggestion was made, as Python's (now - created_at).days."""
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(now.replace(tzinfo=None)) - func.julianday(Suggestion.created_at), Integer)
    return func.floor(func.extract("epoch", literal(now) - Suggestion.created_at) / 86400)


def ranked(base, sort: str = "score", now: datetime | None = None):
    """`base` (from `waiting`) with every column of `Row`, ordered by `sort` (score: what a host
    asked for first, then rank; age: oldest day first; departement), ties by suggestion id."""
    capacity_row = aliased(AgentCapacity)
    opened, by_domain = _open_counts(), _refusal_counts("refused_domain", "domain")
    by_host, by_both = _refusal_counts("refused_host", "collectivity_id"), _refusal_counts("refused_both", "domain",
                                                                                           "collectivity_id")
    departements = (select(CollectivityDepartement.collectivity_id.label("collectivity_id"),
                           func.min(CollectivityDepartement.departement_code).label("code"))
                    .group_by(CollectivityDepartement.collectivity_id).subquery("first_departement"))
    open_count = func.coalesce(opened.c.n, 0)
    capacity = capacity_expression(capacity_row)
    # Refusals alike by domain or by host: those by domain, plus those by host, less those by both.
    similar = func.coalesce(by_domain.c.n, 0) + func.coalesce(by_host.c.n, 0) - func.coalesce(by_both.c.n, 0)
    rank = (Suggestion.score * case((open_count >= capacity, AT_CAPACITY_FACTOR), else_=1.0)
            * func.power(cast(SIMILAR_REFUSAL_FACTOR, Float), cast(similar, Float)))
    departement = func.coalesce(departements.c.code, "")
    query = (
        base.with_only_columns(Suggestion.id, rank.label("rank"), Suggestion.created_at, SkillOffer.agent_id,
                               Need.domain, Need.collectivity_id, Pairing.requested_by_id.is_not(None),
                               open_count, capacity, similar, departement)
        .outerjoin(opened, opened.c.agent_id == SkillOffer.agent_id)
        .outerjoin(capacity_row, capacity_row.user_id == SkillOffer.agent_id)
        .outerjoin(by_domain, and_(by_domain.c.agent_id == SkillOffer.agent_id, by_domain.c.domain == Need.domain))
        .outerjoin(by_host, and_(by_host.c.agent_id == SkillOffer.agent_id,
                                 by_host.c.collectivity_id == Need.collectivity_id))
        .outerjoin(by_both, and_(by_both.c.agent_id == SkillOffer.agent_id, by_both.c.domain == Need.domain,
                                 by_both.c.collectivity_id == Need.collectivity_id))
        .outerjoin(departements, departements.c.collectivity_id == Need.collectivity_id)
    )
    if sort == "age":
        return query.order_by(age_days(now).desc(), rank.desc(), Suggestion.id)
    if sort == "departement":
        return query.order_by(departement, rank.desc(), Suggestion.id)
    # What a host asked for comes first: a person is waiting for that answer.
    return query.order_by(case((Pairing.requested_by_id.is_(None), 1), else_=0), rank.desc(), Suggestion.id)


def rows(query, limit: int | None = None, offset: int = 0) -> list[Row]:
    """The rows of a `ranked` query, as `Row`s."""
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [Row(*row[:6], bool(row[6]), *row[7:]) for row in db.session.execute(query)]


def best_page(base, total: int, start: int, per_page: int) -> list[Row]:
    """Rows start to start + per_page of the queue in its default order, ranking only the rows that
    can reach them: those a host asked for, and the best scores down to a bound."""
    keep = max(PRUNE_FACTOR * (start + per_page), PRUNE_MIN)
    while True:
        bound = None
        if keep < total:  # the keep-th best score: every row below it ranks below it
            bound = db.session.scalar(base.with_only_columns(Suggestion.score)
                                      .order_by(Suggestion.score.desc()).offset(keep - 1).limit(1))
        query = base if bound is None else base.where(or_(Suggestion.score >= bound,
                                                          Pairing.requested_by_id.is_not(None)))
        found = rows(ranked(query), per_page, start)
        if bound is None:
            return found
        # Exact when the page is full and its last row outranks every row left out (rank < bound).
        if len(found) == per_page and (found[-1].requested or found[-1].rank >= bound):
            return found
        keep *= PRUNE_FACTOR
