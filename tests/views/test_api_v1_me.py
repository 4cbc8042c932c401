"""The token holder's own data: offers and needs through the listing services (same rules as the
pages), the suggestions they may see, their pairings; bad bodies get 400 with the field."""
from __future__ import annotations

from datetime import date

import pytest

from marketplace.models import Need, Pairing, SkillOffer
from tests.views import api_v1_world
from tests.views.api_v1_world import bearer, token_for


@pytest.fixture
def world(make_collectivity, make_user):
    return api_v1_world.build(make_collectivity, make_user)


@pytest.fixture
def agent(world):
    return bearer(token_for(world["agent"], "write"))


def offer_body(world, **changes):
    body = {"title": "Conseil en commande publique", "description": "Deux jours par mois", "tags": ["achats"],
            "domain": "marches_publics", "modality": "remote", "collectivity_id": world["home"].id,
            "days_per_month": 2}
    body.update(changes)
    return body


def test_agent_lists_own_offers_only(client, world, agent, db):
    other = SkillOffer(title="Offre d'un autre", domain="culture", modality="remote", status="draft",
                       agent=world["approver"], collectivity=world["home"], days_per_month=1, tags=[])
    db.session.add(other)
    db.session.commit()
    body = client.get("/api/v1/me/offres", headers=agent).get_json()
    assert [item["title"] for item in body["items"]] == ["Accompagnement marchés publics"]
    assert body["items"][0]["allowed_moves"] == ["paused", "archived"]
    assert client.get(f"/api/v1/me/offres/{other.id}", headers=agent).status_code == 404


def test_create_a_draft_then_publish_it(client, world, agent, db):
    created = client.post("/api/v1/me/offres", json=offer_body(world), headers=agent)
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["status"] == "draft" and item["tags"] == ["achats"]
    moved = client.post(f"/api/v1/me/offres/{item['id']}/statut", json={"status": "published"}, headers=agent)
    assert moved.status_code == 200 and moved.get_json()["status"] == "published"
    assert moved.get_json()["published_at"] is not None
    assert db.session.get(SkillOffer, item["id"]).status == "published"


def test_create_and_publish_at_once(client, world, agent):
    created = client.post("/api/v1/me/offres", json=offer_body(world, publish=True), headers=agent)
    assert created.status_code == 201 and created.get_json()["status"] == "published"


def test_patch_changes_only_the_fields_sent(client, world, agent, db):
    offer = world["offer"]
    response = client.patch(f"/api/v1/me/offres/{offer.id}", json={"days_per_month": 3.5}, headers=agent)
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    stored = db.session.get(SkillOffer, offer.id)
    assert stored.days_per_month == 3.5 and stored.title == "Accompagnement marchés publics"
    assert stored.description == "Rédaction de cahiers des charges"


def test_service_refusals_come_back_as_400_with_their_field(client, world, agent):
    short = client.post("/api/v1/me/offres", json=offer_body(world, title="Abc"), headers=agent)
    assert short.status_code == 400
    assert short.get_json() == {"error": "Le titre doit faire entre 5 et 200 caractères.", "field": "title"}
    elsewhere = client.post("/api/v1/me/offres", json=offer_body(world, collectivity_id=world["lille"].id),
                            headers=agent)
    assert elsewhere.status_code == 400 and elsewhere.get_json()["field"] == "collectivity_id"
    too_many_days = client.post("/api/v1/me/offres", json=offer_body(world, days_per_month=30), headers=agent)
    assert too_many_days.status_code == 400 and too_many_days.get_json()["field"] == "days_per_month"
    move = client.post(f"/api/v1/me/offres/{world['offer'].id}/statut", json={"status": "draft"}, headers=agent)
    assert move.status_code == 400 and "Passage impossible" in move.get_json()["error"]


def test_unverified_user_cannot_publish_as_on_the_pages(client, world, make_user):
    newcomer = make_user(roles=[("agent", world["home"])], verified=False)
    headers = bearer(token_for(newcomer, "write"))
    response = client.post("/api/v1/me/offres", json=offer_body(world, publish=True), headers=headers)
    assert response.status_code == 400
    assert "Confirmez votre adresse" in response.get_json()["error"]


