"""Snapshots shared through the database on real services (a Celery worker subprocess, Redis,
PostgreSQL when it answers): the worker and the web process each have a MATCHING_INDEX_DIR of
their own, as on two machines without a shared volume, and still hold the same index."""
from __future__ import annotations

from pathlib import Path

import pytest

from marketplace.suggestions import index as matching_index
from tests.workers import world as w
from tests.workers.stack import app_context, wait_for
from tests.workers.test_index_deltas import _here, _publish_offer, _published_ids, _report, _world

pytestmark = pytest.mark.services

SETTINGS = {"MATCHING_SNAPSHOT_STORE": "database", "MATCHING_INLINE_REFIT_BELOW": 0,
            "MATCHING_REFIT_RATIO": 1000, "MATCHING_SNAPSHOT_EVERY": 4}


def _cached(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("offers-*.npz"))


def test_a_worker_and_the_web_on_two_machines_share_snapshots_through_the_database(make_stack, tmp_path):
    stack = make_stack(**SETTINGS)
    web_cache, worker_cache = Path(stack.overrides["MATCHING_INDEX_DIR"]), tmp_path / "worker-machine"
    with app_context(stack) as app:
        world = _world()  # the web process refits: the first snapshot, stored in the database
        state = matching_index._state("offers")  # one object, refreshed by each read: keep its values
        first = {"version": state.version, "snapshot_seq": state.snapshot_seq, "path": state.path,
                 "generation": state.generation}
        worker = stack.start_worker("w", queues="celery,report-w", concurrency=1,
                                    settings={"MATCHING_INDEX_DIR": str(worker_cache)})
        report = _report(app, tmp_path, "w", [worker])
        assert report["seq"] == first["version"] and report["ids"] == _here()["ids"]
        assert _cached(worker_cache) == [first["path"]]  # fetched from the database into its own cache

        offers = [_publish_offer(world, s) for s in range(9)]  # the worker logs them and writes snapshots
        wait_for(lambda: w.pending_intents() == 0, 90, message="the publishes and snapshots", watch=[worker])
        state = matching_index._state("offers")
        assert state.snapshot_seq > first["snapshot_seq"] and state.path != first["path"]
        assert state.path in _cached(worker_cache) and state.path not in _cached(web_cache)  # the worker's
        report = _report(app, tmp_path, "w", [worker])
        matching_index.reset_cache()  # the web process restarts: it loads the worker's snapshot
        here = _here()
        assert state.path in _cached(web_cache)
        assert report["seq"] == here["seq"] == matching_index._state("offers").version
        assert report["ids"] == here["ids"] == _published_ids() and set(offers) <= set(here["ids"])

        matching_index.refit("offers")  # and back: a new generation written by the web process
        state = matching_index._state("offers")
        report = _report(app, tmp_path, "w", [worker])
        assert report["generation"] == state.generation == first["generation"] + 1
        assert report["seq"] == state.version and report["ids"] == _here()["ids"]
        assert state.path in _cached(worker_cache)
