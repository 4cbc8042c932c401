"""Issue 2's journey in a real Chromium: an agent of a commune publishes an offer, the
representative of another collectivity posts a need, and each browses both, in French."""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "un-mot-de-passe-solide-2026"


def _verification_link(mail_dir: Path, email: str) -> str:
    for message in sorted(mail_dir.glob("*.log")):
        text = message.read_text(errors="replace")
        if f"To: {email}" in text:
            match = re.search(r"https?://\S+/compte/verification/\S+", text)
            if match:
                return match.group(0).rstrip(".")
    raise AssertionError(f"no verification e-mail for {email} in {mail_dir}")


def _tick(page, selector: str) -> None:
    """Tick a DSFR checkbox or radio as a person does: its label covers the input."""
    input_id = page.locator(selector).get_attribute("id")
    page.locator(f"label[for='{input_id}']").click()
    assert page.locator(selector).is_checked()


def _register_and_onboard(page, base_url, mail_dir, *, name, email, role, collectivity_text, choice):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Créer un compte").first.click()
    page.fill("#display_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    _tick(page, "#accept_terms")
    page.get_by_role("button", name="Créer mon compte").click()
    # Onboarding: role and collectivity through the autocomplete.
    page.wait_for_url(re.compile(r".*/compte/bienvenue"))
    _tick(page, f"input[name=roles][value={role}]")
    page.fill("#collectivity_query", collectivity_text)
    page.get_by_role("option", name=re.compile(choice)).first.click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r".*/espace"))
    assert page.locator("#prochaines-etapes").is_visible()
    # Verify the address from the e-mail written to the instance's mail folder.
    page.goto(_verification_link(mail_dir, email).replace("http://127.0.0.1:5000", base_url))


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_agent_offers_representative_needs_both_browse(live_server, browser):
    base_url, instance = live_server
    page = browser.new_page(locale="fr-FR")
    start = (date.today() + timedelta(days=10)).isoformat()

    # The agent of the commune of Lyon publishes an offer.
    _register_and_onboard(page, base_url, instance / "mail", name="Camille Agent",
                          email="camille@lyon.example.fr", role="agent",
                          collectivity_text="Lyon", choice="Lyon")
    page.goto(base_url + "/offres/nouveau")
    page.fill("#title", "Accompagnement à la rédaction de marchés publics")
    page.fill("#description", "Rédaction de DCE, analyse des offres, procédure adaptée.")
    page.fill("#tags", "marchés publics, DCE")
    page.select_option("#domain", "marches_publics")
    _tick(page, "input[name=modality][value=remote]")
    page.fill("#days_per_month", "2")
    page.fill("#available_from", start)
    page.get_by_role("button", name="Publier").click()
    assert page.get_by_role("heading", name="Accompagnement à la rédaction de marchés publics").is_visible()
    _logout(page)

    # The representative of Dijon posts a need.
    _register_and_onboard(page, base_url, instance / "mail", name="Dominique Référent",
                          email="dominique@dijon.example.fr", role="representative",
                          collectivity_text="Dijon", choice="Dijon")
    page.goto(base_url + "/besoins/nouveau")
    page.fill("#title", "Refonte de notre procédure d'achat")
    page.fill("#description", "Nous cherchons un appui pour nos marchés publics <b>urgents</b>.")
    page.select_option("#domain", "marches_publics")
    _tick(page, "input[name=modality][value=hybrid]")
    page.fill("#estimated_days", "6")
    page.fill("#start_date", start)
    page.get_by_role("button", name="Publier").click()
    assert page.get_by_role("heading", name="Refonte de notre procédure d'achat").is_visible()
    # HTML typed in a description is shown as text.
    assert "<b>urgents</b>" in page.content().replace("&lt;", "<").replace("&gt;", ">")

    # Both browse both lists, filtered, in French and in the DSFR look.
    page.goto(base_url + "/offres/?domain=marches_publics")
    assert page.get_by_text("Accompagnement à la rédaction de marchés publics").is_visible()
    page.goto(base_url + "/besoins/?q=procedure")
    assert page.get_by_text("Refonte de notre procédure d'achat").is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("link[href*='dsfr.min.css']").count() == 1
    marianne = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in marianne
    _logout(page)
    page.close()
