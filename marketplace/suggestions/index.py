"""The shared MatchEngine indexes (published offers, open needs, published practice sheets): a
snapshot plus an ordered log of changes, the way search engines keep an index up to date (a
segment on disk plus a write-ahead log replayed on top).

- Publishing, editing or archiving a listing appends one row to `matching_index_changes` and bumps
  the index version, in one short unit of work holding the state row's lock: O(1), no file written.
  The row holds the document as the writer built it (not just the item id): every process replays
  exactly the same documents in the same order, without reading the listing tables again, so all
  of them hold the same index at the same version (a document rebuilt later by each reader would
  depend on when it replayed, and cost one query per change).
- Each process keeps its engine with the seq it reached (`SharedEngine`); `current(kind)` reads the
  version and replays the changes it has not seen (`engine.add/remove`), never reloading the file.
- A snapshot (`write_snapshot`, a background task every MATCHING_SNAPSHOT_EVERY changes) saves
  one process's engine with the seq it includes, outside any lock; a process that starts loads the
  latest snapshot and replays the changes after it.
- A refit reads the rows and fits a new vocabulary outside any lock, replays the changes logged
  meanwhile, writes its snapshot, and only then switches by a short locked update (a new
  `generation`: processes holding an older one load the new snapshot once).
- Publishing a snapshot forgets the changes the previous snapshot already held, and snapshots
  other than the current and previous ones are deleted after a grace period.

Snapshots go to the store MATCHING_SNAPSHOT_STORE names (`snapshots`): the folder MATCHING_INDEX_DIR
(the embedded default: several machines need a shared volume for it), or the app's database, in
chunks, with MATCHING_INDEX_DIR as each machine's local cache: then machines share nothing but
PostgreSQL. The state's `path` is the snapshot's key in its store; a snapshot is published (the
state points at it) only once it is stored whole.
"""
from __future__ import annotations

import logging
import threading

from flask import current_app
from sqlalchemy import update

from matching import MatchEngine

from marketplace.admin import lexicon as lexicon_proposals
from marketplace.core import task_queue
from marketplace.core.errors import Conflict
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read, transactional
from marketplace.models import MatchingIndexState
from marketplace.models.base import utcnow
from marketplace.suggestions import index_log, snapshots
from marketplace.suggestions.documents import (  # noqa: F401  (the names callers import from here)
    INDEXED_STATUS, KINDS, MODELS, build_document, count_indexable, indexed_items, is_indexed, load_item,
    need_document, offer_days_available, offer_document, to_json,
)
from marketplace.suggestions.shared_engine import SharedEngine

logger = logging.getLogger(__name__)

SNAPSHOT_TASK = "workers.tasks.snapshot_index"
# Per process: kind -> SharedEngine. Module state on purpose: the cache outlives a task.
_CACHE: dict[str, SharedEngine] = {}
# One snapshot load per index at a time in a process (threads wait for it rather than load twice).
_LOADING = {kind: threading.Lock() for kind in KINDS}
index_dir = snapshots.index_dir
_state = index_log.state


def current(kind: str, build: bool = True) -> SharedEngine | None:
    """This process's engine for `kind`, brought up to the latest version by replaying the
    changes it has not seen (None, logged, if its snapshot is missing from the store or
    unreadable, or when the index was never built and `build` is False: a page view never fits
    an index)."""
    state = index_log.state(kind)
    version, generation, path, snapshot_seq = state.version, state.generation, state.path, state.snapshot_seq
    end_read()  # do not hold a snapshot while replaying and querying
    shared = _CACHE.get(kind)
    # A newer generation than the state read is this process's own refit, switched since: keep it.
    if shared is not None and shared.generation >= generation and _catch_up(kind, shared, version):
        return shared
    if not path:  # never built (e.g. listings loaded by seed-demo): the first worker use builds it
        if not build:
            return None
        refit(kind)  # or another process's refit switched first: load that one
        return current(kind, build=False)
    with _LOADING[kind]:
        shared = _CACHE.get(kind)
        if shared is not None and shared.generation >= generation and _catch_up(kind, shared, version):
            return shared  # another thread loaded it meanwhile
        engine = snapshots.load(path)
        moved = index_log.state(kind).path != path
        end_read()  # a download from the database store read in a transaction
        if engine is not None:
            shared = SharedEngine(engine, generation, snapshot_seq)
            if _catch_up(kind, shared, version):
                _CACHE[kind] = shared
                return shared
            _CACHE.pop(kind, None)  # a newer snapshot pruned the log meanwhile
        elif not moved:
            return None
    # Once the lock is released (it is not reentrant): the newer snapshot, which pruned the log
    # past this one or replaced it, and had it removed as stale, during a long download.
    return current(kind, build)


