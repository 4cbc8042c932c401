"""Finding practices: filters (domain, territory, spread), French-aware text search with the
matching engine, and the practices closest to a need.

Text search and a need's suggestions query the shared practices index (kind "practices" of
`marketplace.suggestions.index`), which publishing, editing or archiving a sheet keeps up to date
through a task (`refresh_index`); no request fits an engine. The database stays the judge of
what may be shown: a sheet archived a moment ago and still in the index is filtered out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from matching import Document
from sqlalchemy import func, select

from marketplace.core import task_queue
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.core.forms import parse_int, parse_page
from marketplace.models import (
    CollectivityDepartement,
    CollectivityRegion,
    PracticeRevision,
    PracticeSheet,
    User,
)
from marketplace.core.taxonomy import DOMAINS
from marketplace.practices.services.documents import need_document
from marketplace.practices.services.essaimage import spread_subquery
from marketplace.practices.services.render import plain_text
from marketplace.suggestions import index as matching_index
from marketplace.suggestions.services import REFIT_TASK

INDEX_KIND = "practices"

SORTS = ("spread", "recent", "title", "relevance")
# Below these cosines a "match" is character n-gram noise ("quantique" shares "anti" with
# "cantine"), not a related practice. A typed search is short, so its noise scores higher.
SEARCH_MIN_SCORE = 0.15
SUGGEST_MIN_SCORE = 0.1


@dataclass
class Found:
    """A sheet as a result: its spread (weighted score, number of reusing collectivities), and
    when a text was searched, the engine's score and reasons."""

    sheet: PracticeSheet
    spread: int = 0
    reuses: int = 0
    score: float | None = None
    reasons: object = None
    authors: list = field(default_factory=list)

    @property
    def excerpt(self) -> str:
        """The summary as plain words, for a card."""
        return plain_text(self.sheet.summary)


def refresh_index(sheet_id: int) -> None:
    """Bring one sheet's entry in the shared practices index up to date (the task run after a
    sheet is published, edited or withdrawn); asks for a refit when enough of it changed."""
    if matching_index.apply_change(INDEX_KIND, sheet_id):
        _enqueue_refit()


@transactional
def _enqueue_refit() -> None:
    task_queue.enqueue_after_commit(REFIT_TASK, INDEX_KIND)


def _ranked(query: Document, k: int | None = None):
    """The index's matches for `query`, best first (all of them when `k` is None)."""
    engine = matching_index.current(INDEX_KIND)
    if engine is None or len(engine) == 0:
        return []
    return engine.query(query, k=len(engine) if k is None else min(k, len(engine)))


def _filtered(domain=None, departement=None, region=None, min_spread=0):
    spread = spread_subquery()
    query = (select(PracticeSheet, func.coalesce(spread.c.score, 0), func.coalesce(spread.c.reuses, 0))
             .outerjoin(spread, spread.c.sheet_id == PracticeSheet.id)
             .where(PracticeSheet.status == "published"))
    if domain:
        query = query.where(PracticeSheet.domain == domain)
    if departement:
        query = query.where(PracticeSheet.collectivity_id.in_(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code == departement)))
    if region:
        query = query.where(PracticeSheet.collectivity_id.in_(
            select(CollectivityRegion.collectivity_id).where(CollectivityRegion.region_code == region)))
    if min_spread:
        query = query.where(func.coalesce(spread.c.reuses, 0) >= min_spread)
    return query, spread


