"""Suggestions: hard rules, idempotent storage, index versioning, coordinators notified."""
from __future__ import annotations

import pytest

from marketplace.models import Notification, OutboxEmail, Suggestion, TaskIntent
from marketplace.suggestions import index as matching_index, services as suggestions
from tests.workers import factories

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py


@pytest.fixture(autouse=True)
def index_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


@pytest.fixture
def world(make_collectivity, make_user):
    lyon = make_collectivity("Lyon", latitude=45.76, longitude=4.83)
    villeurbanne = make_collectivity("Villeurbanne", latitude=45.77, longitude=4.88)
    lille = make_collectivity("Lille", departements=("59",), regions=("32",), latitude=50.63, longitude=3.06)
    agent = make_user(roles=[("agent", villeurbanne)])
    far_agent = make_user(roles=[("agent", lille)])
    author = make_user(roles=[("representative", lyon)])
    return {"lyon": lyon, "villeurbanne": villeurbanne, "lille": lille, "agent": agent,
            "far_agent": far_agent, "author": author}


def _index_offers(*offers):
    for item in offers:
        matching_index.apply_change("offers", item.id)


def _pairs(db):
    return sorted((s.offer_id, s.need_id) for s in db.session.query(Suggestion))


def test_need_gets_matching_offer_with_reasons(db, world):
    good = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    other = factories.offer(world["agent"], world["villeurbanne"], subject=2)
    _index_offers(good, other)
    need = factories.need(world["author"], world["lyon"], subject=0)
    suggestions.match_need(need.id)
    found = suggestions.for_need(need.id)
    assert found and found[0].offer_id == good.id
    assert found[0].score > 0 and "urbanisme" in " ".join(found[0].reasons["words"] + found[0].reasons["tags"])


def test_running_twice_changes_nothing(db, world):
    _index_offers(*(factories.offer(world["agent"], world["villeurbanne"], subject=s) for s in range(4)))
    need = factories.need(world["author"], world["lyon"], subject=1)
    first = suggestions.match_need(need.id)
    before = [(s.offer_id, s.need_id, s.score, s.reasons) for s in suggestions.for_need(need.id)]
    second = suggestions.match_need(need.id)
    after = [(s.offer_id, s.need_id, s.score, s.reasons) for s in suggestions.for_need(need.id)]
    assert first and second == [] and before == after
    assert len(_pairs(db)) == len(set(_pairs(db)))


def test_never_own_collectivity(db, world, make_user):
    colleague = make_user(roles=[("agent", world["lyon"])])
    own = factories.offer(colleague, world["lyon"], subject=0)
    _index_offers(own)
    need = factories.need(world["author"], world["lyon"], subject=0)
    assert suggestions.match_need(need.id) == []


def test_days_rule(db, world):
    small = factories.offer(world["agent"], world["villeurbanne"], subject=0, days_per_month=0.5)
    _index_offers(small)
    big_need = factories.need(world["author"], world["lyon"], subject=0, estimated_days=200)
    assert suggestions.match_need(big_need.id) == []
    small_need = factories.need(world["author"], world["lyon"], subject=0, estimated_days=2)
    assert suggestions.match_need(small_need.id) == [small.id]


def test_modality_and_distance_rules(db, world):
    remote_only = factories.offer(world["far_agent"], world["lille"], subject=0, modality="remote")
    on_site_far = factories.offer(world["far_agent"], world["lille"], subject=0, modality="on_site",
                                  max_distance_km=50)
    on_site_near = factories.offer(world["agent"], world["villeurbanne"], subject=0, modality="on_site",
                                   max_distance_km=50)
    _index_offers(remote_only, on_site_far, on_site_near)
    need = factories.need(world["author"], world["lyon"], subject=0, modality="on_site")
    assert suggestions.match_need(need.id) == [on_site_near.id]


def test_offer_side_matching_and_withdrawal(db, world):
    need = factories.need(world["author"], world["lyon"], subject=3)
    matching_index.apply_change("needs", need.id)
    offer = factories.offer(world["agent"], world["villeurbanne"], subject=3)
    assert suggestions.match_offer(offer.id) == [need.id]
    offer.status = "paused"
    db.session.commit()
    suggestions.match_offer(offer.id)
    assert _pairs(db) == []
    assert offer.id not in matching_index.current("offers")


def test_offer_side_respects_days(db, world):
    need = factories.need(world["author"], world["lyon"], subject=3, estimated_days=300)
    matching_index.apply_change("needs", need.id)
    offer = factories.offer(world["agent"], world["villeurbanne"], subject=3, days_per_month=1)
    assert suggestions.match_offer(offer.id) == []


