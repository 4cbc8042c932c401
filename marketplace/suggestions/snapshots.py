"""Snapshot files of the shared indexes in MATCHING_INDEX_DIR (the embedded default: a local
folder; every process that serves an index must read it: one machine, or a shared volume)."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

from flask import current_app

# A file stays this long after it stopped being current or previous: a process that read the
# state just before the switch may be opening it right now.
GRACE_SECONDS = 60


def index_dir() -> Path:
    path = Path(current_app.config["MATCHING_INDEX_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_path(kind: str, generation: int, seq: int) -> Path:
    """A file name of its own for each snapshot (two writers never write the same file)."""
    return index_dir() / f"{kind}-g{generation}-{seq}-{uuid.uuid4().hex[:8]}.npz"


def remove_stale(kind: str, keep: set) -> int:
    """Delete the snapshots of `kind` other than `keep` once past the grace period; how many."""
    cutoff = time.time() - GRACE_SECONDS
    removed = 0
    for file in index_dir().glob(f"{kind}-*.npz"):
        if str(file) not in keep and file.stat().st_mtime < cutoff:
            file.unlink(missing_ok=True)
            removed += 1
    return removed
