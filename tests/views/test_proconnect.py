"""§2: ProConnect sign-in against a real OpenID Connect provider served on 127.0.0.1.

The Flask side is driven with the test client; the browser's hop to the provider and back is made
over real HTTP with `requests`, and the app talks to the provider (token, userinfo, JWKS) over HTTP too.
"""
from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from marketplace.accounts import proconnect
from marketplace.accounts.proconnect_views import attach_client
from marketplace.models import ExternalIdentity, User, UserSession
from tests.tools.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

PASSWORD = "motdepasse-solide-42"
SIRET = "21690123100011"  # a commune of the Rhône: SIREN 216901231
AGENT = {"sub": "pc-sub-0001", "email": "camille.martin@lyon.fr", "given_name": "Camille",
         "usual_name": "Martin", "siret": SIRET, "uid": "42", "idp_id": "fia1v2"}
REFUSED = "La connexion avec ProConnect a échoué"


@pytest.fixture(scope="module")
def running_provider():
    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def provider(running_provider):
    running_provider.claims = dict(AGENT)
    running_provider.fault = None
    for log in (running_provider.authorize_requests, running_provider.token_requests,
                running_provider.logout_requests):
        log.clear()
    return running_provider


@pytest.fixture
def pc_app(app, provider):
    app.config.update(PROCONNECT_DISCOVERY_URL=provider.discovery_url, PROCONNECT_CLIENT_ID=CLIENT_ID,
                      PROCONNECT_CLIENT_SECRET=CLIENT_SECRET)
    attach_client(app)
    return app


def _text(response):
    return response.get_data(as_text=True).replace("&#39;", "'")


def sign_in(client, provider):
    """The whole round trip; the app's answer to the provider's redirect back."""
    start = client.get("/compte/proconnect/connexion")
    assert start.status_code == 302 and start.location.startswith(provider.issuer + "/authorize?"), start.location
    at_provider = requests.get(start.location, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def _logged_in(client) -> bool:
    return client.get("/compte/profil").status_code == 200


# --- success -----------------------------------------------------------------------------------


def test_first_sign_in_creates_a_verified_account_and_records_the_identity(pc_app, client, provider, db, caplog):
    caplog.set_level(logging.INFO, logger="marketplace.accounts.proconnect")
    response = sign_in(client, provider)
    assert response.status_code == 302 and response.location.endswith("/compte/bienvenue")
    user = db.session.query(User).one()
    assert user.email == AGENT["email"] and user.email_verified and user.display_name == "Camille Martin"
    assert not proconnect.has_local_password(user)
    identity = db.session.query(ExternalIdentity).one()
    assert (identity.user_id, identity.provider, identity.subject) == (user.id, "proconnect", AGENT["sub"])
    assert identity.siret == SIRET and identity.idp_id == "fia1v2"
    assert identity.acr == "eidas1" and identity.amr == ["pwd"] and identity.last_login_at is not None
    assert _logged_in(client)
    assert db.session.query(UserSession).one().method == "proconnect"
    assert "ProConnect sign-in user=%s siret=%s" % (user.id, SIRET) in caplog.text  # the hook ran


def test_authorisation_request_uses_pkce_and_long_state_and_nonce(pc_app, client, provider):
    sign_in(client, provider)
    [request] = provider.authorize_requests
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    assert request["code_challenge_method"] == "S256" and request["code_challenge"]
    assert request["scope"].split() == ["openid", "email", "given_name", "usual_name", "siret", "uid", "idp_id"]
    assert request["redirect_uri"] == "http://127.0.0.1:5000/compte/proconnect/retour"
    [token_request] = provider.token_requests
    assert len(token_request["code_verifier"]) >= 43 and token_request["client_secret"] == CLIENT_SECRET


def test_second_sign_in_opens_the_same_account(pc_app, app, client, provider, db):
    sign_in(client, provider)
    client.post_form("/compte/deconnexion", {}, token_from="/espace")
    provider.claims["siret"] = "21690123100029"  # moved to another establishment
    response = sign_in(client, provider)
    assert response.status_code == 302 and response.location.endswith("/espace")
    assert db.session.query(User).count() == 1
    assert db.session.query(ExternalIdentity).one().siret == "21690123100029"


def test_clock_skew_within_the_leeway_is_accepted(pc_app, client, provider, db):
    provider.fault = "clock_skew"
    assert sign_in(client, provider).status_code == 302
    assert _logged_in(client)


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault, reason", [
    ("wrong_nonce", "Invalid claim: 'nonce'"), ("wrong_state", "mismatching_state"),
    ("expired", "expired_token"), ("wrong_audience", "Invalid claim: 'aud'"),
    ("unknown_key", "No key for kid: 'someone-else'"),
])
def test_a_token_that_fails_a_check_signs_nobody_in(pc_app, client, provider, db, caplog, fault, reason):
    provider.fault = fault
    response = sign_in(client, provider)
    assert reason in caplog.text  # refused for that very reason, not another
    assert response.status_code == 302 and "/compte/connexion" in response.location
    assert REFUSED in _text(client.get("/compte/connexion"))
    assert db.session.query(User).count() == 0 and db.session.query(ExternalIdentity).count() == 0
    assert not _logged_in(client)


