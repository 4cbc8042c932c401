"""Issue 12 §2-3 in a real Chromium, from the demo data: the demo coordinator rejects a suggestion
as off-topic from the queue, finds it among the off-topic pairs and undoes it, then proposes an
acronym (an empty form first: the messages sit next to the fields); the demo administrator
accepts it and sees it among the decided ones. axe-core finds no serious or critical violation
on the pages visited (queue, off-topic pairs, dictionary as coordinator and as administrator)."""
from __future__ import annotations

import pytest

from marketplace.demo.people import DEMO_DOMAIN, DEMO_PASSWORD
from tests.browser.helpers import assert_accessible, tick

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms: every wait is bounded


def _signed_in(browser, base_url, email):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(base_url + "/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)
    return page


def test_off_topic_then_lexicon_proposal(demo_server, browser):
    base_url, _instance, _mailbox = demo_server
    page = _signed_in(browser, base_url, f"coordinateur@{DEMO_DOMAIN}")
    page.goto(base_url + "/coordination/")
    page.get_by_role("heading", name="Suggestions à examiner", level=1).wait_for()
    assert_accessible(page)
    first_id = page.locator("input[name=suggestion_ids]").first.get_attribute("id")
    tick(page, f"#{first_id}")
    page.select_option("#reason_code", "off_topic")
    page.get_by_role("button", name="Rejeter").first.click()
    page.get_by_text("1 suggestion rejetée.").wait_for()

    page.get_by_role("link", name="Paires écartées comme hors sujet").click()
    page.get_by_role("heading", name="Paires écartées comme hors sujet", level=1).wait_for()
    assert page.locator("tbody tr").count() == 1 and "Aucune paire" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Annuler").click()
    page.get_by_text("La paire n'est plus marquée hors sujet").wait_for()

    page.goto(base_url + "/lexique/")
    page.get_by_role("button", name="Proposer", exact=True).click()
    page.locator("#term-messages, .fr-error-text").first.wait_for()
    assert "Ce champ est obligatoire." in page.content()
    assert_accessible(page)
    page.get_by_label("Sigle ou terme").fill("PGRE")
    page.get_by_label("Développement").fill("plan de gestion de la ressource en eau")
    page.get_by_role("button", name="Proposer", exact=True).click()
    page.get_by_text("votre proposition attend l'examen").wait_for()

    admin = _signed_in(browser, base_url, f"admin@{DEMO_DOMAIN}")
    admin.goto(base_url + "/lexique/")
    admin.get_by_role("heading", name="PGRE — plan de gestion de la ressource en eau").wait_for()
    assert_accessible(admin)
    admin.get_by_role("button", name="Accepter").click()
    admin.get_by_text("Proposition acceptée").wait_for()
    assert "Aucune proposition en attente." in admin.content()
    assert_accessible(admin)