def search_sheets(text: str = "", domain: str | None = None, departement: str | None = None,
                  region: str | None = None, min_spread: int = 0, sort: str = "spread",
                  limit: int = 200) -> list[Found]:
    """Published sheets passing the filters; ranked by relevance when a text is given, else by
    `sort` (spread: most reused first, implementations weighing more; recent; title)."""
    query, spread = _filtered(domain, departement, region, min_spread)
    order = {
        "recent": [PracticeSheet.updated_at.desc()],
        "title": [PracticeSheet.title],
    }.get(sort, [func.coalesce(spread.c.score, 0).desc(), func.coalesce(spread.c.reuses, 0).desc(),
                 PracticeSheet.updated_at.desc()])
    rows = db.session.execute(query.order_by(*order, PracticeSheet.id)).all()
    found = [Found(sheet, int(score), int(reuses)) for sheet, score, reuses in rows]
    text = (text or "").strip()
    if not text or not found:
        return found[:limit]
    by_id = {item.sheet.id: item for item in found}
    ranked = []
    for match in _ranked(Document("query", text)):
        # Only the sheets the filters kept (the index holds every published sheet).
        if match.score >= SEARCH_MIN_SCORE and match.id in by_id:
            item = by_id[match.id]
            item.score, item.reasons = match.score, match.reasons
            ranked.append(item)
    if sort != "relevance" and sort in SORTS:
        position = {item.sheet.id: index for index, item in enumerate(found)}
        ranked.sort(key=lambda item: position[item.sheet.id])
    return ranked[:limit]


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a ranked Python list (relevance is computed outside
    SQL), so that templates use the same pagination macro as the other lists."""

    def __init__(self, rows: list, page: int, per_page: int):
        self._rows = rows
        super().__init__(page=page, per_page=per_page, error_out=False)

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._rows[start:start + self.per_page]

    def _query_count(self) -> int:
        return len(self._rows)


FILTER_KEYS = ("q", "domaine", "departement", "region", "essaimage", "tri")


def _results(args, limit: int) -> tuple[list[Found], dict]:
    filters = {key: (args.get(key) or "").strip()[:200] for key in FILTER_KEYS}
    filters = {key: value for key, value in filters.items() if value}
    spread = filters.get("essaimage", "")
    found = search_sheets(
        filters.get("q", ""), domain=filters.get("domaine") if filters.get("domaine") in DOMAINS else None,
        departement=filters.get("departement", "").upper() or None, region=filters.get("region") or None,
        min_spread=parse_int(spread, 0) or 0, sort=filters.get("tri", "spread"),
        limit=limit)
    return found, filters


def browse(args) -> tuple[ListPagination, dict]:
    """The list page: read the query string (bad values are ignored), search, paginate.
    Returns the page and the filters kept (for the form and the pagination links)."""
    found, filters = _results(args, 10_000)
    page = parse_page(args.get("page"))
    return ListPagination(found, page, current_app.config.get("ITEMS_PER_PAGE", 20)), filters


def export_results(args) -> list[Found]:
    """Every sheet the list page would show for this query string, for the raw export."""
    return _results(args, 100_000)[0]


# Extra candidates read from the index for a need: sheets archived since their last indexing
# are dropped afterwards, and the page must still show `k` practices.
SUGGEST_MARGIN = 20


def similar_practices_for_need(need, k: int = 3) -> list[Found]:
    """The published practices closest to a need, each with the people who wrote it (for a
    need's page: who to ask about a practice that worked elsewhere)."""
    matches = [m for m in _ranked(need_document(need), k + SUGGEST_MARGIN) if m.score >= SUGGEST_MIN_SCORE]
    if not matches:
        return []
    published = {sheet.id: sheet for sheet in db.session.scalars(select(PracticeSheet).where(
        PracticeSheet.id.in_([m.id for m in matches]), PracticeSheet.status == "published"))}
    results = []
    for match in matches:
        sheet = published.get(match.id)
        if sheet is not None and len(results) < k:
            results.append(Found(sheet, score=match.score, reasons=match.reasons, authors=authors(sheet)))
    return results


def authors(sheet: PracticeSheet) -> list[User]:
    """The people who wrote revisions of the sheet, most revisions first."""
    rows = db.session.execute(
        select(User, func.count(PracticeRevision.id).label("n"))
        .join(PracticeRevision, PracticeRevision.author_id == User.id)
        .where(PracticeRevision.sheet_id == sheet.id)
        .group_by(User.id).order_by(func.count(PracticeRevision.id).desc(), User.id)
    ).all()
    return [user for user, _count in rows]
