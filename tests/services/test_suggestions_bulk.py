"""The nightly recomputation of every open need's suggestions (`match_all_needs`): queries answered
in bulk on processes, stored exactly as `match_need` stores them, one need at a time."""
from __future__ import annotations

import pytest

from matching import bulk
from marketplace.models import Suggestion
from marketplace.suggestions import index as matching_index, nightly, services as suggestions
from tests.services.test_suggestions import index_dir, world  # noqa: F401 (fixtures)
from tests.workers import factories


def _stored(db):
    return sorted((s.offer_id, s.need_id, s.score, s.reasons) for s in db.session.query(Suggestion))


@pytest.fixture
def offers_and_needs(db, world):  # noqa: F811
    for subject in range(4):
        factories.offer(world["agent"], world["villeurbanne"], subject=subject)
        factories.offer(world["far_agent"], world["lille"], subject=subject, modality="on_site")
    matching_index.refit("offers", force=True)
    needs = [factories.need(world["author"], world["lyon"], subject=s % 4, estimated_days=1 + s)
             for s in range(9)]
    needs.append(factories.need(world["author"], world["lyon"], subject=1, status="draft"))
    return needs


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_bulk_stores_what_match_need_stores(db, offers_and_needs, monkeypatch, n_jobs):
    monkeypatch.setattr(bulk, "MIN_PARALLEL_QUERIES", 0)  # processes even for ten needs
    new = nightly.match_all_needs(n_jobs=n_jobs, batch_size=4)
    in_bulk = _stored(db)
    assert new == len(in_bulk) > 0
    assert {need for _o, need, _s, _r in in_bulk} <= {n.id for n in offers_and_needs if n.status == "open"}

    db.session.query(Suggestion).delete()
    db.session.commit()
    for need in offers_and_needs:
        suggestions.match_need(need.id)
    assert _stored(db) == in_bulk


def test_running_again_changes_nothing(db, offers_and_needs):
    assert nightly.match_all_needs(n_jobs=1) > 0
    before = _stored(db)
    assert nightly.match_all_needs(n_jobs=1) == 0
    assert _stored(db) == before


def test_progress_counts_every_open_need(db, offers_and_needs):
    seen = []
    nightly.match_all_needs(n_jobs=1, progress=seen.append)
    assert sum(seen) == sum(1 for n in offers_and_needs if n.status == "open")


def test_the_nightly_refit_stores_every_open_need_suggestions(db, offers_and_needs):
    from workers.tasks import refit_all

    assert db.session.query(Suggestion).count() == 0
    refit_all()  # the beat task's body, run here
    stored = _stored(db)
    assert stored and nightly.match_all_needs(n_jobs=1) == 0  # already up to date
