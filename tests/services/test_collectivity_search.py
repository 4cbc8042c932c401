"""Finding collectivities by name, postal code, INSEE code and SIREN, on the fixture geography."""
import pytest
from sqlalchemy import select

from marketplace.models import Collectivity
from marketplace.geography.search import (
    InvalidSearch,
    api_search,
    resolve_collectivity,
    search_collectivities,
)
from tests.fixtures.geo import import_fixture


@pytest.fixture
def geography(app, db):
    import_fixture()
    with app.test_request_context():  # labels are translated: Babel needs a request
        yield


def codes(results):
    return [r["code"] for r in results]


def test_name_is_accent_and_case_insensitive(geography):
    assert codes(search_collectivities("MACON")) == ["71270"]
    assert codes(search_collectivities("saint denis", kinds=["commune"])) == ["93066"]
    assert codes(search_collectivities("Saint-Dénis", kinds=["commune"])) == ["93066"]


def test_prefix_matches_come_first_then_population(geography):
    results = search_collectivities("lyon")
    # Lyon (prefix, commune) before the Métropole de Lyon (contains "lyon" further on)
    assert codes(results)[:2] == ["69123", "200046977"]
    # names starting with "b" by population, then names containing it (Villeurbanne is bigger)
    assert codes(search_collectivities("b", kinds=["commune"])) == [
        "93008", "01053", "21054", "97105", "69266", "01004",
    ]


def test_result_shape_and_label(geography):
    (lyon,) = search_collectivities("lyon", kinds=["commune"])
    assert set(lyon) == {"id", "kind", "kind_label", "name", "code", "departements", "postal_codes", "label"}
    assert lyon["label"] == "Lyon (69) — commune"
    assert lyon["kind_label"] == "Commune" and lyon["departements"] == ["69"]
    (beaune_ca,) = search_collectivities("beaune", kinds=["epci"])
    assert beaune_ca["label"].endswith("(21, 71) — communauté d'agglomération")


def test_postal_code(geography):
    assert codes(search_collectivities("69003")) == ["69123"]
    assert codes(search_collectivities("20090")) == ["2A004"]
    assert search_collectivities("99999") == []


def test_insee_code_including_corsica(geography):
    assert codes(search_collectivities("2A004")) == ["2A004"]
    assert codes(search_collectivities("2a004")) == ["2A004"]
    assert codes(search_collectivities("69266")) == ["69266"]


def test_siren(geography):
    assert codes(search_collectivities("200006682")) == ["200006682"]
    assert codes(search_collectivities("216 901 231")) == ["69123"]


def test_territory_code(geography):
    assert codes(search_collectivities("69", kinds=["departement"])) == ["69"]
    assert codes(search_collectivities("94")) == ["94"]


def test_kinds_filter_and_limit(geography):
    assert {r["kind"] for r in search_collectivities("a", kinds=["epci"], limit=50)} == {"epci"}
    assert len(search_collectivities("e", limit=3)) == 3


def test_like_wildcards_are_literal(geography):
    assert search_collectivities("%%") == []
    assert search_collectivities("__") == []


def test_api_search_validation(geography):
    with pytest.raises(InvalidSearch, match="au moins 2 caractères"):
        api_search(" l ", [])
    with pytest.raises(InvalidSearch, match="limitée à 100 caractères"):
        api_search("x" * 101, [])
    with pytest.raises(InvalidSearch, match="Type de collectivité inconnu : ville"):
        api_search("lyon", ["commune,ville"])
    assert codes(api_search("lyon", ["commune", "epci"])) == ["69123", "200046977"]


def test_resolve_collectivity(geography, db):
    lyon = db.session.scalars(select(Collectivity).filter_by(code="69123")).one()
    assert resolve_collectivity("69123") == lyon
    assert resolve_collectivity("216901231") == lyon
    assert resolve_collectivity(str(lyon.id)) == lyon
    assert resolve_collectivity(lyon.id) == lyon
    assert resolve_collectivity("2a004").name == "Ajaccio"
    assert resolve_collectivity("Lyon") is None
    assert resolve_collectivity("") is None
    assert resolve_collectivity(None) is None
    assert resolve_collectivity("999999") is None