def test_closed_need_loses_its_suggestions(db, world):
    _index_offers(factories.offer(world["agent"], world["villeurbanne"], subject=0))
    need = factories.need(world["author"], world["lyon"], subject=0)
    assert suggestions.match_need(need.id)
    need.status = "closed"
    db.session.commit()
    assert suggestions.match_need(need.id) == [] and _pairs(db) == []


def test_index_version_and_stale_reload(db, world):
    first = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    _index_offers(first)
    engine = matching_index.current("offers")
    assert first.id in engine
    # Another process changed the index: this process's cache is stale and must reload.
    matching_index.reset_cache()
    second = factories.offer(world["agent"], world["villeurbanne"], subject=1)
    _index_offers(second)
    matching_index._CACHE["offers"] = engine  # the engine it had before: one change behind
    assert second.id in matching_index.current("offers")


def test_refit_when_a_tenth_changed(app, db, world):
    app.config["MATCHING_INLINE_REFIT_BELOW"] = 0  # a big index: changes are incremental
    offers = [factories.offer(world["agent"], world["villeurbanne"], subject=s) for s in range(3)]
    assert matching_index.refit("offers") == 3
    assert matching_index.refit("offers", force=False) is None
    extra = factories.offer(world["agent"], world["villeurbanne"], subject=4)
    assert matching_index.apply_change("offers", extra.id) is True  # 1 change > 10 % of 3
    assert matching_index.refit("offers", force=False) == 4
    assert {o.id for o in offers} | {extra.id} == set(matching_index.current("offers").ids_)


def test_small_index_is_refitted_at_once(db, world):
    first = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    assert matching_index.apply_change("offers", first.id) is False
    state = matching_index._state("offers")
    assert state.size_at_refit == 1 and state.changes_since_refit == 0


def test_coordinators_of_the_territory_are_notified(db, world, make_user):
    inside = make_user(roles=[("coordinator", {"departements": ["69"]})])
    outside = make_user(roles=[("coordinator", {"departements": ["59"]})])
    _index_offers(factories.offer(world["agent"], world["villeurbanne"], subject=0))
    need = factories.need(world["author"], world["lyon"], subject=0)
    suggestions.match_need(need.id)
    suggestions.match_need(need.id)
    notes = db.session.query(Notification).all()
    assert [n.user_id for n in notes] == [inside.id]
    emails = db.session.query(OutboxEmail).all()
    assert [e.to for e in emails] == [inside.email] and emails[0].kind == "suggestions"
    assert outside.id not in {n.user_id for n in notes}


def test_enqueue_matching_writes_intent_and_runs_eagerly(db, world):
    _index_offers(factories.offer(world["agent"], world["villeurbanne"], subject=0))
    need = factories.need(world["author"], world["lyon"], subject=0, commit=False)
    suggestions.enqueue_matching(need)
    assert db.session.query(TaskIntent).count() == 1
    db.session.commit()  # eager Celery: the task runs after the commit and deletes its intent
    db.session.expire_all()
    assert db.session.query(TaskIntent).count() == 0
    assert suggestions.for_need(need.id)


def test_enqueue_matching_skips_drafts(db, world):
    need = factories.need(world["author"], world["lyon"], status="draft", commit=False)
    suggestions.enqueue_matching(need)
    db.session.commit()
    assert db.session.query(TaskIntent).count() == 0


def test_publishing_through_the_listings_service_stores_suggestions(db, world):
    from marketplace.listings import services as listings

    _index_offers(factories.offer(world["agent"], world["villeurbanne"], subject=0))
    need = factories.need(world["author"], world["lyon"], subject=0, status="draft")
    assert suggestions.for_need(need.id) == []
    listings.change_need_status(need, "open", world["author"])  # eager Celery: matched after commit
    assert [s.need_id for s in suggestions.for_need(need.id)] == [need.id]
    assert db.session.query(TaskIntent).count() == 0
    listings.change_need_status(need, "closed", world["author"])
    assert suggestions.for_need(need.id) == []


def test_first_use_builds_an_index_never_built(db, world):
    # Offers loaded without the listings service (seed-demo, imports): no index file yet.
    offer = factories.offer(world["agent"], world["villeurbanne"], subject=0)
    need = factories.need(world["author"], world["lyon"], subject=0)
    assert suggestions.match_need(need.id) == [offer.id]