def test_a_weaker_authentication_than_asked_is_refused(pc_app, client, provider, db, caplog):
    pc_app.config["PROCONNECT_ACR_VALUES"] = "eidas2 eidas3"
    sign_in(client, provider)  # the provider answers with acr=eidas1
    assert provider.authorize_requests[0]["acr_values"] == "eidas2 eidas3"
    assert "acr 'eidas1' is not one of" in caplog.text
    assert db.session.query(User).count() == 0 and not _logged_in(client)


def test_the_same_return_cannot_be_replayed(pc_app, client, provider, db):
    start = client.get("/compte/proconnect/connexion")
    back = urlsplit(requests.get(start.location, allow_redirects=False, timeout=10).headers["Location"])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    client.post_form("/compte/deconnexion", {}, token_from="/espace")
    replay = client.get(f"{back.path}?{back.query}")
    assert "/compte/connexion" in replay.location and not _logged_in(client)


def test_a_forged_return_without_a_started_sign_in_is_refused(pc_app, client, provider, db):
    response = client.get("/compte/proconnect/retour?code=abc&state=" + "x" * 43)
    assert response.status_code == 302 and REFUSED in _text(client.get("/compte/connexion"))


def test_an_error_from_the_provider_is_refused_cleanly(pc_app, client, provider):
    client.get("/compte/proconnect/connexion")
    response = client.get("/compte/proconnect/retour?error=access_denied&error_description=annule")
    assert response.status_code == 302 and REFUSED in _text(client.get("/compte/connexion"))


def test_missing_email_is_refused_with_a_clear_message(pc_app, client, provider, db):
    del provider.claims["email"]
    sign_in(client, provider)
    assert "n'a pas transmis votre adresse e-mail" in _text(client.get("/compte/connexion"))
    assert db.session.query(User).count() == 0


def test_unreachable_provider_is_a_message_not_an_error(app, client):
    app.config.update(PROCONNECT_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration",
                      PROCONNECT_CLIENT_ID=CLIENT_ID, PROCONNECT_CLIENT_SECRET=CLIENT_SECRET)
    attach_client(app)
    response = client.get("/compte/proconnect/connexion")
    assert response.status_code == 302 and REFUSED in _text(client.get("/compte/connexion"))


# --- siret: the account is created; the SIRET verifies requests in its collectivity only -----


def _request_referent(user, collectivity):
    from marketplace.accounts import roles
    from marketplace.core.unit_of_work import unit_of_work

    with unit_of_work():
        return roles.request_roles(user, ["representative"], collectivity)[0]


