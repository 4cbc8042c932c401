"""One bad row never stops the offers index: an offer dated year 9999 is clamped, not fatal."""
from __future__ import annotations

from datetime import date

import pytest

from marketplace.suggestions import index as matching_index, services as suggestions
from tests.workers import factories


@pytest.fixture(autouse=True)
def index_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


@pytest.fixture
def people(make_collectivity, make_user):
    lyon, villeurbanne = make_collectivity("Lyon"), make_collectivity("Villeurbanne")
    return {"lyon": lyon, "villeurbanne": villeurbanne, "agent": make_user(roles=[("agent", villeurbanne)]),
            "author": make_user(roles=[("representative", lyon)])}


@pytest.mark.parametrize("available_from, available_until", [
    (date(9999, 12, 31), None), (date(9999, 1, 1), date(9999, 12, 31)), (date(1, 1, 1), date(9999, 12, 31)),
])
def test_an_offer_dated_at_the_end_of_time_does_not_stop_the_refit(db, people, available_from, available_until):
    odd = factories.offer(people["agent"], people["villeurbanne"], subject=1, available_from=available_from,
                          available_until=available_until)
    good = factories.offer(people["agent"], people["villeurbanne"], subject=0)
    assert matching_index.refit("offers") == 2
    assert matching_index.offer_days_available(odd) >= 0
    # The next offer still gets its place in the index, and a need still gets its suggestions.
    matching_index.apply_change("offers", odd.id)
    need = factories.need(people["author"], people["lyon"], subject=0)
    suggestions.match_need(need.id)
    assert good.id in {s.offer_id for s in suggestions.for_need(need.id)}