def _catch_up(kind: str, shared: SharedEngine, version: int) -> bool:
    """Replay the logged changes `shared` has not seen, up to `version`; False if the log no
    longer holds them all (the caller loads the snapshot instead)."""
    if shared.seq >= version:
        return True
    changes = index_log.changes_after(kind, shared.seq, version)
    end_read()
    # Seqs have no holes: short of `version` means the log was pruned past this engine (no rows
    # at all is not "nothing to replay").
    return shared.apply(changes) and shared.seq >= version


def _refit_due(state, changes: int) -> bool:
    return changes > current_app.config["MATCHING_REFIT_RATIO"] * max(state.size_at_refit, 1)


def apply_change(kind: str, item_id: int) -> bool:
    """Log one listing's change to its index; True when a refit is now due (the caller enqueues it).

    A small index is simply refitted here (words unseen at the last fit count for nothing until
    a refit, and a refit of a few hundred documents takes milliseconds). This process's engine,
    if it has one, replays the change at once; the others do when they next use the index.
    """
    logged = _log_change(kind, item_id)
    if logged is None:  # the index's first change
        index_log.ensure_state(kind)
        logged = _log_change(kind, item_id)
    refit_due, inline = logged
    if inline:
        refit(kind, force=False)
        return False
    if kind in _CACHE:
        current(kind)
    return refit_due


@transactional
def _log_change(kind: str, item_id: int) -> tuple[bool, bool] | None:
    state = index_log.claim_seq(kind)
    if state is None:
        return None
    # Read once the seq is ours: a change logged after another one of the same item read it after it.
    item = load_item(kind, item_id)
    document = build_document(kind, item) if is_indexed(kind, item) else None
    seq = state.version
    index_log.add_change(kind, seq, "upsert" if document else "remove", item_id,
                         to_json(document) if document else None)
    if state.path and (seq - state.snapshot_seq) % current_app.config["MATCHING_SNAPSHOT_EVERY"] == 0:
        task_queue.enqueue_after_commit(SNAPSHOT_TASK, kind)
    due = _refit_due(state, state.changes_since_refit)
    inline = due and state.size_at_refit < current_app.config["MATCHING_INLINE_REFIT_BELOW"]
    return due and not inline, inline


def refit(kind: str, progress=None, force: bool = True) -> int | None:
    """Rebuild an index from the database (new vocabulary); its size, or None when not due.

    `progress(n)` is called as documents are read (for the CLI's progress bar). Reading and
    fitting hold no lock; the switch to the new snapshot is one short locked update.
    """
    index_log.ensure_state(kind)
    claimed = _claim_refit(kind, force)
    if claimed is None:
        return None
    # The version first, then the rows: a change logged in between is replayed on top (changes
    # are idempotent: remove the item, add its document), never lost.
    generation, fitted_seq = claimed
    docs = []
    for item in indexed_items(kind):
        document = build_document(kind, item)
        if document is not None:
            docs.append(document)
        if progress is not None:
            progress(1)
    end_read()
    # The shipped dictionary plus the entries administrators accepted (admin.lexicon).
    engine = MatchEngine(lexicon=lexicon_proposals.analysis_lexicon()).fit(docs)
    shared = SharedEngine(engine, None, fitted_seq)
    _catch_up(kind, shared, index_log.state(kind).version)
    end_read()
    key = snapshots.new_name(kind, generation + 1, shared.seq)
    snapshots.write(key, shared.save)
    for _ in range(5):
        try:
            switched = _switch(kind, generation, shared, key, len(docs))
            break
        except Conflict:
            continue
    else:
        switched = None
    if switched is None:  # another refit switched first: its snapshot is the one
        snapshots.discard(key)
        logger.info("refit of the %s index dropped: another one switched first", kind)
        return len(docs)
    shared.generation, shared.seq = switched[0], switched[2]
    _CACHE[kind] = shared
    snapshots.remove_stale(kind, keep={key, switched[1]})
    logger.info("refitted the %s index: %d documents", kind, len(docs))
    return len(docs)


