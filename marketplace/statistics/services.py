"""The figures of the statistics page, computed in SQL over the filtered territory and period.

Territory: an offer, a need and a practice sheet belong to their collectivity; a suggestion and a
pairing to the need's (host) collectivity; a reuse to the reusing collectivity. A collectivity that
spans several départements (an EPCI) counts in each of them on the map, once in the totals.
"""
from __future__ import annotations

import statistics as pystats
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlalchemy import Select, func, select, union

from marketplace.core.cached import remembered
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read
from marketplace.models import (CollectivityDepartement, CollectivityRegion, ConventionVersion, DayLog, Departement,
                                Engagement, Feedback, Need, Pairing, PracticeReuse, PracticeSheet, Region,
                                SignedCopy, SkillOffer, Suggestion)
from marketplace.models.pairing_documents import SIGNATORIES
from marketplace.statistics.filters import Filters, Scope
from marketplace.statistics.grouping import counted_by, days_between, median_days, month_of

APPROVED = ("proposed", "declined", "expired", "engaged")


@dataclass
class Overview:
    """Everything the page shows; `by_departement`/`by_region` feed the map and its data table."""

    totals: dict = field(default_factory=dict)
    pairings_by_status: dict = field(default_factory=dict)
    rejection_reasons: list = field(default_factory=list)
    medians: dict = field(default_factory=dict)
    by_month: dict = field(default_factory=dict)
    by_domain: dict = field(default_factory=dict)
    by_departement: dict = field(default_factory=dict)
    by_region: dict = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        """Every month that has a figure, in order ("2026-03")."""
        return sorted(set().union(*(series.keys() for series in self.by_month.values())))

    def month_series(self, name: str) -> list[int]:
        """One series of `by_month` as a list aligned on `months` (zero where nothing happened)."""
        return [self.by_month.get(name, {}).get(month, 0) for month in self.months]


def known_territories() -> tuple[dict[str, str], dict[str, str]]:
    """Départements and régions (code -> name): the reference geography's, plus any code a
    collectivity is linked to (named by its code) so that no figure is left off the map's table.
    Kept a minute: they change with the yearly geography import."""
    return remembered("statistics.territories", _territories)


def public_overview(filters: Filters, scope: Scope) -> Overview:
    """`overview`, kept a minute (PUBLIC_COUNTS_TTL) for the public aggregates: everyone sees the
    same national figures, which cost a few hundred milliseconds of SQL at 100,000 offers.
    Coordinators and administrators get them computed for their scope on every view."""
    if not scope.public:
        return overview(filters, scope)
    return remembered(f"statistics.overview:{filters!r}", lambda: overview(filters, scope))


def _territories() -> tuple[dict[str, str], dict[str, str]]:
    departements = dict(db.session.execute(select(Departement.code, Departement.name)).all())
    regions = dict(db.session.execute(select(Region.code, Region.name)).all())
    for code in db.session.scalars(select(CollectivityDepartement.departement_code).distinct()):
        departements.setdefault(code, code)
    for code in db.session.scalars(select(CollectivityRegion.region_code).distinct()):
        regions.setdefault(code, code)
    return dict(sorted(departements.items())), dict(sorted(regions.items(), key=lambda item: str(item[1])))


def _territory(filters: Filters, scope: Scope) -> list[Select]:
    """Subqueries of collectivity ids every counted row's collectivity must be in."""
    wanted = []
    if not scope.everything:
        wanted.append(union(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code.in_(sorted(scope.departements))),
            select(CollectivityRegion.collectivity_id).where(CollectivityRegion.region_code.in_(sorted(scope.regions))),
        ))
    if filters.departement:
        wanted.append(select(CollectivityDepartement.collectivity_id)
                      .where(CollectivityDepartement.departement_code == filters.departement))
    if filters.region:
        wanted.append(select(CollectivityRegion.collectivity_id).where(CollectivityRegion.region_code == filters.region))
    return wanted


def _bounds(filters: Filters):
    start = datetime.combine(filters.start, time.min, tzinfo=timezone.utc) if filters.start else None
    end = datetime.combine(filters.end, time.max, tzinfo=timezone.utc) if filters.end else None
    return start, end


