"""Bulk querying on processes (matching/bulk.py): the answers of ``engine.query_many``, in order,
whatever the number of processes; a dead worker is a clear error, never a silent partial answer."""

from __future__ import annotations

import os

import numpy as np
import pytest

from matching import Document, MatchEngine, NotFittedError
from matching import bulk
from tests.matching.test_fit import corpus


def with_meta(docs, seed):
    rng = np.random.default_rng(seed)
    out = []
    for d in docs:
        meta = {"collectivity": f"{rng.integers(0, 20):05d}", "modality": ["remote", "on_site", "both"][rng.integers(3)],
                "days_available": float(rng.integers(1, 30)), "lat": float(rng.uniform(43, 50)),
                "lon": float(rng.uniform(-1, 6)), "max_distance_km": float(rng.choice([20, 100, 300]))}
        out.append(Document(d.id, d.text, d.tags, meta))
    return out


@pytest.fixture(scope="module")
def engine():
    return MatchEngine(min_score=0.05).fit(with_meta(corpus(600), seed=1))


@pytest.fixture(scope="module")
def queries():
    return [Document(f"q{d.id}", d.text, d.tags, d.meta) for d in with_meta(corpus(90, seed=5), seed=2)]


def rules_of(q):
    return {"exclude_collectivity": q.meta["collectivity"], "modality": "on_site", "min_days": 3,
            "lat": q.meta["lat"], "lon": q.meta["lon"]}


@pytest.fixture
def parallel_even_when_small(monkeypatch):
    monkeypatch.setattr(bulk, "MIN_PARALLEL_QUERIES", 0)


@pytest.mark.parametrize("n_jobs", [2, 3, -1])
def test_processes_give_the_answers_of_query_many_in_order(engine, queries, parallel_even_when_small, n_jobs):
    where = [rules_of(q) if i % 4 else None for i, q in enumerate(queries)]
    expected = engine.query_many(queries, k=7, where=where)
    assert any(expected) and sum(map(len, expected)) > len(queries)
    assert bulk.query_many(engine, queries, k=7, where=where, n_jobs=n_jobs, chunk_size=11) == expected


def test_one_rule_set_for_all_and_no_rules(engine, queries, parallel_even_when_small):
    where = rules_of(queries[0])
    assert bulk.query_many(engine, queries, k=5, where=where, n_jobs=2) == engine.query_many(queries, k=5, where=where)
    assert bulk.query_many(engine, queries, k=5, n_jobs=2) == engine.query_many(queries, k=5)


def test_one_job_answers_in_this_process(engine, queries, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("n_jobs=1 must not start processes")

    monkeypatch.setattr(bulk, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(bulk, "MIN_PARALLEL_QUERIES", 0)
    where = [rules_of(q) for q in queries]
    assert bulk.query_many(engine, queries, k=4, where=where, n_jobs=1) == engine.query_many(queries, k=4, where=where)
    assert bulk.query_many(engine, [], n_jobs=1) == []


def test_a_worker_that_dies_raises_a_clear_error(engine, queries, parallel_even_when_small, monkeypatch):
    parent = os.getpid()
    answer = bulk._answer

    def dying(engine, documents, k, rules):
        if os.getpid() != parent and any(d.id == "q45" for d in documents):
            os._exit(9)  # as if killed (OOM killer, kill -9): no exception, no cleanup
        return answer(engine, documents, k, rules)

    monkeypatch.setattr(bulk, "_answer", dying)  # inherited by the forked children
    with pytest.raises(bulk.BulkQueryError, match="worker process died"):
        bulk.query_many(engine, queries, k=3, n_jobs=2, chunk_size=10)


def test_errors_of_a_query_come_back_as_they_are(engine, queries, parallel_even_when_small):
    with pytest.raises(ValueError, match="k must be"):
        bulk.query_many(engine, queries, k=-1, n_jobs=2)
    with pytest.raises(ValueError, match="rule sets"):
        bulk.query_many(engine, queries, where=[None], n_jobs=2)


def test_unfitted_engine():
    with pytest.raises(NotFittedError):
        bulk.query_many(MatchEngine(), [Document(1, "urbanisme")])


def _bulk_in_a_daemon(engine, queries, results):
    bulk.MIN_PARALLEL_QUERIES = 0  # this forked copy of the module only
    try:
        results.put(bulk.query_many(engine, queries, k=3, n_jobs=2) == engine.query_many(queries, k=3))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


def test_works_inside_a_daemonic_process_as_a_celery_prefork_worker(engine, queries):
    # Celery's prefork children are daemonic; multiprocessing refuses to let those start
    # processes ("daemonic processes are not allowed to have children").
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    daemon = ctx.Process(target=_bulk_in_a_daemon, args=(engine, queries, results), daemon=True)
    daemon.start()
    outcome = results.get(timeout=120)
    daemon.join(30)
    assert outcome is True