def test_proconnect_siret_verifies_a_request_in_its_collectivity(pc_app, client, provider, db,
                                                                 make_collectivity):
    lyon = make_collectivity(name="Lyon", siren="216901231")
    provider.claims["siret"] = "21690123100011"  # an establishment of Lyon (SIREN 216901231)
    sign_in(client, provider)
    user = db.session.query(User).one()
    request = _request_referent(user, lyon)
    db.session.refresh(request)
    assert request.status == "active" and request.verification_method == "proconnect"
    assert user.has_role("representative")


def test_proconnect_siret_of_another_collectivity_leaves_the_request_pending(pc_app, client, provider, db,
                                                                             make_collectivity):
    lyon = make_collectivity(name="Lyon", siren="216901231")
    provider.claims["siret"] = "21130055300016"  # Marseille's SIRET
    sign_in(client, provider)
    user = db.session.query(User).one()
    request = _request_referent(user, lyon)
    db.session.refresh(request)
    assert request.status == "pending" and not user.has_role("representative")


def test_missing_siret_still_creates_the_account_without_a_role(pc_app, client, provider, db):
    del provider.claims["siret"]
    sign_in(client, provider)
    user = db.session.query(User).one()
    assert db.session.query(ExternalIdentity).one().siret is None
    assert user.roles == []


def test_siret_of_another_collectivity_verifies_no_role(pc_app, client, provider, db, make_collectivity):
    make_collectivity(name="Lyon", siren="216901231")
    provider.claims["siret"] = "21130055300016"  # Marseille's SIRET
    sign_in(client, provider)
    user = db.session.query(User).one()
    assert db.session.query(ExternalIdentity).one().siret == "21130055300016"
    assert user.roles == []


def test_a_malformed_siret_is_not_stored(pc_app, client, provider, db):
    provider.claims["siret"] = "2169<script>"
    sign_in(client, provider)
    assert db.session.query(ExternalIdentity).one().siret is None


# --- linking with an existing local account ---------------------------------------------------


def test_existing_account_is_linked_only_after_its_password(pc_app, client, provider, db, make_user):
    local = make_user(email="Camille.Martin@lyon.fr")
    response = sign_in(client, provider)
    assert response.location.endswith("/compte/proconnect/liaison")
    assert not _logged_in(client) and db.session.query(ExternalIdentity).count() == 0
    page = _text(client.get("/compte/proconnect/liaison"))
    assert "Un compte Essaim utilise déjà l'adresse camille.martin@lyon.fr" in page
    wrong = client.post_form("/compte/proconnect/liaison", {"password": "pas-le-bon"},
                             token_from="/compte/proconnect/liaison")
    assert wrong.status_code == 200 and "Mot de passe incorrect." in _text(wrong)
    assert db.session.query(ExternalIdentity).count() == 0 and not _logged_in(client)
    right = client.post_form("/compte/proconnect/liaison", {"password": PASSWORD},
                             token_from="/compte/proconnect/liaison")
    assert right.status_code == 302 and right.location.endswith("/espace")
    assert db.session.query(ExternalIdentity).one().user_id == local.id
    assert db.session.query(User).count() == 1 and _logged_in(client)


def test_an_unverified_account_with_the_address_also_needs_its_password(pc_app, client, provider, db, make_user):
    """Someone may have registered the address first (pre-hijacking): never join on the address alone."""
    squatter = make_user(email=AGENT["email"], verified=False, password="mot-de-passe-de-l-intrus")
    sign_in(client, provider)
    client.post_form("/compte/proconnect/liaison", {"password": PASSWORD}, token_from="/compte/proconnect/liaison")
    assert db.session.query(ExternalIdentity).count() == 0
    db.session.refresh(squatter)
    assert not squatter.email_verified and not _logged_in(client)


