"""Issue 10's journey in a real Chromium, from the demo data: a new référent of CA Redon
Agglomération signs in with ProConnect (a real OpenID Connect provider served by the test on
127.0.0.1), asks for the référent role of that collectivity at onboarding and is verified at once by
the SIRET ProConnect vouched for, then, once the coordinator has proposed the demo pairing, gives
the host's consent. The same request with a SIRET of another collectivity stays pending."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import GEO_IMPORT, Mailbox, _require, _serve, _server_env  # noqa: F401
from tests.browser.helpers import tick
from tests.browser.test_pairing_journey import AGENT_NAME, COORDINATOR, HOME, NEED, OFFER, _session
from tests.tools.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

pytestmark = pytest.mark.browser

REDON_SIRET = "24350074100018"  # CA Redon Agglomération: SIREN 243500741
TIMEOUT = 15_000


@pytest.fixture
def proconnect_demo(tmp_path, demo_instance):
    """The demo served with ProConnect pointed at a provider of the test's own."""
    provider = OIDCProvider().start()
    instance = tmp_path / "instance"
    env = _server_env(instance) | {"PROCONNECT_DISCOVERY_URL": provider.discovery_url,
                                   "PROCONNECT_CLIENT_ID": CLIENT_ID, "PROCONNECT_CLIENT_SECRET": CLIENT_SECRET}
    try:
        with _serve(tmp_path, env, template=demo_instance) as base_url:
            yield base_url, provider
    finally:
        provider.stop()


def _sign_in_with_proconnect(browser, base_url):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(base_url + "/compte/connexion")
    page.get_by_role("link", name=re.compile("S'identifier avec\\s+ProConnect")).click()
    page.wait_for_url(re.compile(r".*/compte/(bienvenue|espace)|.*/espace"))
    return page


def _ask_for_the_referent_role(page, base_url):
    page.goto(base_url + "/compte/bienvenue")
    tick(page, "input[name=roles][value=representative]")
    page.fill("#collectivity_query", "Redon")
    page.get_by_role("option", name=re.compile("CA Redon Agglomération")).first.click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r".*/espace"))


def test_proconnect_siret_verifies_the_referent_who_then_consents(proconnect_demo, browser):
    base_url, provider = proconnect_demo

    # The coordinator proposes the demo pairing (CA Redon Agglomération hosts it).
    coordinator = _session(browser, base_url, COORDINATOR)
    coordinator.goto(base_url + "/coordination/?departement=35")
    row = (coordinator.get_by_role("row").filter(has_text=OFFER).filter(has_text=NEED)
           .filter(has_text=f"{AGENT_NAME} — {HOME}"))
    row.get_by_role("checkbox", name=re.compile("Choisir la suggestion")).check(force=True)
    coordinator.get_by_role("button", name="Approuver").first.click()
    expect(coordinator.get_by_text("1 mise en relation proposée aux trois parties.")).to_be_visible()

    # Someone of another collectivity signs in with ProConnect and asks for Redon: pending.
    provider.claims = {"sub": "pc-other", "email": "alex.autre@mairie-ailleurs.example.fr", "given_name": "Alex",
                       "usual_name": "Autre", "siret": "21130055300016", "uid": "7", "idp_id": "fia1v2"}
    stranger = _sign_in_with_proconnect(browser, base_url)
    _ask_for_the_referent_role(stranger, base_url)
    assert "en attente" in stranger.content()
    stranger.goto(base_url + "/rapprochements/")
    assert NEED not in stranger.content()

    # Redon's new référent: ProConnect vouches for a SIRET of CA Redon Agglomération.
    provider.claims = {"sub": "pc-redon", "email": "sacha.morel@redon-agglo.example.fr", "given_name": "Sacha",
                       "usual_name": "Morel", "siret": REDON_SIRET, "uid": "8", "idp_id": "fia1v2"}
    page = _sign_in_with_proconnect(browser, base_url)
    _ask_for_the_referent_role(page, base_url)
    page.goto(base_url + "/compte/profil")
    profile = page.content()
    assert "CA Redon Agglomération" in profile and "en attente" not in profile.split("CA Redon Agglomération")[1][:300]

    # As a verified référent of the host, they find the proposal and consent for the host.
    page.get_by_role("link", name="Mes rapprochements").first.click()
    page.get_by_role("link", name=NEED).click()
    page.get_by_role("heading", name=NEED, level=1).wait_for()
    tick(page, "input[name='consent-decision'][value=accepted]")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Votre réponse est enregistrée.").first).to_be_visible()
    assert "Sacha Morel" in page.content()  # the host's consent is theirs
