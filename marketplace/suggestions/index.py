"""The shared MatchEngine indexes (published offers, open needs, published practice sheets),
persisted and versioned.

Every worker process keeps the engine it last loaded with its version; `current(kind)` reloads it
when the MatchingIndexState row says newer. A change is applied under the row's lock (PostgreSQL)
and an optimistic version check (any database): load if stale, add/remove, save to a new file, bump
the version. Readers therefore always load a complete file, and writers never overwrite each other.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from matching import Document, MatchEngine

from marketplace.admin import lexicon as lexicon_proposals
from marketplace.core.errors import Conflict
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read, transactional
from marketplace.models import MatchingIndexState, Need, PracticeSheet, SkillOffer
from marketplace.models.base import utcnow
from marketplace.practices.services.documents import sheet_document

logger = logging.getLogger(__name__)

KINDS = ("offers", "needs", "practices")
MODELS = {"offers": SkillOffer, "needs": Need, "practices": PracticeSheet}
# The status an item has while it belongs in its index.
INDEXED_STATUS = {"offers": "published", "needs": "open", "practices": "published"}
# Per process: kind -> (file, engine). Module state on purpose: the cache outlives a task. Each
# version has its own file name, so comparing names is comparing versions (even across databases).
_CACHE: dict[str, tuple[str, MatchEngine]] = {}


def offer_days_available(offer: SkillOffer, today: date | None = None) -> float:
    """Days the agent can give over the next twelve months of their availability window."""
    today = today or date.today()
    start = max(today, offer.available_from or today)
    # A date typed as year 9999 has no "one year later": clamp to the last day there is.
    end_limit = date(start.year + 1, start.month, min(start.day, 28)) if start.year < date.max.year else date.max
    end = min(offer.available_until or end_limit, end_limit)
    if end <= start:
        return 0.0
    months = (end - start).days / 30.44
    return round(offer.days_per_month * months, 2)


def _place(collectivity) -> dict:
    if collectivity is None or collectivity.latitude is None or collectivity.longitude is None:
        return {}
    return {"lat": collectivity.latitude, "lon": collectivity.longitude}


def _meta(item) -> dict:
    collectivity = item.collectivity
    return {
        "collectivity": str(item.collectivity_id),
        "epci": str(collectivity.epci_id) if collectivity is not None and collectivity.epci_id else None,
        "modality": item.modality,
        **_place(collectivity),
    }


def offer_document(offer: SkillOffer) -> Document:
    """The matching document of an offer: its words, its tags and domain, the facts rules read."""
    meta = _meta(offer) | {
        "days_available": offer_days_available(offer),
        "max_distance_km": offer.max_distance_km,
    }
    return Document(offer.id, f"{offer.title}\n{offer.description}", tuple(offer.tags or ()) + (offer.domain,), meta)


def need_document(need: Need) -> Document:
    """The matching document of a need."""
    meta = _meta(need) | {"days_available": need.estimated_days}
    return Document(need.id, f"{need.title}\n{need.description}", tuple(need.tags or ()) + (need.domain,), meta)


DOCUMENT = {"offers": offer_document, "needs": need_document, "practices": sheet_document}


def _document(kind: str, item) -> Document | None:
    """The matching document of a row, or None (logged) when the row cannot make one: one bad
    row must cost its own suggestions, never the whole index."""
    try:
        return DOCUMENT[kind](item)
    except (ArithmeticError, TypeError, ValueError):
        logger.exception("%s %s skipped: no matching document can be built from it", kind, item.id)
        return None


def is_indexed(kind: str, item) -> bool:
    """Whether an item belongs in its index: published offers, open needs, published sheets."""
    return item is not None and item.status == INDEXED_STATUS[kind]


def index_dir() -> Path:
    path = Path(current_app.config["MATCHING_INDEX_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _state(kind: str, lock: bool = False) -> MatchingIndexState:
    query = select(MatchingIndexState).where(MatchingIndexState.kind == kind)
    if lock:  # and read the row again: a copy loaded before the lock may be stale
        query = query.with_for_update().execution_options(populate_existing=True)
    state = db.session.scalars(query).first()
    if state is None:
        _ensure_state(kind)
        state = db.session.scalars(query).one()
    return state


def _ensure_state(kind: str) -> None:
    # The row is created in a unit of work of its own, before anyone locks it: every process
    # then locks the same row. Two processes may race to create it; the loser's insert fails.
    try:
        _create_state(kind)
    except IntegrityError:  # another process created it first
        pass


@transactional
def _create_state(kind: str) -> None:
    db.session.add(MatchingIndexState(kind=kind, version=0))
    db.session.flush()


def current(kind: str, build: bool = True) -> MatchEngine | None:
    """This process's engine for `kind`, reloaded if another process published a newer version
    (None if the file of the current version is missing from MATCHING_INDEX_DIR, or when the
    index was never built and `build` is False: a page view never fits an index)."""
    path = _state(kind).path
    end_read()  # do not hold a snapshot while loading the file and querying
    cached = _CACHE.get(kind)
    if cached is not None and cached[0] == path:
        return cached[1]
    if not path:  # never built (e.g. listings loaded by seed-demo): the first worker use builds it
        if not build:
            return None
        refit(kind)
        return _CACHE[kind][1]
    if not os.path.exists(path):
        logger.warning("%s index file %s is missing: is MATCHING_INDEX_DIR shared by every worker?", kind, path)
        return None
    engine = MatchEngine.load(path)
    _CACHE[kind] = (path, engine)
    return engine


def _save_new_version(kind: str, state: MatchingIndexState, engine: MatchEngine, **values) -> str:
    """Write the engine to a new file and bump the version in the current unit of work; its path.

    Raises Conflict when another process bumped the version first (the file is removed again).
    """
    path = index_dir() / f"{kind}-{state.version + 1}-{uuid.uuid4().hex[:8]}.npz"
    engine.save(path)
    result = db.session.execute(
        update(MatchingIndexState)
        .where(MatchingIndexState.kind == kind, MatchingIndexState.version == state.version)
        .values(version=state.version + 1, path=str(path), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # someone else moved first: the caller starts again from their version
        path.unlink(missing_ok=True)
        _CACHE.pop(kind, None)
        raise Conflict(f"the {kind} index moved to a newer version meanwhile")
    return str(path)


def _adopt(kind: str, path: str, engine: MatchEngine, old_path: str | None) -> None:
    # Only once the new version is committed may this process trust the engine it built.
    _CACHE[kind] = (path, engine)
    _remove_stale_files(kind, keep={path, old_path})


def _remove_stale_files(kind: str, keep: set) -> None:
    # Keep the previous file a little: another process may be loading it right now.
    cutoff = time.time() - 60
    for file in index_dir().glob(f"{kind}-*.npz"):
        if str(file) not in keep and file.stat().st_mtime < cutoff:
            file.unlink(missing_ok=True)


def _refit_due(state: MatchingIndexState, changes: int) -> bool:
    return changes > current_app.config["MATCHING_REFIT_RATIO"] * max(state.size_at_refit, 1)


def apply_change(kind: str, item_id: int, attempts: int = 5) -> bool:
    """Bring one listing's entry in the shared index up to date; True when a refit is now due.

    A small index is simply refitted here (words unseen at the last fit count for nothing until
    a refit, and a refit of a few hundred documents takes milliseconds). Each try is one unit of
    work holding the index row's lock; a try that finds the version moved starts again.
    """
    _ensure_exists(kind)
    for _ in range(attempts):
        try:
            refit_due, adopted = _apply_once(kind, item_id)
        except Conflict:
            continue
        _adopt(kind, *adopted)
        return refit_due
    raise Conflict(f"could not update the {kind} index after {attempts} attempts")


def _ensure_exists(kind: str) -> None:
    if db.session.get(MatchingIndexState, kind) is None:
        _ensure_state(kind)


@transactional
def _apply_once(kind: str, item_id: int) -> tuple[bool, tuple]:
    state = _state(kind, lock=True)
    changes = state.changes_since_refit + 1
    if _refit_due(state, changes) and state.size_at_refit < current_app.config["MATCHING_INLINE_REFIT_BELOW"]:
        return False, _refit_locked(kind, state)
    cached = _CACHE.get(kind)
    if cached is not None and cached[0] == state.path:
        engine = cached[1]
    elif state.path and os.path.exists(state.path):
        engine = MatchEngine.load(state.path)
    else:
        engine = MatchEngine(lexicon=lexicon_proposals.analysis_lexicon()).fit([])
    _CACHE.pop(kind, None)  # the engine is about to change: never trust it until committed
    item = db.session.get(MODELS[kind], item_id)
    if item_id in engine:
        engine.remove(item_id)
    document = _document(kind, item) if is_indexed(kind, item) else None
    if document is not None:
        engine.add(document)
    old_path = state.path
    path = _save_new_version(kind, state, engine, changes_since_refit=changes)
    return _refit_due(state, changes), (path, engine, old_path)


def indexed_items(kind: str):
    """The listings that belong in an index, in id order."""
    model = MODELS[kind]
    status = INDEXED_STATUS[kind]
    return db.session.execute(
        select(model).where(model.status == status).order_by(model.id).execution_options(yield_per=1000)
    ).scalars()


def refit(kind: str, progress=None, force: bool = True) -> int | None:
    """Rebuild an index from the database (new vocabulary); its size, or None when not due.

    `progress(n)` is called as documents are read (for the CLI's progress bar). Each try is one
    unit of work holding the index row's lock.
    """
    _ensure_exists(kind)
    for _ in range(5):
        try:
            result = _refit_once(kind, progress, force)
        except Conflict:
            continue
        if result is None:
            return None
        size, adopted = result
        _adopt(kind, *adopted)
        logger.info("refitted the %s index: %d documents", kind, size)
        return size
    raise Conflict(f"could not refit the {kind} index")


@transactional
def _refit_once(kind: str, progress, force: bool):
    state = _state(kind, lock=True)
    if not (force or _refit_due(state, state.changes_since_refit)):
        return None
    adopted = _refit_locked(kind, state, progress)
    return len(adopted[1].ids_), adopted


def _refit_locked(kind: str, state: MatchingIndexState, progress=None) -> tuple:
    """Fit a new engine on every indexed listing and save it as the next version (in the caller's
    unit of work, which holds the lock); what `_adopt` needs once committed."""
    docs = []
    for item in indexed_items(kind):
        document = _document(kind, item)
        if document is not None:
            docs.append(document)
        if progress is not None:
            progress(1)
    # The shipped dictionary plus the entries administrators accepted (admin.lexicon).
    engine = MatchEngine(lexicon=lexicon_proposals.analysis_lexicon()).fit(docs)
    old_path = state.path
    path = _save_new_version(kind, state, engine, size_at_refit=len(docs), changes_since_refit=0,
                             refitted_at=utcnow())
    return path, engine, old_path


def count_indexable(kind: str) -> int:
    """How many listings a refit of this index would read."""
    model = MODELS[kind]
    status = INDEXED_STATUS[kind]
    return db.session.query(model).filter(model.status == status).count()


def reset_cache() -> None:
    """Forget this process's engines (tests, or after the index directory was replaced)."""
    _CACHE.clear()
