"""Issue 14's journey in a real Chromium, from the demo data: an anonymous visitor browses the
offers (no personal data), fetches the OpenAPI document and reads the API documentation; the demo
coordinator opens the statistics with the map of France, filters by département, downloads the
XLSX and reads it back, and pages through the queue. axe-core finds no serious or critical
violation on the pages visited (offer, statistics, API documentation, queue)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from marketplace.demo.people import DEMO_PASSWORD
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms: every wait is bounded


def _context(browser):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(TIMEOUT)
    return context


def test_anonymous_visitor_then_coordinator_statistics(demo_server, browser):
    base_url, _instance, _mailbox = demo_server

    visitor = _context(browser).new_page()
    visitor.goto(base_url + "/")
    visitor.get_by_role("link", name="Offres de compétences").first.click()
    visitor.wait_for_url(lambda url: url.endswith("/offres/"))
    visitor.locator(".fr-card__title a").first.click()
    visitor.get_by_text("Connectez-vous pour voir le nom et le contact").wait_for()
    assert_accessible(visitor)
    document = visitor.request.get(base_url + "/api/v1/openapi.json")
    assert document.ok and document.json()["openapi"].startswith("3.1")
    visitor.goto(base_url + "/api/v1/docs")
    visitor.locator(".opblock").first.wait_for()  # the vendored Swagger UI rendered the document
    assert_accessible(visitor)

    page = _context(browser).new_page()
    page.goto(base_url + "/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("coordinateur@demo.essaim.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)

    page.get_by_role("link", name="Statistiques").first.click()
    page.get_by_role("heading", name="Statistiques", level=1).wait_for()
    assert "Votre territoire" in page.content()
    page.locator("map-chart").first.wait_for()  # the State's map component, upgraded by its script
    assert page.evaluate("() => customElements.get('map-chart') !== undefined")
    table = page.locator("table", has_text="Données de la carte par département")
    assert table.locator("tbody tr").count() >= 2  # several Breton départements have figures
    assert_accessible(page)

    page.select_option("#filtre-departement", "35")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(lambda url: "departement=35" in url)
    rows = page.locator("table", has_text="Données de la carte par département").locator("tbody th")
    codes = [text.split()[0] for text in rows.all_inner_texts()]
    # Ille-et-Vilaine's collectivities; an EPCI across départements (Redon: 35, 44, 56) counts in each.
    assert "35" in codes and "29" not in codes and "22" not in codes, codes

    # The browser fixture's reference geography is a small sample (tests/fixtures/geo) that lacks the
    # demo's Breton départements, so the list is filtered by domain here: the same filters object.
    page.goto(base_url + "/offres/?domain=urbanisme")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    sheet = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("Identifiant", "Titre")
    assert len(values) > 1 and {row[2] for row in values[1:]} == {"Urbanisme et aménagement"}
    listed = page.locator("#resultats").inner_text()
    assert listed.startswith(str(len(values) - 1))  # as many rows as the page counts

    # The queue pages: 25 suggestions a page, the DSFR pagination keeps the filters.
    page.goto(base_url + "/coordination/")
    caption = page.locator("table caption").first.inner_text()
    assert "page 1 sur" in caption, caption
    first_page = page.locator("tbody tr").count()
    assert first_page == 25
    page.get_by_role("link", name="Page suivante").first.click()
    page.wait_for_url(lambda url: "page=2" in url)
    assert "page 2 sur" in page.locator("table caption").first.inner_text()
    assert_accessible(page)
