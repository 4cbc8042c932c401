"""Issue 2's journey in a real Chromium: an agent of a commune publishes an offer, the
representative of another collectivity posts a need, and each browses both, in French."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_out, register_and_onboard, tick

pytestmark = pytest.mark.browser


def test_agent_offers_representative_needs_both_browse(live_server, browser):
    base_url, instance = live_server
    page = browser.new_page(locale="fr-FR")
    start = (date.today() + timedelta(days=10)).isoformat()

    # The agent of the commune of Lyon publishes an offer.
    register_and_onboard(page, base_url, instance / "mail", name="Camille Agent",
                         email="camille@lyon.example.fr", role="agent",
                         collectivity_text="Lyon", choice="Lyon")
    page.goto(base_url + "/offres/nouveau")
    page.fill("#title", "Accompagnement à la rédaction de marchés publics")
    page.fill("#description", "Rédaction de DCE, analyse des offres, procédure adaptée.")
    page.fill("#tags", "marchés publics, DCE")
    page.select_option("#domain", "marches_publics")
    tick(page, "input[name=modality][value=remote]")
    page.fill("#days_per_month", "2")
    page.fill("#available_from", start)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", name="Accompagnement à la rédaction de marchés publics")).to_be_visible()
    log_out(page)

    # The representative of Dijon posts a need.
    register_and_onboard(page, base_url, instance / "mail", name="Dominique Référent",
                         email="dominique@dijon.example.fr", role="representative",
                         collectivity_text="Dijon", choice="Dijon")
    page.goto(base_url + "/besoins/nouveau")
    page.fill("#title", "Refonte de notre procédure d'achat")
    page.fill("#description", "Nous cherchons un appui pour nos marchés publics <b>urgents</b>.")
    page.select_option("#domain", "marches_publics")
    tick(page, "input[name=modality][value=hybrid]")
    page.fill("#estimated_days", "6")
    page.fill("#start_date", start)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", name="Refonte de notre procédure d'achat")).to_be_visible()
    # HTML typed in a description is shown as text.
    assert "<b>urgents</b>" in page.content().replace("&lt;", "<").replace("&gt;", ">")

    # Both browse both lists, filtered, in French and in the DSFR look.
    page.goto(base_url + "/offres/?domain=marches_publics")
    expect(page.get_by_text("Accompagnement à la rédaction de marchés publics")).to_be_visible()
    page.goto(base_url + "/besoins/?q=procedure")
    expect(page.get_by_text("Refonte de notre procédure d'achat")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("link[href*='dsfr.min.css']").count() == 1
    marianne = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in marianne
    log_out(page)
    page.close()
