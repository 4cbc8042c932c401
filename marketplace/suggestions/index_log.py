"""The index state rows and the ordered change log of each shared index (see `index`).

A change gets its seq under the state row's lock (PostgreSQL) and an optimistic version check
(any database, SQLite included): seqs are given without holes and committed in their order, so a
reader who sees version V finds every change up to V in the log.
"""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import Conflict
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import MatchingIndexChange, MatchingIndexState
from marketplace.models.base import utcnow


def state(kind: str, lock: bool = False) -> MatchingIndexState:
    """The state row of an index (created on first use); `lock` holds it until the commit."""
    query = select(MatchingIndexState).where(MatchingIndexState.kind == kind)
    if lock:  # and read the row again: a copy loaded before the lock may be stale
        query = query.with_for_update()
    query = query.execution_options(populate_existing=True)
    found = db.session.scalars(query).first()
    if found is None:
        ensure_state(kind)
        found = db.session.scalars(query).one()
    return found


def ensure_state(kind: str) -> None:
    # The row is created in a unit of work of its own, before anyone locks it: every process
    # then locks the same row. Two processes may race to create it; the loser's insert fails.
    if db.session.get(MatchingIndexState, kind) is not None:
        return
    try:
        _create_state(kind)
    except IntegrityError:  # another process created it first
        pass


@transactional
def _create_state(kind: str) -> None:
    db.session.add(MatchingIndexState(kind=kind, version=0, snapshot_seq=0, generation=0))
    db.session.flush()


def claim_seq(kind: str):
    """Take the next seq of an index (the version it brings) in the caller's unit of work; the
    state after the increment (version, changes_since_refit, snapshot_seq, size_at_refit, path),
    or None when the index has no state row yet (`ensure_state` first).

    One atomic increment: it locks the row (PostgreSQL) or the database (SQLite) until the commit,
    so concurrent writers queue instead of failing, and their changes commit in seq order.
    """
    table = MatchingIndexState
    return db.session.execute(
        update(table).where(table.kind == kind)
        .values(version=table.version + 1, changes_since_refit=table.changes_since_refit + 1)
        .returning(table.version, table.changes_since_refit, table.snapshot_seq, table.size_at_refit, table.path)
        .execution_options(synchronize_session=False)
    ).first()


def add_change(kind: str, seq: int, op: str, item_id: int | None = None, document: dict | None = None) -> None:
    """The change row of a seq taken with `claim_seq` (same unit of work)."""
    db.session.add(MatchingIndexChange(kind=kind, seq=seq, op=op, item_id=item_id, document=document,
                                       created_at=utcnow()))
    db.session.flush()


def append(kind: str, current: MatchingIndexState, op: str, item_id: int | None = None,
           document: dict | None = None, **values) -> int:
    """Log one change as version `current.version + 1` in the caller's unit of work; its seq.

    Raises Conflict when another process logged one first (the caller starts again)."""
    seq = current.version + 1
    result = db.session.execute(
        update(MatchingIndexState)
        .where(MatchingIndexState.kind == kind, MatchingIndexState.version == current.version)
        .values(version=seq, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(f"the {kind} index moved to a newer version meanwhile")
    db.session.add(MatchingIndexChange(kind=kind, seq=seq, op=op, item_id=item_id, document=document,
                                       created_at=utcnow()))
    db.session.flush()
    return seq


def changes_after(kind: str, seq: int, upto: int) -> list:
    """The changes (seq, op, item_id, document) after `seq` up to `upto`, in order."""
    change = MatchingIndexChange
    return db.session.execute(
        select(change.seq, change.op, change.item_id, change.document)
        .where(change.kind == kind, change.seq > seq, change.seq <= upto)
        .order_by(change.seq)
    ).all()


def prune(kind: str, upto: int) -> None:
    """Forget the changes up to `upto` (a snapshot older than the live ones holds them)."""
    db.session.execute(delete(MatchingIndexChange).where(MatchingIndexChange.kind == kind,
                                                         MatchingIndexChange.seq <= upto))


def count(kind: str) -> int:
    """How many changes of an index the log holds."""
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(MatchingIndexChange)
                             .where(MatchingIndexChange.kind == kind)) or 0