@transactional
def _claim_refit(kind: str, force: bool) -> tuple[int, int] | None:
    """Take the refit that is due (or forced): (generation, version) to start from, or None when
    it is not due or another worker took it. Resetting the count of changes is the claim: the
    publishes that find the index still due meanwhile do not start refits of their own."""
    state = index_log.state(kind)
    if not (force or _refit_due(state, state.changes_since_refit)):
        return None
    query = update(MatchingIndexState).where(MatchingIndexState.kind == kind)
    if not force:
        query = query.where(MatchingIndexState.changes_since_refit == state.changes_since_refit)
    result = db.session.execute(query.values(changes_since_refit=0).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    return state.generation, state.version


@transactional
def _switch(kind: str, generation: int, shared: SharedEngine, path: str, size: int):
    """Make `path` the index's snapshot, of a new generation; (generation, previous path, seq the
    snapshot includes), or None when another refit switched since `generation`."""
    state = index_log.state(kind, lock=True)
    if state.generation != generation:
        return None
    _require_whole(path)
    previous_path, previous_seq = state.path, state.snapshot_seq
    # The marker itself changes no document: the snapshot includes it when nothing came between.
    included = state.version + 1 if state.version == shared.seq else shared.seq
    index_log.append(kind, state, "refit", generation=generation + 1, path=path, snapshot_seq=included,
                     size_at_refit=size, refitted_at=utcnow())
    index_log.prune(kind, min(previous_seq, included))
    return generation + 1, previous_path, included


def write_snapshot(kind: str) -> int | None:
    """Save this process's engine (brought up to date) as the index's latest snapshot, outside
    any lock, then forget the changes the previous snapshot held; the seq saved, or None when
    there was nothing new to save."""
    shared = current(kind, build=False)
    state = index_log.state(kind)
    snapshot_seq = state.snapshot_seq
    end_read()
    if shared is None or shared.seq <= snapshot_seq:
        return None
    key = snapshots.new_name(kind, shared.generation, shared.seq)
    seq = snapshots.write(key, shared.save)
    previous = _publish_snapshot(kind, shared.generation, seq, key)
    if previous is None:
        snapshots.discard(key)
        return None
    snapshots.remove_stale(kind, keep={key, previous})
    return seq


@transactional
def _publish_snapshot(kind: str, generation: int, seq: int, path: str) -> str | None:
    state = index_log.state(kind, lock=True)
    if state.generation != generation or state.snapshot_seq >= seq:
        return None  # a refit or a newer snapshot came first
    _require_whole(path)
    previous_path, previous_seq = state.path, state.snapshot_seq
    result = db.session.execute(
        update(MatchingIndexState)
        .where(MatchingIndexState.kind == kind, MatchingIndexState.generation == generation,
               MatchingIndexState.snapshot_seq == previous_seq)
        .values(path=path, snapshot_seq=seq)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    index_log.prune(kind, previous_seq)
    return previous_path or ""


def _require_whole(key: str) -> None:
    # Checked in the publishing transaction: a state never points at a snapshot not stored whole
    # (e.g. its rows removed as abandoned after an upload that outlasted the grace period).
    if not snapshots.is_complete(key):
        raise RuntimeError(f"snapshot {key} is not stored whole: not published")


def reset_cache() -> None:
    """Forget this process's engines (tests, or after the index directory was replaced)."""
    _CACHE.clear()
