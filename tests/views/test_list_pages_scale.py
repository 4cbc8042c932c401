"""The offers and needs lists at national scale (issue 13): what one view of a list asks the
database, whatever the number of cards, and the same page whichever query plan serves it."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from marketplace.listings import services as listings
from marketplace.models import Departement, Region, User


@contextmanager
def statements(db):
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


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
