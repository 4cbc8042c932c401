"""GET /api/collectivites: the autocomplete endpoint."""
import pytest

from tests.fixtures.geo import import_fixture


@pytest.fixture
def geography(db):
    import_fixture()


def test_search_by_name(client, geography):
    response = client.get("/api/collectivites?q=lyon")
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert results[0]["label"] == "Lyon (69) — commune"
    assert results[0]["postal_codes"][0] == "69001"


def test_search_by_postal_code_and_kind(client, geography):
    assert [r["code"] for r in client.get("/api/collectivites?q=71150").get_json()["results"]] == ["71073"]
    response = client.get("/api/collectivites?q=beaune&kind=epci")
    assert [r["code"] for r in response.get_json()["results"]] == ["200006682"]


def test_no_result_is_an_empty_list(client, geography):
    response = client.get("/api/collectivites?q=zzzz")
    assert response.status_code == 200 and response.get_json() == {"results": []}


@pytest.mark.parametrize("query, message", [
    ("", "Saisissez au moins 2 caractères."),
    ("q=l", "Saisissez au moins 2 caractères."),
    ("q=" + "x" * 101, "La recherche est limitée à 100 caractères."),
    ("q=lyon&kind=ville", "Type de collectivité inconnu : ville."),
])
def test_bad_requests(client, geography, query, message):
    response = client.get(f"/api/collectivites?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"error": message}


def test_rate_limited(app, client, geography):
    app.config["API_SEARCH_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get("/api/collectivites?q=lyon").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "error" in client.get("/api/collectivites?q=lyon").get_json()
