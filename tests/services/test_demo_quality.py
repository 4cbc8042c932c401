"""The six named demo needs get top fives a civil servant would accept (issue 12, "Done when").

Acceptable offers are labelled by hand in tests/tools/demo_labels.py, from the offer's skill
domain and themes, never from the engine's output. The explanations shown for those five must
read as plain words.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core import taxonomy
from marketplace.demo.seed import seed_demo
from marketplace.demo.showcase import SHOWCASE_NEEDS
from marketplace.models import Need, SkillOffer, Suggestion
from marketplace.suggestions import index as matching_index, services as suggestions
from matching import DEFAULT_MIN_SCORE
from matching.text import is_stop_word, surface_tokens
from tests.tools.demo_labels import ACCEPTABLE, REGION_NAMES


@pytest.fixture
def matched(app, db):
    """The seeded demo, its indexes fitted and the six showcase needs matched: {key: (need, top five)}."""
    matching_index.reset_cache()
    seed_demo()
    for kind in ("offers", "needs"):
        matching_index.refit(kind, force=True)
    found = {}
    for written in SHOWCASE_NEEDS:
        need = db.session.scalar(select(Need).where(Need.title == written.title))
        suggestions.match_need(need.id)
        found[written.key] = (need, suggestions.for_need(need.id)[:5])
    yield found
    matching_index.reset_cache()


def test_labels_cover_the_six_needs():
    assert set(ACCEPTABLE) == {need.key for need in SHOWCASE_NEEDS}


def test_each_showcase_need_gets_a_top_five_a_civil_servant_accepts(db, matched):
    for key, (need, top) in matched.items():
        offers = [db.session.get(SkillOffer, row.offer_id) for row in top]
        accepted = [offer.title for offer in offers if ACCEPTABLE[key](offer.domain, offer.tags)]
        assert len(top) >= 4, (key, [o.title for o in offers])
        assert len(accepted) >= 4, (key, [(o.domain, o.title) for o in offers])
        assert all(row.score >= DEFAULT_MIN_SCORE for row in top), key
        assert all(offer.collectivity_id != need.collectivity_id for offer in offers)


def test_explanations_quote_no_stop_word_no_region_and_no_key(db, matched):
    for key, (need, top) in matched.items():
        assert all(isinstance(row, Suggestion) for row in top)
        quoted_any = False
        for row in top:
            offer = db.session.get(SkillOffer, row.offer_id)
            view = suggestions.explained_reasons(row, need, offer)
            for quoted in view["words"]:
                words = surface_tokens(quoted)
                assert words and not is_stop_word(words[0]) and not is_stop_word(words[-1]), (key, quoted)
                assert not any(region in quoted.lower() for region in REGION_NAMES), (key, quoted)
                quoted_any = True
            for label in view["tags"]:
                assert label not in taxonomy.DOMAINS and "_" not in label, (key, label)
        assert quoted_any or all(view["tags"] for view in [suggestions.explained_reasons(
            row, need, db.session.get(SkillOffer, row.offer_id)) for row in top]), key
