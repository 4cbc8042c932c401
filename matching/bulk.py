"""Many queries at once, on all cores: a pool of forked processes sharing the loaded engine.

A query holds the GIL for most of its time (analysis, candidate selection, explanations are
Python), so threads do not add cores; processes do. The pool is forked *after* the engine is
loaded: every child reads the parent's index pages (copy-on-write, nothing pickled or loaded
again), and the queries reach the children the same way. Only the answers travel back, chunk by
chunk, in the order of the queries. Each child answers a chunk with the sequential path of
``engine.query_many``: results are those of ``engine.query_many`` whatever ``n_jobs``.

    from matching.bulk import query_many
    answers = query_many(engine, documents, k=10, where=rules_per_document, n_jobs=-1)
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Sequence

from sklearn.utils.validation import check_is_fitted

from .parallel import children_allowed, die_with_parent, fork_context, resolve_n_jobs
from .rules import rules_per_query
from .types import Document, Match

# Below this many queries the pool's start (~10-50 ms a process) costs more than it saves.
MIN_PARALLEL_QUERIES = 200
# Chunks per process: enough for the processes to finish together when the machine is shared.
CHUNKS_PER_JOB = 8
MAX_CHUNK = 512


class BulkQueryError(RuntimeError):
    """A worker process died (killed, out of memory, crashed) before answering its queries."""


# A forked child's inputs, inherited from the parent (initargs are not pickled under fork).
_SHARED: dict = {}


def _install(parent_pid: int, engine, documents, rules) -> None:
    die_with_parent(parent_pid)
    _SHARED.update(engine=engine, documents=documents, rules=rules)


def _answer_range(bounds: tuple[int, int], k: int) -> list[list[Match]]:
    start, end = bounds
    return _answer(_SHARED["engine"], _SHARED["documents"][start:end], k, _SHARED["rules"][start:end])


def _answer(engine, documents, k, rules) -> list[list[Match]]:
    # the sequential path of ``engine.query_many``, step by step over the chunk (whatever the
    # engine's n_jobs: this process is one of the pool's)
    documents, rules = engine._checked_batch(documents, k, rules)
    return engine._query_in_steps(documents, k, rules)


def query_many(engine, documents: Sequence[Document], k: int = 10, where=None, n_jobs: int | None = -1,
               chunk_size: int | None = None) -> list[list[Match]]:
    """``engine.query`` for every document, on ``n_jobs`` processes (scikit-learn's convention:
    -1 all cores, 1 in this process); the same answers as ``engine.query_many``, in order.

    ``where``: None, one rule set for all, or one per document (as ``engine.query_many``).
    Raises `BulkQueryError` when a worker process dies; an error raised by a query in a worker
    (a bad ``k``, a bad document) is raised here as it is.
    """
    check_is_fitted(engine, msg="this MatchEngine is not fitted yet: call fit(documents) first")
    documents = list(documents)
    rules = rules_per_query(where, len(documents))
    n_jobs = resolve_n_jobs(n_jobs)
    if n_jobs == 1 or len(documents) < MIN_PARALLEL_QUERIES:
        return _answer(engine, documents, k, rules)
    size = chunk_size or max(1, min(MAX_CHUNK, -(-len(documents) // (n_jobs * CHUNKS_PER_JOB))))
    bounds = [(a, min(a + size, len(documents))) for a in range(0, len(documents), size)]
    out: list[list[Match]] = []
    gc.freeze()  # children's collectors leave the inherited objects (and their pages) alone
    try:
        with children_allowed(), ProcessPoolExecutor(n_jobs, mp_context=fork_context(), initializer=_install,
                                                     initargs=(os.getpid(), engine, documents, rules)) as pool:
            for part in pool.map(_answer_range, bounds, [k] * len(bounds)):
                out.extend(part)
    except BrokenProcessPool as exc:
        raise BulkQueryError(
            f"a worker process died while answering {len(documents)} queries on {n_jobs} processes "
            f"({len(out)} answered): killed, out of memory or crashed; no partial result is returned"
        ) from exc
    finally:
        gc.unfreeze()
    return out
