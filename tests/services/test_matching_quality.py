"""Nightly overlap@10 sample of the matching fast path against the exhaustive search."""
from __future__ import annotations

import logging

import pytest

from marketplace.models import MatchingOverlapSample
from marketplace.suggestions import index as matching_index, quality
from tests.workers import factories


@pytest.fixture(autouse=True)
def index_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


def test_no_index_no_sample(db):
    assert quality.sample_overlap() is None
    assert db.session.query(MatchingOverlapSample).count() == 0


def test_sample_stored_and_logged(db, make_collectivity, make_user, caplog):
    lyon = make_collectivity("Lyon", latitude=45.76, longitude=4.83)
    villeurbanne = make_collectivity("Villeurbanne", latitude=45.77, longitude=4.88)
    agent = make_user(roles=[("agent", villeurbanne)])
    author = make_user(roles=[("representative", lyon)])
    for subject in range(4):
        matching_index.apply_change("offers", factories.offer(agent, villeurbanne, subject=subject).id)
    for subject in range(3):
        factories.need(author, lyon, subject=subject)
    factories.need(author, lyon, subject=0, status="closed")  # not sampled

    with caplog.at_level(logging.INFO, logger="marketplace.suggestions.quality"):
        sample = quality.sample_overlap(sample_size=50)

    stored = quality.latest()
    assert stored is not None and stored.id == sample.id
    # a small index: every feature's postings are scored, so the fast path is exact
    assert stored.queries == 3 and stored.k == 10 and stored.index_size == 4
    assert stored.overlap_mean == 1.0 and stored.overlap_min == 1.0 and stored.below_target == 0
    record = next(r for r in caplog.records if getattr(r, "event", None) == "matching_overlap")
    assert record.overlap_mean == 1.0 and record.queries == 3


def test_task_is_scheduled_nightly(app):
    from workers import matching_tasks

    celery = app.extensions["celery"]
    entries = {e["task"]: e for e in celery.conf.beat_schedule.values()}
    assert matching_tasks.sample_overlap.name in entries
    matching_tasks.sample_overlap.run()  # no index yet: nothing stored, no error
