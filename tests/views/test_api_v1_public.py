"""The open data of /api/v1/: document, docs page, practice sheets, directory, statistics, and
the JSON errors (French first, English on request, never a 500)."""
from __future__ import annotations

import pytest
from flask_babel import get_babel

from marketplace.cli.i18n import compile_catalog, po_path
from tests.views import api_v1_world


@pytest.fixture
def world(make_collectivity, make_user):
    return api_v1_world.build(make_collectivity, make_user)


@pytest.fixture
def english(app, tmp_path):
    """The English catalogue compiled into this test's folder (the .mo files are not versioned)."""
    directory = tmp_path / "translations"
    compile_catalog(po_path(app), directory / "en" / "LC_MESSAGES" / "messages.mo")
    get_babel(app).translation_directories = [str(directory)]
    get_babel(app).instance.domain_instance.cache.clear()
    yield app
    get_babel(app).instance.domain_instance.cache.clear()


def test_openapi_document_is_3_1_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/fiches-pratiques", "/api/v1/collectivites", "/api/v1/statistiques", "/api/v1/me/offres",
            "/api/v1/me/besoins/{item_id}/statut", "/api/v1/me/suggestions", "/api/v1/me/rapprochements"} <= set(spec["paths"])
    assert "Licence Ouverte" in spec["info"]["description"]
    assert spec["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
    # Refused inputs are documented as 400 with our error body, not webargs' 422.
    post = spec["paths"]["/api/v1/me/offres"]["post"]["responses"]
    assert "400" in post and "422" not in post


def test_docs_page_uses_vendored_assets_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "vendor/swagger-ui-dist-5.35.0/swagger-ui-bundle.js" in page and "js/api-docs.js" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script>" not in page and "cdn" not in page.lower()
    assert client.get("/static/vendor/swagger-ui-dist-5.35.0/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/js/api-docs.js").status_code == 200


def test_published_practice_sheets_with_their_reuses(client, world):
    body = client.get("/api/v1/fiches-pratiques").get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    sheet = body["items"][0]
    assert sheet["title"] == "Cantine bio en régie"
    assert sheet["reuses"][0]["collectivity"]["name"] == "Lille"
    assert sheet["url"].endswith(f"/pratiques/{world['sheet'].id}")
    assert "Brouillon secret" not in str(body)


def test_practice_sheets_filter_by_domain_and_departement(client, world):
    assert client.get("/api/v1/fiches-pratiques?domain=culture").get_json()["total"] == 0
    assert client.get("/api/v1/fiches-pratiques?departement=69").get_json()["total"] == 1
    assert client.get("/api/v1/fiches-pratiques?departement=59").get_json()["total"] == 0


def test_directory_searches_by_name_and_code_and_paginates(client, world):
    by_name = client.get("/api/v1/collectivites?q=lyo").get_json()
    assert [c["name"] for c in by_name["items"]] == ["Lyon"]
    assert by_name["items"][0]["departements"] == ["69"] and by_name["items"][0]["regions"] == ["84"]
    by_code = client.get(f"/api/v1/collectivites?q={world['lille'].code}").get_json()
    assert [c["name"] for c in by_code["items"]] == ["Lille"]
    first = client.get("/api/v1/collectivites?per_page=2").get_json()
    second = client.get("/api/v1/collectivites?per_page=2&page=2").get_json()
    assert first["total"] == 3 and first["pages"] == 2 and len(first["items"]) == 2 and len(second["items"]) == 1
    assert client.get("/api/v1/collectivites?per_page=2&page=9").get_json()["items"] == []


def test_statistics_are_public_aggregates_under_the_open_licence(client, world):
    body = client.get("/api/v1/statistiques").get_json()
    assert body["licence"].startswith("Licence Ouverte")
    assert body["totals"]["offers"] == 1 and body["totals"]["needs"] == 1 and body["totals"]["sheets"] == 1
    assert body["by_departement"]["offers"] == {"69": 1}
    # No names and no free-text reasons in public figures.
    assert "Camille" not in str(body) and "rejection_reasons" not in body


def test_statistics_filters_are_checked_with_the_field(client, world):
    response = client.get("/api/v1/statistiques?du=2026-02-30")
    assert response.status_code == 400
    assert response.get_json()["field"] == "du"
    unknown = client.get("/api/v1/statistiques?departement=ZZ")
    assert unknown.status_code == 400 and unknown.get_json()["field"] == "departement"


@pytest.mark.parametrize("query, field", [
    ("per_page=101", "per_page"),
    ("per_page=0", "per_page"),
    ("page=abc", "page"),
    ("page=99999999999999999999999999", "page"),
    ("kind=planete", "kind"),
    ("q=" + "x" * 101, "q"),
    ("q=ab%01cd", "q"),  # a control character (NUL itself is dropped from every query string)
])
def test_bad_query_parameters_get_a_french_message_next_to_the_field(client, world, query, field):
    response = client.get(f"/api/v1/collectivites?{query}")
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["field"] == field and body["errors"][field]
    assert body["error"] in body["errors"][field]


def test_error_messages_follow_accept_language(english, client, world):
    french = client.get("/api/v1/collectivites?page=abc").get_json()["error"]
    english = client.get("/api/v1/collectivites?page=abc", headers={"Accept-Language": "en"}).get_json()["error"]
    assert french == "Ce champ doit être un nombre entier."
    assert english != french and "integer" in english.lower()


def test_unknown_api_path_and_method_answer_in_json(client):
    missing = client.get("/api/v1/nulle-part")
    assert missing.status_code == 404 and missing.is_json
    wrong = client.delete("/api/v1/collectivites")
    assert wrong.status_code == 405 and wrong.is_json


def test_public_endpoints_are_rate_limited(app, client):
    app.config["API_V1_RATE_LIMIT"] = "3 per minute"
    codes = [client.get("/api/v1/collectivites").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/collectivites").is_json
