"""Snapshot files kept in the app's database (MATCHING_SNAPSHOT_STORE=database), in chunks.

One `matching_index_snapshots` row per snapshot, written first, then its chunks in
`matching_index_snapshot_chunks`, each committed in a short transaction of its own (a multipart
upload): neither the writer nor a reader holds more than one chunk in memory besides the file, and
no transaction stays open for the length of a 300 MB upload (a long transaction would hold back
PostgreSQL's vacuum on every table). The row is marked complete, with the size, chunk count and
SHA-256 of the file, only after the last chunk committed; readers and `publish` only take
completed snapshots, so a writer that died half-way is never read, and its rows go with the stale
ones after the grace period.

Why bytea chunks rather than PostgreSQL large objects: the same code runs on SQLite (tests, the
embedded default), rows go with a plain DELETE (a large object needs lo_unlink or it leaks), and
pg_dump and replication take them like any row.
"""
from __future__ import annotations

import hashlib
import logging
import os
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read, transactional
from marketplace.models import MatchingIndexSnapshot, MatchingIndexSnapshotChunk
from marketplace.models.base import utcnow

logger = logging.getLogger(__name__)

# Large enough that a 300 MB snapshot is a few dozen round trips, small enough to be held twice
# (the driver's buffer and ours) without notice; far below bytea's 1 GB limit.
CHUNK_BYTES = 8 * 2**20

Snapshot = MatchingIndexSnapshot
Chunk = MatchingIndexSnapshotChunk


def upload(name: str, kind: str, file: Path) -> None:
    """Store `file` as snapshot `name`, chunk by chunk; complete only once every chunk committed.

    Raises when a chunk or the completion cannot be written (the snapshot is then not published)."""
    _begin(name, kind)
    digest, size, number = hashlib.sha256(), 0, 0
    with open(file, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            _put_chunk(name, number, chunk)
            digest.update(chunk)
            size += len(chunk)
            number += 1
    _complete(name, number, size, digest.hexdigest())


@transactional
def _begin(name: str, kind: str) -> None:
    db.session.execute(insert(Snapshot).values(name=name, kind=kind, written_at=utcnow()))


@transactional
def _put_chunk(name: str, number: int, data: bytes) -> None:
    db.session.execute(insert(Chunk).values(name=name, number=number, data=data))
    result = db.session.execute(update(Snapshot).where(Snapshot.name == name, Snapshot.completed_at.is_(None))
                                .values(written_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # removed as abandoned meanwhile: the upload cannot finish
        raise RuntimeError(f"snapshot {name} was removed during its upload")


@transactional
def _complete(name: str, chunks: int, size: int, sha256: str) -> None:
    stored = db.session.scalar(select(func.count()).select_from(Chunk).where(Chunk.name == name))
    result = db.session.execute(
        update(Snapshot).where(Snapshot.name == name, Snapshot.completed_at.is_(None))
        .values(completed_at=utcnow(), written_at=utcnow(), chunks=chunks, size=size, sha256=sha256)
        .execution_options(synchronize_session=False))
    if stored != chunks or result.rowcount != 1:
        raise RuntimeError(f"snapshot {name}: {stored} of {chunks} chunks stored, not completed")


def is_complete(name: str) -> bool:
    """Whether snapshot `name` is stored whole (in the caller's transaction)."""
    return db.session.scalar(select(Snapshot.completed_at).where(Snapshot.name == name)) is not None


def download(name: str, target: Path) -> bool:
    """Write completed snapshot `name` to `target` (atomically: a temporary file renamed once its
    size and SHA-256 match); False, with a warning logged, when it is missing or corrupt."""
    row = db.session.execute(select(Snapshot.chunks, Snapshot.size, Snapshot.sha256)
                             .where(Snapshot.name == name, Snapshot.completed_at.is_not(None))).first()
    if row is None:
        end_read()
        logger.warning("index snapshot %s is not in the database (removed, or never completed)", name)
        return False
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.part")
    digest, size = hashlib.sha256(), 0
    try:
        read = _chunk_reader(name)
        with open(partial, "wb") as fh:
            for number in range(row.chunks):
                data = read(number)
                if data is None:
                    break
                fh.write(data)
                digest.update(data)
                size += len(data)
                del data  # one chunk in memory at a time
        end_read()
        if size != row.size or digest.hexdigest() != row.sha256:
            logger.warning("index snapshot %s in the database is corrupt or was removed during the download "
                           "(%d of %d bytes, checksum %s)", name, size, row.size,
                           "matches" if digest.hexdigest() == row.sha256 else "differs")
            return False
        os.replace(partial, target)
        return True
    finally:
        partial.unlink(missing_ok=True)


def _chunk_reader(name: str):
    """number -> that chunk's bytes (None when gone), in the session's transaction.

    On PostgreSQL through psycopg the chunk comes in binary: in the default text format a bytea
    travels as hex, twice its size, decoded by the client (measured with 8 MiB chunks: 4-5x the
    wall and CPU time of the binary read)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        driver = connection.connection.driver_connection
        query = f"SELECT data FROM {Chunk.__tablename__} WHERE name = %s AND number = %s"

        def read(number: int):
            found = driver.execute(query, (name, number), binary=True).fetchone()
            return None if found is None else found[0]

        return read
    return lambda number: db.session.scalar(select(Chunk.data).where(Chunk.name == name, Chunk.number == number))


def stale(kind: str, keep: set, grace_seconds: float) -> list[str]:
    """Names of the stored snapshots of `kind` other than `keep`, untouched for the grace period."""
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    names = db.session.scalars(select(Snapshot.name).where(Snapshot.kind == kind, Snapshot.written_at < cutoff))
    return [name for name in names if name not in keep]


@transactional
def remove(names: list[str]) -> None:
    """Delete snapshots and their chunks (a no-op for names not stored)."""
    if names:
        db.session.execute(delete(Chunk).where(Chunk.name.in_(names)))
        db.session.execute(delete(Snapshot).where(Snapshot.name.in_(names)))
