"""`/statistiques/`: figures by scope (public, coordinator, admin), filters kept in the URL, the map
data by département and région with its data table, and French errors for wrong filters."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from marketplace.core.extensions import db as _db
from marketplace.models import Departement, Pairing, Region
from marketplace.models.base import utcnow
from tests import pairing_world
from tests.pairing_world import need, offer, w  # noqa: F401 (fixture)


@pytest.fixture
def geography(db):
    db.session.add_all([Region(code="84", name="Auvergne-Rhône-Alpes", vintage="2026"),
                        Region(code="32", name="Hauts-de-France", vintage="2026")])
    db.session.add_all([Departement(code="69", name="Rhône", region_code="84", vintage="2026"),
                        Departement(code="59", name="Nord", region_code="32", vintage="2026")])
    db.session.commit()


@pytest.fixture
def activity(w, geography):
    """Lyon's need approved, a second need in Lille rejected with a reason, one old offer."""
    from marketplace.pairings.services import queue

    queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    lille_need = need(w["other_rep"], w["lille"], title="Conseil en achats publics")
    lille_offer = offer(w["agent"], w["home"], title="Ancienne offre")
    lille_offer.published_at = utcnow() - timedelta(days=400)
    suggestion = pairing_world.suggestion(w["offer"], lille_need)
    queue.decide(w["far_coordinator"], [suggestion.id], approve=False, reason="Hors du champ du besoin")
    _db.session.commit()
    return w


def map_data(page: str, name: str) -> dict:
    match = re.search(r"<map-chart data='([^']*)' value=\"\d+\" name=\"" + re.escape(name), page)
    assert match, f"no map for {name}"
    return json.loads(match.group(1).replace("&#34;", '"').replace("&quot;", '"'))


def test_public_page_shows_national_aggregates_without_reasons(client, activity):
    page = client.get("/statistiques/").get_data(as_text=True)
    assert "Chiffres agrégés de toute la France" in page
    assert map_data(page, "Offres publiées") == {"69": 2}
    assert map_data(page, "Besoins publiés") == {"59": 1, "69": 1}
    assert "Hors du champ du besoin" not in page  # free-text reasons are not public
    assert "<caption>Données de la carte par département</caption>" in page
    assert "<th scope=\"row\">59 Nord</th>" in page


def test_coordinator_sees_their_territory_and_the_reasons(client, login, activity):
    login(activity["far_coordinator"])
    page = client.get("/statistiques/").get_data(as_text=True)
    assert "Votre territoire : départements 59" in page
    assert map_data(page, "Besoins publiés") == {"59": 1}
    assert map_data(page, "Offres publiées") == {}  # no offer in the Nord
    assert "Hors du champ du besoin" in page


def test_admin_sees_everything_and_region_level(client, login, activity):
    login(activity["admin"])
    page = client.get("/statistiques/?carte=regions").get_data(as_text=True)
    assert map_data(page, "Besoins publiés") == {"32": 1, "84": 1}
    assert "Données de la carte par région" in page
    assert "Hors du champ du besoin" in page


def test_filters_restrict_the_figures_and_stay_in_the_links(client, activity):
    since = (utcnow() - timedelta(days=30)).date().isoformat()
    page = client.get(f"/statistiques/?du={since}&departement=69").get_data(as_text=True)
    assert map_data(page, "Offres publiées") == {"69": 1}  # the 400-day-old offer is out of the period
    assert map_data(page, "Besoins publiés") == {"69": 1}
    assert f"du={since}" in page and "departement=69" in page  # the map level links keep the filters


def test_counts_of_pairings_by_stage(client, login, activity):
    login(activity["admin"])
    page = client.get("/statistiques/").get_data(as_text=True)
    assert "Proposée, accords en cours" in page and "Écartée par la coordination" in page
    assert activity and _db.session.query(Pairing).count() == 2


@pytest.mark.parametrize("query, message", [
    ("du=2026-13-45", "Indiquez une date au format AAAA-MM-JJ."),
    ("du=9999-01-01", "Indiquez une date entre 2000 et 2100."),
    ("du=2026-05-01&au=2026-01-01", "La fin de la période doit suivre son début."),
    ("domaine=cuisine", "Domaine inconnu."),
    ("departement=ZZ", "Département inconnu."),
    ("region=ZZ%00", "Région inconnue."),  # NUL is dropped from query strings; ZZ stays unknown
])
def test_wrong_filters_get_a_french_message_not_an_error(client, geography, query, message):
    response = client.get(f"/statistiques/?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_empty_platform_says_there_is_no_data(client, geography):
    page = client.get("/statistiques/").get_data(as_text=True)
    assert "Aucune donnée pour ces filtres." in page


def test_menu_links_to_the_statistics(client, db):
    assert 'href="/statistiques/"' in client.get("/").get_data(as_text=True)