def _restrict(query: Select, collectivity_column, moment_column, domain_column, filters: Filters, scope: Scope):
    for ids in _territory(filters, scope):
        query = query.where(collectivity_column.in_(ids))
    start, end = _bounds(filters)
    if start is not None:
        query = query.where(moment_column >= start)
    if end is not None:
        query = query.where(moment_column <= end)
    if filters.domain and domain_column is not None:
        query = query.where(domain_column == filters.domain)
    return query


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _by_place(link, code_column, ids_query: Select) -> dict[str, int]:
    """How many of the rows' collectivities fall in each département (or région).

    Rows are counted per collectivity first, then those counts (one per collectivity, not one
    per offer) are joined to the territories and summed."""
    rows = ids_query.subquery()
    per_collectivity = (select(rows.c.collectivity_id, func.count().label("n"))
                        .group_by(rows.c.collectivity_id).subquery())
    grouped = (select(code_column, func.sum(per_collectivity.c.n)).select_from(per_collectivity)
               .join(link, link.collectivity_id == per_collectivity.c.collectivity_id).group_by(code_column))
    return {code: int(count) for code, count in db.session.execute(grouped).all()}


def _median_days(pairs) -> float | None:
    spans = [(later - earlier).total_seconds() / 86400 for earlier, later in pairs
             if earlier is not None and later is not None]
    return round(pystats.median(spans), 1) if spans else None


def _as_datetime(value):
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=timezone.utc)
    return None


def _conventions_signed(engagement_ids: Select) -> dict[int, datetime]:
    """pairing id -> when its first convention got its last signatory's file, for the
    conventions every signatory has signed (the signature = the upload of the signed PDF).
    One row per signed copy: a few per engagement, however many offers there are."""
    rows = db.session.execute(
        select(Engagement.pairing_id, ConventionVersion.id, SignedCopy.party, SignedCopy.uploaded_at)
        .join(ConventionVersion, ConventionVersion.engagement_id == Engagement.id)
        .join(SignedCopy, SignedCopy.version_id == ConventionVersion.id)
        .where(Engagement.id.in_(engagement_ids), ConventionVersion.document == "convention")
        .order_by(ConventionVersion.number)
    ).all()
    copies: dict[tuple[int, int], dict[str, datetime]] = {}
    for pairing_id, version_id, party, uploaded_at in rows:
        copies.setdefault((pairing_id, version_id), {})[party] = _as_datetime(uploaded_at)
    signed: dict[int, datetime] = {}
    for (pairing_id, _version_id), parties in copies.items():
        if set(SIGNATORIES["convention"]) <= parties.keys() and pairing_id not in signed:
            signed[pairing_id] = max(parties.values())
    return signed


