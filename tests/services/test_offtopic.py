"""A pair rejected as off-topic is never suggested again (both directions, across refits) until lifted."""
from __future__ import annotations

import pytest

from marketplace.core.errors import NotAllowed, NotFound
from marketplace.learning import off_topic
from marketplace.models import DecisionLabel, OffTopicPair, Suggestion
from marketplace.pairings.services import queue, requests
from marketplace.suggestions import index as matching_index, services as suggestions
from tests.services.test_suggestions import index_dir  # noqa: F401  (autouse fixture: this test's index folder)
from tests.workers import factories


@pytest.fixture
def world(db, make_collectivity, make_user):
    lyon = make_collectivity("Lyon", latitude=45.76, longitude=4.83)
    villeurbanne = make_collectivity("Villeurbanne", latitude=45.77, longitude=4.88)
    agent = make_user(roles=[("agent", villeurbanne)])
    author = make_user(roles=[("representative", lyon)])
    coordinator = make_user(roles=[("coordinator", {"departements": ["69"]})])
    far = make_user(roles=[("coordinator", {"departements": ["59"]})])
    offer = factories.offer(agent, villeurbanne, subject=0)
    matching_index.apply_change("offers", offer.id)
    need = factories.need(author, lyon, subject=0)
    suggestions.match_need(need.id)
    suggestion = db.session.query(Suggestion).filter_by(offer_id=offer.id, need_id=need.id).one()
    return {"offer": offer, "need": need, "suggestion": suggestion, "coordinator": coordinator, "far": far,
            "author": author, "admin": make_user(roles=["admin"])}


def _pair_stored(db, w) -> bool:
    return db.session.query(Suggestion).filter_by(offer_id=w["offer"].id, need_id=w["need"].id).count() == 1


def test_off_topic_rejection_is_never_suggested_again(db, world):
    w = world
    queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason_code="off_topic")
    assert not _pair_stored(db, w)
    label = db.session.query(DecisionLabel).one()
    assert (label.reason_code, label.reason) == ("off_topic", "Hors sujet / sans rapport")
    # both directions of matching, then after refits of both indexes
    suggestions.match_need(w["need"].id)
    suggestions.match_offer(w["offer"].id)
    assert not _pair_stored(db, w)
    matching_index.refit("offers")
    matching_index.refit("needs")
    suggestions.match_need(w["need"].id)
    suggestions.match_offer(w["offer"].id)
    assert not _pair_stored(db, w)
    # shown nowhere: the queue, the host's list, the JSON feeds
    assert queue.queue(w["coordinator"]) == []
    assert requests.suggested(w["author"], w["need"].id)[1] == []
    assert suggestions.feed(w["need"], lambda other: "/") == [] and suggestions.feed(w["offer"], lambda o: "/") == []


def test_ordinary_rejection_keeps_the_pair_matchable(db, world):
    w = world
    queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="Pas cette année")
    suggestions.match_need(w["need"].id)
    assert _pair_stored(db, w) and db.session.query(OffTopicPair).count() == 0


def test_lift_brings_the_pair_back(db, world):
    w = world
    queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="Autre métier", reason_code="off_topic")
    [(pair, offer, need)] = off_topic.visible_to(w["coordinator"])
    assert (offer.id, need.id) == (w["offer"].id, w["need"].id)
    assert off_topic.visible_to(w["far"]) == []
    with pytest.raises(NotAllowed):
        off_topic.lift(w["far"], pair.id)
    with pytest.raises(NotAllowed):
        off_topic.lift(w["author"], pair.id)
    with pytest.raises(NotFound):
        off_topic.lift(w["admin"], 999999)
    off_topic.lift(w["coordinator"], pair.id)
    assert db.session.query(OffTopicPair).count() == 0
    # the need's matching task ran after the commit (Celery is eager in tests): the pair is back
    assert _pair_stored(db, w)


def test_admin_lifts_anywhere(db, world):
    w = world
    queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason_code="off_topic")
    [(pair, _o, _n)] = off_topic.visible_to(w["admin"])
    off_topic.lift(w["admin"], pair.id)
    assert off_topic.visible_to(w["admin"]) == []


def test_a_ruled_out_pair_leaves_its_place_to_the_next_candidate(app, db, world, make_collectivity, make_user):
    """The top k are chosen after the off-topic pairs are set aside, not cut first then filtered:
    a need keeps k suggestions while other candidates qualify."""
    w = world
    app.config["MATCHING_TOP_K"] = 1
    bron = make_collectivity("Bron", latitude=45.74, longitude=4.91)
    second = factories.offer(make_user(roles=[("agent", bron)]), bron, subject=0)
    matching_index.apply_change("offers", second.id)
    suggestions.match_need(w["need"].id)
    [first] = db.session.query(Suggestion).filter_by(need_id=w["need"].id).all()
    queue.decide(w["coordinator"], [first.id], approve=False, reason_code="off_topic")
    suggestions.match_need(w["need"].id)
    [kept] = db.session.query(Suggestion).filter_by(need_id=w["need"].id).all()
    assert kept.offer_id != first.offer_id
