"""Snapshot files of the shared indexes, in the store MATCHING_SNAPSHOT_STORE names.

- "folder" (the embedded default): the files in MATCHING_INDEX_DIR are the snapshots; every
  process that serves an index must read that folder: one machine, or a shared volume.
- "database": the app's database (PostgreSQL in production) holds each snapshot in chunks
  (`snapshot_rows`), so machines share nothing but the database; MATCHING_INDEX_DIR is then each
  machine's local cache: the writer's file stays there, and a process that needs a snapshot its
  machine does not have streams it into the cache once, then loads the file.
- S3-compatible object storage is not built: the project's environment has no maintained client
  (boto3 is only in the machine's system Python, not in requirements.txt), and no object store
  runs on or is reachable from the development and CI machines to test one against; a backend
  tested only against a mock (moto) would prove nothing. It would be a third store with the same
  functions (write, local_path, is_complete, discard, remove_stale) and the same local cache.

A snapshot's key (`MatchingIndexState.path`) is its file name, the same in every store; an
absolute path, as the folder store wrote before keys, still reads as that file.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
import zipfile
from pathlib import Path

from flask import current_app

from matching import MatchEngine

from marketplace.suggestions import snapshot_rows

logger = logging.getLogger(__name__)

STORES = ("folder", "database")
# A snapshot stays this long after it was last written (or, for a cache file, read) once it is
# neither current nor previous: a process that read the state just before the switch may be
# opening it right now.
GRACE_SECONDS = 60


def store() -> str:
    """The configured store; RuntimeError naming the variable when it is not a known one."""
    name = current_app.config.get("MATCHING_SNAPSHOT_STORE", "folder")
    if name not in STORES:
        raise RuntimeError(f"MATCHING_SNAPSHOT_STORE={name!r}: expected one of {', '.join(STORES)}")
    return name


def index_dir() -> Path:
    path = Path(current_app.config["MATCHING_INDEX_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_name(kind: str, generation: int, seq: int) -> str:
    """A key of its own for each snapshot (two writers never write the same one)."""
    return f"{kind}-g{generation}-{seq}-{uuid.uuid4().hex[:8]}.npz"


def _file(key: str) -> Path:
    return Path(key) if os.path.isabs(key) else index_dir() / key


def write(key: str, save):
    """Store a new snapshot under `key`: `save(path)` writes the file (its result is returned),
    then the database store uploads it; nothing is published here (the caller does, after)."""
    target = _file(key)
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        result = save(partial)
        if store() == "database":
            try:
                snapshot_rows.upload(key, _kind(key), partial)
            except BaseException:
                _forget_rows(key)
                raise
        os.replace(partial, target)  # the writer's own copy: the local cache of its machine
        return result
    finally:
        partial.unlink(missing_ok=True)


def _kind(key: str) -> str:
    return key.split("-", 1)[0]


def _forget_rows(key: str) -> None:
    """Best effort after a failed upload: rows left behind are removed as stale later."""
    try:
        snapshot_rows.remove([key])
    except Exception:
        logger.exception("the rows of the failed snapshot %s are left for the stale clean-up", key)


def is_complete(key: str) -> bool:
    """Whether snapshot `key` may be published: stored whole (in the caller's transaction)."""
    if store() == "database" and not os.path.isabs(key):
        return snapshot_rows.is_complete(key)
    return _file(key).exists()


def local_path(key: str) -> Path | None:
    """A local file holding snapshot `key`, fetched into the cache if this machine lacks it; None
    (logged) when the store does not have it."""
    path = _file(key)
    cached = store() == "database" and not os.path.isabs(key)
    try:
        if cached:
            os.utime(path)  # read just now: not pruned from the cache under a process opening it
        if path.exists():
            return path
    except FileNotFoundError:  # not in this machine's cache (or pruned this instant)
        pass
    if cached and snapshot_rows.download(key, path):
        _prune(_kind(key), keep={key})
        return path
    logger.warning("index snapshot %s is missing (store %s; with the folder store, is MATCHING_INDEX_DIR "
                   "shared by every worker?)", key, store())
    return None


def load(key: str) -> MatchEngine | None:
    """The engine of snapshot `key`, or None (logged) when it is missing or unreadable."""
    for _ in range(2):  # a cache file pruned between the check and the open is fetched again
        path = local_path(key)
        if path is None:
            return None
        try:
            return MatchEngine.load(path)
        except FileNotFoundError:
            continue
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
            logger.warning("index snapshot %s cannot be read (%s: %s)", key, type(error).__name__, error)
            if store() == "database" and not os.path.isabs(key):
                path.unlink(missing_ok=True)  # a bad cache copy: the next use fetches it again
            return None
    return None


def discard(key: str) -> None:
    """Delete a snapshot that was written but will not be published."""
    _file(key).unlink(missing_ok=True)
    if store() == "database" and not os.path.isabs(key):
        snapshot_rows.remove([key])


def remove_stale(kind: str, keep: set) -> int:
    """Delete the snapshots of `kind` other than `keep` once past the grace period (stored rows
    and local files alike); how many snapshots the store lost."""
    pruned = _prune(kind, keep)
    if store() != "database":
        return pruned
    names = snapshot_rows.stale(kind, keep, GRACE_SECONDS)
    snapshot_rows.remove(names)
    return len(names)


def _prune(kind: str, keep: set) -> int:
    """Delete the local files of `kind` other than `keep`, and abandoned partial files, untouched
    for the grace period."""
    cutoff = time.time() - GRACE_SECONDS
    removed = 0
    for file in index_dir().glob(f"{kind}-*"):
        if not (file.name.endswith(".npz") or file.name.endswith(".part")):
            continue
        if file.name in keep or str(file) in keep:
            continue
        try:
            if file.stat().st_mtime < cutoff:
                file.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:  # another process of this machine pruned it first
            continue
    return removed