def overview(filters: Filters, scope: Scope) -> Overview:
    """Compute the page's figures for this viewer's scope and these filters.

    Every count is grouped by the database (one row per month, domain, stage or place comes
    back, never one per offer): the page holds 100,000 offers (issue 13)."""
    result = Overview()
    offers = _restrict(select(SkillOffer.collectivity_id, month_of(SkillOffer.published_at).label("month"),
                              SkillOffer.domain.label("domain")).where(SkillOffer.published_at.is_not(None)),
                       SkillOffer.collectivity_id, SkillOffer.published_at, SkillOffer.domain, filters, scope)
    needs = _restrict(select(Need.collectivity_id, month_of(Need.published_at).label("month"),
                             Need.domain.label("domain")).where(Need.published_at.is_not(None)),
                      Need.collectivity_id, Need.published_at, Need.domain, filters, scope)
    suggestions = _restrict(select(Suggestion.id, Need.collectivity_id).join(Need, Need.id == Suggestion.need_id),
                            Need.collectivity_id, Suggestion.created_at, Need.domain, filters, scope)
    pairings = _restrict(select(Pairing.id, Pairing.status.label("status"), Pairing.reason, Pairing.decided_at,
                                Need.published_at, Need.collectivity_id).join(Need, Need.id == Pairing.need_id),
                         Need.collectivity_id, Pairing.created_at, Need.domain, filters, scope)
    sheets = _restrict(select(PracticeSheet.id, PracticeSheet.collectivity_id)
                       .where(PracticeSheet.status == "published"),
                       PracticeSheet.collectivity_id, PracticeSheet.created_at, PracticeSheet.domain, filters, scope)
    reuses = _restrict(select(PracticeReuse.id, PracticeReuse.collectivity_id)
                       .join(PracticeSheet, PracticeSheet.id == PracticeReuse.sheet_id),
                       PracticeReuse.collectivity_id, PracticeReuse.inspired_at, PracticeSheet.domain, filters, scope)

    offer_groups, need_groups = counted_by(offers, "month", "domain"), counted_by(needs, "month", "domain")
    statuses = dict(counted_by(pairings, "status"))
    result.pairings_by_status = statuses
    pairing_rows = pairings.subquery()
    if not scope.public:
        reason = func.trim(pairing_rows.c.reason)
        result.rejection_reasons = [tuple(row) for row in db.session.execute(
            select(reason, func.count()).where(pairing_rows.c.status == "rejected", reason != "")
            .group_by(reason).order_by(func.count().desc(), reason).limit(10))]

    pairing_ids = select(pairing_rows.c.id)
    engagement_ids = select(Engagement.id).where(Engagement.pairing_id.in_(pairing_ids))
    engagements, days_planned = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Engagement.planned_days), 0))
        .where(Engagement.pairing_id.in_(pairing_ids))).one()
    logged = db.session.scalar(select(func.coalesce(func.sum(DayLog.days), 0))
                               .where(DayLog.engagement_id.in_(engagement_ids)))
    ratings = db.session.execute(select(func.avg(Feedback.rating), func.count())
                                 .where(Feedback.engagement_id.in_(engagement_ids))).one()
    signed_on = _conventions_signed(engagement_ids)

    approved = pairing_rows.c.status.in_(APPROVED)
    result.totals = {
        "offers": sum(n for *_key, n in offer_groups), "needs": sum(n for *_key, n in need_groups),
        "suggestions": _count(suggestions),
        "approved": sum(n for status, n in statuses.items() if status in APPROVED),
        "rejected": statuses.get("rejected", 0),
        "engagements": engagements, "conventions_signed": len(signed_on),
        "days_planned": round(float(days_planned or 0), 1),
        "days_logged": round(float(logged or 0), 1),
        "rating": round(float(ratings[0]), 1) if ratings[0] is not None else None, "ratings": ratings[1],
        "sheets": _count(sheets), "reuses": _count(reuses),
    }
    published = dict(db.session.execute(select(Pairing.id, Need.published_at).join(Need, Need.id == Pairing.need_id)
                                        .where(Pairing.id.in_(list(signed_on)))).all()) if signed_on else {}
    result.medians = {
        "need_to_approval": median_days(select(days_between(pairing_rows.c.published_at, pairing_rows.c.decided_at))
                                        .where(approved)),
        "need_to_signature": _median_days((_as_datetime(published.get(pid)), _as_datetime(day))
                                          for pid, day in signed_on.items()),
    }
    approved_months = select(month_of(pairing_rows.c.decided_at).label("month")).where(
        approved, pairing_rows.c.decided_at.is_not(None))
    result.by_month = {
        "offers": _sum_by(offer_groups, 0), "needs": _sum_by(need_groups, 0),
        "approved": dict(sorted(counted_by(approved_months, "month"))),
    }
    result.by_domain = {"offers": _sum_by(offer_groups, 1), "needs": _sum_by(need_groups, 1)}
    measures = {"offers": offers, "needs": needs, "pairings": pairings, "reuses": reuses}
    for name, query in measures.items():
        ids = select(query.subquery().c.collectivity_id)
        result.by_departement[name] = _by_place(CollectivityDepartement, CollectivityDepartement.departement_code, ids)
        result.by_region[name] = _by_place(CollectivityRegion, CollectivityRegion.region_code, ids)
    end_read()
    return result


def _sum_by(groups: list[tuple], position: int) -> dict:
    """Counts of (month, domain, count) groups summed by the key at `position`, months in order."""
    sums: dict = {}
    for group in groups:
        if group[position] is not None:
            sums[group[position]] = sums.get(group[position], 0) + group[-1]
    return dict(sorted(sums.items())) if position == 0 else sums
