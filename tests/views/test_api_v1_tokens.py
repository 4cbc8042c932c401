"""Personal API tokens: created and revoked in the profile, shown once, hashed at rest, scoped,
last use recorded; the API accepts tokens only, never the browser's session cookie."""
from __future__ import annotations

import hashlib
import re

import pytest

from marketplace.models import ApiToken
from tests.views import api_v1_world
from tests.views.api_v1_world import bearer, token_for

SECRET = re.compile(r'id="new-token"[^>]*value="(essaim_[A-Za-z0-9_-]+)"')


@pytest.fixture
def world(make_collectivity, make_user):
    return api_v1_world.build(make_collectivity, make_user)


def test_profile_links_to_the_token_page(client, login, world):
    login(world["agent"])
    assert "/compte/jetons-api" in client.get("/compte/profil").get_data(as_text=True)


def test_token_page_needs_a_login(client):
    assert client.get("/compte/jetons-api").status_code in (302, 303)


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, login, world, db):
    login(world["agent"])
    response = client.post_form("/compte/jetons-api", {"name": "Tableur", "scope": "read"}, token_from="/compte/jetons-api")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(response.get_data(as_text=True)).group(1)
    assert len(secret) >= 40
    stored = db.session.query(ApiToken).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (stored.prefix, stored.name) and stored.scope == "read"
    again = client.get("/compte/jetons-api").get_data(as_text=True)
    assert secret not in again and "Tableur" in again and stored.prefix in again
    assert client.get("/api/v1/me/offres", headers=bearer(secret)).status_code == 200


@pytest.mark.parametrize("data, field_message", [
    ({"name": "", "scope": "read"}, "Donnez un nom"),
    ({"name": "x" * 101, "scope": "read"}, "au plus 100"),
    ({"name": "Outil", "scope": "admin"}, "Outil"),  # the name typed is kept
    ({"name": "bad\x00name", "scope": "read"}, "caractères de contrôle"),
])
def test_bad_token_form_keeps_input_and_explains(client, login, world, data, field_message, db):
    login(world["agent"])
    response = client.post_form("/compte/jetons-api", data, token_from="/compte/jetons-api")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "fr-message--error" in page and field_message in page
    assert db.session.query(ApiToken).count() == 0


def test_revoked_token_is_refused_and_revoking_is_for_the_owner_only(client, login, world, db):
    secret = token_for(world["agent"], "read")
    token = db.session.query(ApiToken).one()
    login(world["representative"])
    client.post_form(f"/compte/jetons-api/{token.id}/revoquer", {}, token_from="/compte/jetons-api")
    assert client.get("/api/v1/me/offres", headers=bearer(secret)).status_code == 200
    client.post_form("/compte/deconnexion", {}, token_from="/compte/jetons-api")
    login(world["agent"])
    response = client.post_form(f"/compte/jetons-api/{token.id}/revoquer", {}, token_from="/compte/jetons-api")
    assert response.status_code in (302, 303)
    assert client.get("/api/v1/me/offres", headers=bearer(secret)).status_code == 401
    assert "Révoqué le" in client.get("/compte/jetons-api").get_data(as_text=True)


def test_last_use_is_recorded(client, world, db):
    secret = token_for(world["agent"], "read")
    assert db.session.query(ApiToken).one().last_used_at is None
    client.get("/api/v1/me/offres", headers=bearer(secret))
    db.session.expire_all()
    assert db.session.query(ApiToken).one().last_used_at is not None


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer essaim_faux", "Basic dXNlcjpwYXNz", "Bearer " + "e" * 5000])
def test_missing_or_wrong_tokens_get_401_in_json(client, world, header):
    response = client.get("/api/v1/me/offres", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "jeton" in response.get_json()["error"].lower()


def test_a_logged_in_browser_session_is_not_accepted(client, login, world):
    """The API ignores cookies: another site cannot drive a logged-in browser to change data."""
    login(world["agent"])
    assert client.get("/api/v1/me/offres").status_code == 401
    response = client.post("/api/v1/me/offres", json={"title": "Par cookie seulement"})
    assert response.status_code == 401


def test_read_token_cannot_write(client, world):
    secret = token_for(world["agent"], "read")
    response = client.post("/api/v1/me/offres", json={}, headers=bearer(secret))
    assert response.status_code == 403
    assert "lecture seule" in response.get_json()["error"]


def test_deactivated_account_token_is_refused(client, world, db):
    secret = token_for(world["agent"], "write")
    world["agent"].active = False
    db.session.commit()
    assert client.get("/api/v1/me/offres", headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize("token_id", [0, 2**31, 10**30])
def test_revoking_an_impossible_token_is_404(client, login, world, token_id):
    login(world["agent"])
    response = client.post_form(f"/compte/jetons-api/{token_id}/revoquer", {}, token_from="/compte/jetons-api")
    assert response.status_code == 404


def test_rate_limit_counts_per_token(app, client, world):
    """An office shares one address: each token has its own budget."""
    app.config["API_V1_RATE_LIMIT"] = "2 per minute"
    first, second = bearer(token_for(world["agent"], "read")), bearer(token_for(world["representative"], "read"))
    assert [client.get("/api/v1/me/offres", headers=first).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/me/besoins", headers=second).status_code == 200
    limited = client.get("/api/v1/me/offres", headers=first)
    assert limited.status_code == 429 and limited.is_json
