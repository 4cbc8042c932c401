"""Issue 12 §1 on the pages: no-match advice, exclusions in plain French for the right people,
labels instead of keys, places only when the modality makes them relevant."""
from __future__ import annotations

import pytest

from marketplace.core.extensions import db
from marketplace.models import Suggestion
from marketplace.suggestions import index as matching_index
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)
from tests.workers import factories

NO_AGENT = "Aucun agent ne correspond encore à ce besoin."


@pytest.fixture(autouse=True)
def index_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


@pytest.fixture
def far(make_collectivity, make_user):
    """An urbanism need in Lyon (on site) and the matching offer of a Grenoble agent who goes 50 km at most."""
    lyon = make_collectivity("Lyon", latitude=45.76, longitude=4.83)
    grenoble = make_collectivity("Grenoble", departements=("38",), latitude=45.19, longitude=5.72)
    people = {"author": make_user(roles=[("representative", lyon)]),
              "agent": make_user(roles=[("agent", grenoble)]),
              "coordinator": make_user(roles=[("coordinator", {"departements": ["69"]})]),
              "isere": make_user(roles=[("coordinator", {"departements": ["38"]})]),
              "stranger": make_user(roles=[("representative", grenoble)]),
              "admin": make_user(roles=["admin"])}
    people["offer"] = factories.offer(people["agent"], grenoble, subject=0, modality="on_site", max_distance_km=50)
    matching_index.apply_change("offers", people["offer"].id)
    people["need"] = factories.need(people["author"], lyon, subject=0, modality="on_site")
    matching_index.apply_change("needs", people["need"].id)
    return people


def test_need_without_suggestion_says_so_with_advice(client, login, far):
    login(far["author"])
    page = client.get(f"/besoins/{far['need'].id}").get_data(as_text=True)
    assert NO_AGENT in page and "data-suggestions-empty>" in page  # shown, not hidden
    assert "acceptez un agent venant de plus loin" in page and "vous serez prévenu" in page


def test_need_with_suggestions_hides_the_advice(client, login, far):
    db.session.add(Suggestion(offer_id=far["offer"].id, need_id=far["need"].id, score=0.5, reasons={}))
    db.session.commit()
    login(far["author"])
    page = client.get(f"/besoins/{far['need'].id}").get_data(as_text=True)
    assert "data-suggestions-empty hidden>" in page


def test_owner_coordinator_and_admin_read_why_the_close_agent_is_excluded(client, login, far):
    url = f"/besoins/{far['need'].id}"
    for who in ("author", "coordinator", "admin"):
        login(far[who])
        page = client.get(url).get_data(as_text=True)
        assert "1 agent proche de ce besoin est exclu :" in page, who
        assert "trop loin (" in page and "km pour 50 km acceptés)" in page, who
        client.client.delete_cookie("session")  # the next one logs in afresh


def test_anonymous_and_unrelated_users_do_not_see_exclusions(client, login, far):
    url = f"/besoins/{far['need'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "révision du plan local" in page and "sont exclus" not in page and "est exclu" not in page
    login(far["stranger"])
    assert "est exclu" not in client.get(url).get_data(as_text=True)


def test_offer_page_tells_its_agent_and_coordinator_which_need_is_too_far(client, login, far):
    url = f"/offres/{far['offer'].id}"
    for who in ("agent", "isere"):
        login(far[who])
        page = client.get(url).get_data(as_text=True)
        assert "1 besoin proche de votre offre est exclu :" in page, who
        assert "km pour 50 km acceptés" in page
        client.client.delete_cookie("session")
    assert "est exclu" not in client.get(url).get_data(as_text=True)


def test_feed_gives_labels_and_hides_places_for_remote_work(client, login, w):
    w["suggestion"].reasons = {"words": ["marchés"], "tags": ["marches_publics"], "distance_km": 12.5}
    db.session.commit()
    login(w["representative"])
    data = client.get(f"/notifications/suggestions/besoins/{w['need'].id}.json").get_json()
    reasons = data["suggestions"][0]["reasons"]
    assert reasons["tags"] == ["Marchés publics et achats"]
    assert reasons["distance_km"] is None and reasons["collectivity"] is None  # both sides are remote


def test_feed_names_the_collectivity_and_distance_on_site(client, login, w):
    w["need"].modality = w["offer"].modality = "on_site"
    db.session.commit()
    login(w["representative"])
    reasons = client.get(f"/notifications/suggestions/besoins/{w['need'].id}.json").get_json()["suggestions"][0]["reasons"]
    assert reasons["collectivity"] == "Villeurbanne" and reasons["distance_text"] == "12 km"


def test_coordinator_view_uses_labels_and_lists_exclusions(client, login, w, make_collectivity, make_user):
    w["suggestion"].reasons = {"words": ["marchés"], "tags": ["marches_publics"], "distance_km": 12.5}
    w["need"].modality = "on_site"
    db.session.commit()
    grenoble = make_collectivity("Grenoble", departements=("38",), latitude=45.19, longitude=5.72)
    far_agent = make_user(roles=[("agent", grenoble)])
    far_offer = pw.offer(far_agent, grenoble)
    far_offer.modality, far_offer.max_distance_km = "on_site", 30
    db.session.commit()
    matching_index.apply_change("offers", far_offer.id)
    matching_index.apply_change("offers", w["offer"].id)
    login(w["coordinator"])
    page = client.get(f"/coordination/suggestions/{w['suggestion'].id}").get_data(as_text=True)
    assert "Marchés publics et achats" in page and "marches_publics" not in page
    assert "agent proche de ce besoin est exclu" in page or "agents proches de ce besoin sont exclus" in page
    assert "km pour 30 km acceptés" in page


def test_draft_need_explains_that_suggestions_come_once_open(client, login, far):
    draft = factories.need(far["author"], far["need"].collectivity, subject=0, modality="on_site", status="draft")
    login(far["author"])
    page = client.get(f"/besoins/{draft.id}").get_data(as_text=True)
    assert "tant que le besoin est ouvert" in page
    assert NO_AGENT not in page and "est exclu" not in page
