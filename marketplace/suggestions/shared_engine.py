"""One process's copy of a shared index, safe to use from many threads.

Threads of one process (gunicorn's gthread workers, Celery's thread pool, the bulk refit) share
the engine of each index. Queries only read it; applying changes from the log mutates it (rows
appended, tombstones, a merge or a compaction now and then), and a query that ran across such a
mutation read arrays of different lengths: the IndexError seen under 8 concurrent publishers. A
readers-writer lock lets queries run side by side and makes a mutation wait for them (and them
for it). Copy-on-write was the other choice: it would cost a copy of the whole index per change,
O(N) again, where the lock costs a wait of the length of one replay (milliseconds).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

from matching import MatchEngine, bulk

from marketplace.suggestions.documents import from_json


class ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before new readers (it is never starved).
    Not reentrant: a thread holding it never takes it again."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self):
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self):
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class SharedEngine:
    """A MatchEngine with the position it reached in its index's change log.

    `generation` is the refit it descends from, `seq` the last change applied. The query methods
    take the read lock; `apply` takes the write lock. Other attributes (``ids_``, ``lexicon``...)
    are the engine's, read as they are.
    """

    def __init__(self, engine: MatchEngine, generation: int | None, seq: int):
        self._engine = engine
        self._lock = ReadWriteLock()
        self.generation = generation
        self.seq = seq

    def query(self, *args, **kwargs):
        with self._lock.reading():
            return self._engine.query(*args, **kwargs)

    def query_many(self, *args, **kwargs):
        with self._lock.reading():
            return self._engine.query_many(*args, **kwargs)

    def query_bulk(self, documents, k: int = 10, where=None, n_jobs: int = -1):
        """`matching.bulk.query_many` on this engine: processes forked under the read lock, so
        no change is applied while they answer."""
        with self._lock.reading():
            return bulk.query_many(self._engine, documents, k=k, where=where, n_jobs=n_jobs)

    def excluded(self, *args, **kwargs):
        with self._lock.reading():
            return self._engine.excluded(*args, **kwargs)

    def __contains__(self, id) -> bool:
        with self._lock.reading():
            return id in self._engine

    def __len__(self) -> int:
        return len(self._engine)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_engine":
            raise AttributeError(name)
        return getattr(self._engine, name)

    def save(self, path) -> int:
        """Write the engine to `path` (it keeps answering queries meanwhile); the seq it holds."""
        with self._lock.reading():
            self._engine.save(path)
            return self.seq

    def apply(self, changes) -> bool:
        """Apply change rows (seq, op, item_id, document), in seq order, from where this engine is;
        False when they do not follow on from it (the log was pruned past it: load a snapshot)."""
        with self._lock.writing():
            pending = [c for c in changes if c.seq > self.seq]
            if [c.seq for c in pending] != list(range(self.seq + 1, self.seq + 1 + len(pending))):
                return False
            for change in pending:
                if change.op != "refit":  # a refit marker carries no document
                    self._apply_one(change)
                self.seq = change.seq
            return True

    def _apply_one(self, change) -> None:
        engine = self._engine
        if change.item_id in engine:
            engine.remove(change.item_id)
        if change.document is not None:
            engine.add(from_json(change.document))
