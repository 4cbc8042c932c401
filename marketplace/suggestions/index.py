"""The two shared MatchEngine indexes (published offers, open needs), persisted and versioned.

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

from matching import Document, MatchEngine

from marketplace.core.extensions import db
from marketplace.models import MatchingIndexState, Need, SkillOffer
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

KINDS = ("offers", "needs")
MODELS = {"offers": SkillOffer, "needs": Need}
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


DOCUMENT = {"offers": offer_document, "needs": need_document}


def _document(kind: str, item) -> Document | None:
    """The matching document of a row, or None (logged) when the row cannot make one: one bad
    row must cost its own suggestions, never the whole index."""
    try:
        return DOCUMENT[kind](item)
    except (ArithmeticError, TypeError, ValueError):
        logger.exception("%s %s skipped: no matching document can be built from it", kind, item.id)
        return None


def is_indexed(kind: str, item) -> bool:
    """Whether a listing belongs in its index: published offers, open needs."""
    return item is not None and (item.status == "published" if kind == "offers" else item.status == "open")


def index_dir() -> Path:
    path = Path(current_app.config["MATCHING_INDEX_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _state(kind: str, lock: bool = False) -> MatchingIndexState:
    query = select(MatchingIndexState).where(MatchingIndexState.kind == kind)
    if lock:
        query = query.with_for_update()
    state = db.session.scalars(query).first()
    if state is None:
        db.session.add(MatchingIndexState(kind=kind, version=0))
        try:
            db.session.commit()
        except Exception:  # another process created it first
            db.session.rollback()
        state = db.session.scalars(query).one()
    return state


def current(kind: str) -> MatchEngine | None:
    """This process's engine for `kind`, reloaded if another process published a newer version
    (None only if the file of the current version is missing from MATCHING_INDEX_DIR)."""
    path = _state(kind).path
    db.session.commit()  # end the read: do not hold a snapshot while querying
    cached = _CACHE.get(kind)
    if cached is not None and cached[0] == path:
        return cached[1]
    if not path:  # never built (e.g. listings loaded by seed-demo): the first use builds it
        refit(kind)
        return _CACHE[kind][1]
    if not os.path.exists(path):
        logger.warning("%s index file %s is missing: is MATCHING_INDEX_DIR shared by every worker?", kind, path)
        return None
    engine = MatchEngine.load(path)
    _CACHE[kind] = (path, engine)
    return engine


def _commit_new_version(kind: str, state: MatchingIndexState, engine: MatchEngine, **values) -> bool:
    path = index_dir() / f"{kind}-{state.version + 1}-{uuid.uuid4().hex[:8]}.npz"
    engine.save(path)
    old_version, old_path = state.version, state.path
    result = db.session.execute(
        update(MatchingIndexState)
        .where(MatchingIndexState.kind == kind, MatchingIndexState.version == old_version)
        .values(version=old_version + 1, path=str(path), **values)
    )
    if result.rowcount != 1:  # someone else moved first: start again from their version
        db.session.rollback()
        path.unlink(missing_ok=True)
        _CACHE.pop(kind, None)
        return False
    db.session.commit()
    _CACHE[kind] = (str(path), engine)
    _remove_stale_files(kind, keep={str(path), old_path})
    return True


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
    a refit, and a refit of a few hundred documents takes milliseconds).
    """
    for _ in range(attempts):
        state = _state(kind, lock=True)
        changes = state.changes_since_refit + 1
        if _refit_due(state, changes) and state.size_at_refit < current_app.config["MATCHING_INLINE_REFIT_BELOW"]:
            if _refit_locked(kind, state) is not None:
                return False
            continue
        cached = _CACHE.get(kind)
        if cached is not None and cached[0] == state.path:
            engine = cached[1]
        elif state.path and os.path.exists(state.path):
            engine = MatchEngine.load(state.path)
        else:
            engine = MatchEngine().fit([])
        _CACHE.pop(kind, None)  # the engine is about to change: never trust it until committed
        item = db.session.get(MODELS[kind], item_id)
        if item_id in engine:
            engine.remove(item_id)
        document = _document(kind, item) if is_indexed(kind, item) else None
        if document is not None:
            engine.add(document)
        if _commit_new_version(kind, state, engine, changes_since_refit=changes):
            return _refit_due(state, changes)
    raise RuntimeError(f"could not update the {kind} index after {attempts} attempts")


def indexed_items(kind: str):
    """The listings that belong in an index, in id order."""
    model = MODELS[kind]
    status = "published" if kind == "offers" else "open"
    return db.session.execute(
        select(model).where(model.status == status).order_by(model.id).execution_options(yield_per=1000)
    ).scalars()


def refit(kind: str, progress=None, force: bool = True) -> int | None:
    """Rebuild an index from the database (new vocabulary); its size, or None when not due.

    `progress(n)` is called as documents are read (for the CLI's progress bar).
    """
    for _ in range(5):
        state = _state(kind, lock=True)
        if not (force or _refit_due(state, state.changes_since_refit)):
            db.session.commit()
            return None
        size = _refit_locked(kind, state, progress)
        if size is not None:
            return size
    raise RuntimeError(f"could not refit the {kind} index")


def _refit_locked(kind: str, state: MatchingIndexState, progress=None) -> int | None:
    docs = []
    for item in indexed_items(kind):
        document = _document(kind, item)
        if document is not None:
            docs.append(document)
        if progress is not None:
            progress(1)
    engine = MatchEngine().fit(docs)
    if not _commit_new_version(kind, state, engine, size_at_refit=len(docs), changes_since_refit=0,
                               refitted_at=utcnow()):
        return None
    logger.info("refitted the %s index: %d documents", kind, len(docs))
    return len(docs)


def count_indexable(kind: str) -> int:
    """How many listings a refit of this index would read."""
    model = MODELS[kind]
    status = "published" if kind == "offers" else "open"
    return db.session.query(model).filter(model.status == status).count()


def reset_cache() -> None:
    """Forget this process's engines (tests, or after the index directory was replaced)."""
    _CACHE.clear()