def test_someone_elses_offer_cannot_be_changed(client, world):
    headers = bearer(token_for(world["representative"], "write"))
    offer = world["offer"]
    assert client.patch(f"/api/v1/me/offres/{offer.id}", json={"title": "Volée !"}, headers=headers).status_code == 404
    assert client.post(f"/api/v1/me/offres/{offer.id}/statut", json={"status": "archived"},
                       headers=headers).status_code == 404


def test_administrator_may_change_any_offer_as_on_the_pages(client, world, db):
    headers = bearer(token_for(world["admin"], "write"))
    response = client.post(f"/api/v1/me/offres/{world['offer'].id}/statut", json={"status": "paused"}, headers=headers)
    assert response.status_code == 200


def test_representative_creates_a_need(client, world):
    headers = bearer(token_for(world["representative"], "write"))
    body = {"title": "Étude de mobilité douce", "domain": "mobilite", "modality": "hybrid",
            "collectivity_id": world["host"].id, "estimated_days": 12, "start_date": "2030-01-15",
            "deadline": "2030-06-30"}
    created = client.post("/api/v1/me/besoins", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["start_date"] == "2030-01-15"
    reversed_dates = client.post("/api/v1/me/besoins", json={**body, "deadline": "2029-01-01"}, headers=headers)
    assert reversed_dates.status_code == 400 and reversed_dates.get_json()["field"] == "deadline"
    # An agent without a representative role cannot create needs.
    agent_headers = bearer(token_for(world["agent"], "write"))
    refused = client.post("/api/v1/me/besoins", json={**body, "collectivity_id": world["home"].id}, headers=agent_headers)
    assert refused.status_code == 400 and refused.get_json()["field"] == "collectivity_id"


BAD_BODIES = [
    ("not json at all {", None, "JSON"),
    ("[1, 2, 3]", None, "objet JSON"),
    ({"title": 12}, "title", "texte"),
    ({"days_per_month": "deux"}, "days_per_month", "nombre"),
    ({"days_per_month": 10**400}, "days_per_month", "nombre"),
    ({"collectivity_id": 2**70}, "collectivity_id", "comprise entre"),
    ({"collectivity_id": 2**31}, "collectivity_id", "comprise entre"),
    ({"collectivity_id": 1.5}, "collectivity_id", "entier"),
    ({"max_distance_km": 10**30}, "max_distance_km", "comprise entre"),
    ({"title": "x" * 201}, "title", "200"),
    ({"description": "x" * 10_001}, "description", "10000"),
    ({"tags": ["x" * 51]}, "tags.0", "50"),
    ({"tags": "achats"}, "tags", "liste"),
    ({"title": "Nul\x00 caractère"}, "title", "contrôle"),
    ({"domain": "astrologie"}, "domain", "Valeurs possibles"),
    ({"available_from": "2030-02-30"}, "available_from", "date"),
    ({"publish": "peut-être"}, "publish", "true ou false"),
    ({"is_admin": True}, "is_admin", "pas reconnu"),
    ({"title": None}, "title", "nul"),
]


@pytest.mark.parametrize("changes, field, words", BAD_BODIES)
def test_bad_bodies_get_400_with_a_french_message(client, world, agent, db, changes, field, words):
    before = db.session.query(SkillOffer).count()
    if isinstance(changes, str):
        response = client.post("/api/v1/me/offres", data=changes, content_type="application/json", headers=agent)
    else:
        response = client.post("/api/v1/me/offres", json=offer_body(world, **changes), headers=agent)
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["field"] == field
    assert words.lower() in body["error"].lower()
    assert db.session.query(SkillOffer).count() == before


def test_bad_patch_keeps_what_was_saved(client, world, agent, db):
    offer = world["offer"]
    response = client.patch(f"/api/v1/me/offres/{offer.id}", json={"title": "x" * 300}, headers=agent)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(SkillOffer, offer.id).title == "Accompagnement marchés publics"


@pytest.mark.parametrize("item_id", ["0", str(2**31), str(2**63 - 2), str(2**63), str(10**30)])
def test_ids_beyond_the_database_are_404(client, world, agent, item_id):
    # Ids are PostgreSQL `integer` columns: beyond 2**31 - 1 psycopg refuses the query (found by
    # the contract test on PostgreSQL); such an id simply does not exist.
    response = client.get(f"/api/v1/me/offres/{item_id}", headers=agent)
    assert response.status_code == 404 and response.is_json
    moved = client.post(f"/api/v1/me/offres/{item_id}/statut", json={"status": "paused"}, headers=agent)
    assert moved.status_code == 404 and moved.is_json


@pytest.mark.parametrize("query", [f"need_id={2**31}", f"offer_id={2**63 - 2}", "offer_id=0"])
def test_suggestion_filters_beyond_the_database_are_refused(client, world, agent, query):
    response = client.get(f"/api/v1/me/suggestions?{query}", headers=agent)
    assert response.status_code == 400 and response.get_json()["field"] in ("need_id", "offer_id")


def test_suggestions_the_user_may_see(client, world):
    for who in ("agent", "representative"):
        body = client.get("/api/v1/me/suggestions", headers=bearer(token_for(world[who], "read"))).get_json()
        assert body["total"] == 1
        assert body["items"][0]["offer"]["title"] == "Accompagnement marchés publics"
        assert body["items"][0]["need"]["title"] == "Refonte de nos marchés"
    stranger = client.get("/api/v1/me/suggestions", headers=bearer(token_for(world["other_rep"], "read"))).get_json()
    assert stranger["total"] == 0
    filtered = client.get(f"/api/v1/me/suggestions?need_id={world['need'].id + 1}",
                          headers=bearer(token_for(world["agent"], "read"))).get_json()
    assert filtered["total"] == 0


def test_pairings_and_their_status(client, world, db):
    pairing = Pairing(offer_id=world["offer"].id, need_id=world["need"].id, status="proposed")
    db.session.add(pairing)
    db.session.commit()
    body = client.get("/api/v1/me/rapprochements", headers=bearer(token_for(world["agent"], "read"))).get_json()
    assert body["total"] == 1
    assert body["items"][0]["status"] == "proposed" and body["items"][0]["parties"] == ["agent"]
    host = client.get("/api/v1/me/rapprochements", headers=bearer(token_for(world["representative"], "read")))
    assert host.get_json()["items"][0]["parties"] == ["host"]
    stranger = client.get("/api/v1/me/rapprochements", headers=bearer(token_for(world["other_rep"], "read")))
    assert stranger.get_json()["total"] == 0


def test_need_status_moves_follow_the_table(client, world):
    headers = bearer(token_for(world["representative"], "write"))
    need = world["need"]
    closed = client.post(f"/api/v1/me/besoins/{need.id}/statut", json={"status": "closed"}, headers=headers)
    assert closed.status_code == 200 and closed.get_json()["allowed_moves"] == []
    edit = client.patch(f"/api/v1/me/besoins/{need.id}", json={"estimated_days": 3}, headers=headers)
    assert edit.status_code == 400 and "clos" in edit.get_json()["error"]
    assert Need  # the model is used by the factories


def test_dates_in_the_past_are_refused_unless_already_stored(client, world, agent, db):
    past = client.post("/api/v1/me/offres", json=offer_body(world, available_from="2020-01-01"), headers=agent)
    assert past.status_code == 400 and past.get_json()["field"] == "available_from"
    need = world["need"]
    headers = bearer(token_for(world["representative"], "write"))
    moved = client.patch(f"/api/v1/me/besoins/{need.id}", json={"start_date": "2021-05-01"}, headers=headers)
    assert moved.status_code == 400 and moved.get_json()["field"] == "start_date"
    # A start date that has passed since it was saved does not block other changes.
    need.start_date = date(2021, 5, 1)
    db.session.commit()
    kept = client.patch(f"/api/v1/me/besoins/{need.id}", json={"estimated_days": 4}, headers=headers)
    assert kept.status_code == 200, kept.get_json()
