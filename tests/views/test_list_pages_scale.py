"""The offers and needs lists at national scale (issue 13): what one view of a list asks the
database, whatever the number of cards, and the same page whichever query plan serves it."""
from __future__ import annotations

import re

import pytest

from marketplace.listings import services as listings
from marketplace.models import Departement, Region, User
from tests.sql_statements import statements


@pytest.fixture
def world(db, make_collectivity, make_user):
    db.session.add(Region(code="84", name="Auvergne-Rhône-Alpes", vintage="2026"))
    db.session.add(Departement(code="69", name="Rhône", region_code="84", vintage="2026"))
    db.session.commit()
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    agent = make_user(roles=[("agent", lyon)])
    rep = make_user(roles=[("representative", lyon)])
    return {"lyon": lyon.id, "agent": agent.id, "rep": rep.id}


def publish(db, world, kind, n, start=0):
    agent, rep = db.session.get(User, world["agent"]), db.session.get(User, world["rep"])
    for i in range(start, start + n):
        data = {"collectivity_id": world["lyon"], "title": f"Annonce numéro {i}", "description": "Texte",
                "tags": [], "domain": "numerique", "modality": "remote"}
        if kind == "offres":
            listings.create_offer(agent, {**data, "days_per_month": 2.0}, publish=True)
        else:
            listings.create_need(rep, {**data, "estimated_days": 10.0}, publish=True)


def view(client, db, path):
    """A second view of a page (the first one fills the minute caches), as a fresh process would
    load its rows: nothing kept in the session between requests."""
    client.get(path)
    db.session.expunge_all()
    with statements(db) as seen:
        response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True), seen


@pytest.mark.parametrize("kind", ["offres", "besoins"])
def test_a_list_view_reads_the_cards_and_nothing_else(client, db, world, kind):
    publish(db, world, kind, 25)
    page, seen = view(client, db, f"/{kind}/")
    assert page.count('class="fr-card ') == 20
    # The page of ids joined to its rows and their collectivity, then the collectivities'
    # départements: neither the authors' accounts nor their roles, nor the reference lists (kept
    # a minute), nor the total (kept a minute).
    assert len(seen) == 2, seen
    assert not [s for s in seen if re.search(r"\b(users|role_assignments|regions|departements)\b", s)], seen


@pytest.mark.parametrize("kind", ["offres", "besoins"])
def test_statements_do_not_grow_with_the_cards(client, db, world, kind):
    publish(db, world, kind, 2)
    _page, few = view(client, db, f"/{kind}/")
    publish(db, world, kind, 30, start=2)
    _page, many = view(client, db, f"/{kind}/?page=2")
    assert len(few) == len(many)


def test_cards_show_the_collectivity_and_its_departements(client, db, world, make_collectivity):
    metropole = make_collectivity("Métropole de Lyon", kind="epci", departements=("69", "01"), regions=("84",))
    agent = db.session.get(User, world["agent"])
    agent.roles[0].collectivity = metropole
    db.session.commit()
    listings.create_offer(agent, {"collectivity_id": metropole.id, "title": "Offre de la métropole",
                                           "description": "Texte", "tags": [], "domain": "numerique",
                                           "modality": "remote", "days_per_month": 2.5}, publish=True)
    page, _seen = view(client, db, "/offres/")
    assert "Métropole de Lyon (01, 69) · 2,5 jour(s) par mois" in page


# --- cards kept rendered per process ---------------------------------------------------------------


def cards(page: str) -> list[str]:
    return re.findall(r'<div class="fr-card .*?</div>\s*</div>\s*</div>', page, flags=re.S)


def test_cards_are_kept_and_served_identical(app, client, db, world):
    publish(db, world, "offres", 3)
    first = client.get("/offres/").get_data(as_text=True)
    assert len(app.extensions["listing_cards"]) == 3
    assert cards(client.get("/offres/").get_data(as_text=True)) == cards(first)
    app.config["LIST_CARD_CACHE_SIZE"] = 0  # this test's own app
    assert cards(client.get("/offres/").get_data(as_text=True)) == cards(first)


def test_a_kept_card_shows_every_change_at_once(client, db, world):
    from marketplace.models import Collectivity, SkillOffer

    publish(db, world, "offres", 1)
    assert "Lyon (69)" in client.get("/offres/").get_data(as_text=True)
    lyon = db.session.get(Collectivity, world["lyon"])
    lyon.name = "Lyon 1er"  # the offers themselves are not touched (their updated_at neither)
    lyon.set_territory(("69", "01"), ("84",))
    db.session.commit()
    page = client.get("/offres/").get_data(as_text=True)
    assert "Lyon 1er (01, 69)" in page
    offer = db.session.scalars(db.select(SkillOffer)).one()
    offer.title, offer.days_per_month = "Titre corrigé de cette offre", 3.5
    db.session.commit()
    page = client.get("/offres/").get_data(as_text=True)
    assert "Titre corrigé de cette offre" in page and "3,5 jour(s) par mois" in page


def test_cards_are_kept_per_language(app, client, db, world):
    publish(db, world, "offres", 1)
    french = client.get("/offres/").get_data(as_text=True)
    english = client.get("/offres/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2 jour(s) par mois" in french and "jour(s) par mois" not in english
    assert len(app.extensions["listing_cards"]) == 2


def test_the_cache_holds_at_most_its_size(app, client, db, world):
    app.config["LIST_CARD_CACHE_SIZE"] = 5
    publish(db, world, "offres", 12)
    client.get("/offres/")
    assert len(app.extensions["listing_cards"]) == 5
