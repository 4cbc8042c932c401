"""The nightly recomputation of every open need's suggestions, after the refit: new words count,
new offers reach old needs. Queries are answered in bulk on processes (`matching.bulk` through the
shared engine's read lock); each need is stored as `services.match_need` stores it."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import end_read
from marketplace.models import Need
from marketplace.suggestions import index as matching_index, services


def match_all_needs(n_jobs: int | None = None, batch_size: int = 2000, progress=None) -> int:
    """Store again the suggestions of every open need against the current offers index (nightly,
    after the refit: new words count, new offers reach old needs); the number of new suggestions.

    The queries are answered in bulk on ``n_jobs`` processes (default MATCHING_BULK_JOBS, -1: all
    cores; `matching.bulk`), a batch of needs at a time; each need is then stored in its own unit
    of work exactly as `match_need` stores it. ``progress(n)`` is called as needs are stored.
    """
    if n_jobs is None:
        n_jobs = current_app.config.get("MATCHING_BULK_JOBS", -1)
    engine = matching_index.current("offers")  # loaded before any unit of work: no snapshot held
    need_ids = [need.id for need in matching_index.indexed_items("needs")]
    end_read()
    new = 0
    for start in range(0, len(need_ids), batch_size):
        batch = need_ids[start : start + batch_size]
        answers = _answer_needs(engine, batch, n_jobs)
        for need_id in batch:
            new += len(services._store_need_suggestions(need_id, engine, False, matches=answers.get(need_id)))
            if progress is not None:
                progress(1)
    return new


def _answer_needs(engine, need_ids: list[int], n_jobs) -> dict[int, list]:
    """The engine's matches of each open need among ``need_ids``, computed in bulk."""
    if engine is None:
        return {}
    queries = {need.id: services._need_query(need) for need in db.session.scalars(
        select(Need).where(Need.id.in_(need_ids)).options(selectinload(Need.collectivity)))
        if matching_index.is_indexed("needs", need)}
    end_read()  # the processes answer without holding a snapshot
    answers: dict[int, list] = {}
    # One bulk call per number of offers asked for (needs with pairs ruled off-topic ask more).
    by_k: dict[int, list[int]] = {}
    for need_id, (_document, wanted, _rules_) in queries.items():
        by_k.setdefault(wanted, []).append(need_id)
    for wanted, ids in by_k.items():
        found = engine.query_bulk([queries[i][0] for i in ids], k=wanted,
                                  where=[queries[i][2] for i in ids], n_jobs=n_jobs)
        answers.update(zip(ids, found))
    return answers
