"""Issue 12 §1: a need learns which close offers a hard rule excluded, with the values."""
from __future__ import annotations

import pytest

from marketplace.suggestions import exclusions, index as matching_index, services as suggestions
from tests.workers import factories


@pytest.fixture(autouse=True)
def index_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


def test_days_exclusion_is_reported_with_values(db, make_collectivity, make_user):
    lyon = make_collectivity("Lyon", latitude=45.76, longitude=4.83)
    villeurbanne = make_collectivity("Villeurbanne", latitude=45.77, longitude=4.88)
    agent = make_user(roles=[("agent", villeurbanne)])
    author = make_user(roles=[("representative", lyon)])
    colleague = make_user(roles=[("agent", lyon)])
    small = factories.offer(agent, villeurbanne, subject=0, days_per_month=0.5)
    own = factories.offer(colleague, lyon, subject=0)
    for item in (small, own):
        matching_index.apply_change("offers", item.id)
    need = factories.need(author, lyon, subject=0, estimated_days=200)
    assert suggestions.match_need(need.id) == []
    found = exclusions.excluded_for_need(need)
    assert [e.id for e in found] == [small.id]  # the own-collectivity offer is not "relaxable"
    (failure,) = found[0].failures
    assert failure.rule == "days" and failure.limit == 200 and 0 < failure.value < 200