def test_link_confirmation_is_throttled(pc_app, app, client, provider, db, make_user):
    make_user(email=AGENT["email"])
    sign_in(client, provider)
    for _ in range(app.config["LOGIN_FREE_FAILURES_ACCOUNT"] + 1):
        client.post_form("/compte/proconnect/liaison", {"password": "faux"}, token_from="/compte/proconnect/liaison")
    response = client.post_form("/compte/proconnect/liaison", {"password": PASSWORD},
                                token_from="/compte/proconnect/liaison")
    assert "Trop de tentatives de connexion ont échoué" in _text(response)
    assert db.session.query(ExternalIdentity).count() == 0


def test_link_page_without_a_pending_link_goes_back_to_login(pc_app, client):
    response = client.get("/compte/proconnect/liaison")
    assert response.status_code == 302 and "/compte/connexion" in response.location


# --- a local password later, logout through the provider, the button -------------------------


def test_a_proconnect_account_may_add_a_local_password(pc_app, client, provider, db):
    sign_in(client, provider)
    profile = _text(client.get("/compte/profil"))
    assert "Ajouter un mot de passe" in profile and "Changer de mot de passe" not in profile
    short = client.post_form("/compte/proconnect/mot-de-passe", {"password": "court", "confirm": "court"},
                             token_from="/compte/profil")
    assert short.status_code == 400 and "au moins 12 caractères" in _text(short)
    response = client.post_form("/compte/proconnect/mot-de-passe",
                                {"password": "une phrase solide", "confirm": "une phrase solide"},
                                token_from="/compte/profil")
    assert response.status_code == 302
    client.post_form("/compte/deconnexion", {}, token_from="/espace")
    login = client.post_form("/compte/connexion", {"email": AGENT["email"], "password": "une phrase solide"})
    assert login.status_code == 302 and _logged_in(client)
    again = client.post_form("/compte/proconnect/mot-de-passe",
                             {"password": "encore une phrase", "confirm": "encore une phrase"},
                             token_from="/compte/profil")
    assert again.status_code == 400 and "déjà un mot de passe" in _text(again)


def test_logout_ends_the_session_at_the_provider_too(pc_app, client, provider, db):
    sign_in(client, provider)
    response = client.post_form("/compte/deconnexion", {}, token_from="/espace")
    assert response.status_code == 302 and response.location.startswith(provider.issuer + "/session/end?")
    params = parse_qs(urlsplit(response.location).query)
    assert params["id_token_hint"][0].count(".") == 2 and len(params["state"][0]) >= 32
    assert params["post_logout_redirect_uri"] == ["http://127.0.0.1:5000/compte/proconnect/deconnecte"]
    assert db.session.query(UserSession).count() == 0 and not _logged_in(client)
    back = urlsplit(requests.get(response.location, allow_redirects=False, timeout=10).headers["Location"])
    final = client.get(f"{back.path}?{back.query}")
    assert final.status_code == 302 and urlsplit(final.location).path == "/"
    assert provider.logout_requests[0]["id_token_hint"] == params["id_token_hint"][0]


def test_password_logout_stays_local(pc_app, client, make_user, login):
    login(make_user())
    response = client.post_form("/compte/deconnexion", {}, token_from="/espace")
    assert urlsplit(response.location).path == "/"


def test_button_shown_only_when_configured(app, client, provider):
    for url in ("/compte/connexion", "/compte/inscription"):
        assert "S'identifier avec" not in _text(client.get(url))
    assert client.get("/compte/proconnect/connexion").status_code == 404
    app.config.update(PROCONNECT_DISCOVERY_URL=provider.discovery_url, PROCONNECT_CLIENT_ID=CLIENT_ID,
                      PROCONNECT_CLIENT_SECRET=CLIENT_SECRET)
    attach_client(app)
    for url in ("/compte/connexion", "/compte/inscription"):
        page = _text(client.get(url))
        assert 'class="fr-connect fr-connect--pro" href="/compte/proconnect/connexion"' in page
        assert "S'identifier avec" in page and "ProConnect" in page
