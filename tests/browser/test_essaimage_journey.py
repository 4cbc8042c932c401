"""Issue 15 §3's journey in a real Chromium: an agent of Lyon writes a practice sheet and fills its
readiness checklist, Dijon's representative declares a reuse, the stage moves from local to
several collectivities, the kit PDF downloads with the sheet in it, and the sheet shows its
stage, the map of its reuses (with its table) and whom to contact. Every page is audited."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import assert_accessible, log_in, log_out, register_and_onboard, tick

pytestmark = pytest.mark.browser

TITLE = "Une ressourcerie intercommunale pour réemployer les encombrants"
ALICE = "alice@lyon.example.fr"
DOMINIQUE = "dominique@dijon.example.fr"


def _write_sheet(page, base_url) -> str:
    page.goto(base_url + "/pratiques/nouvelle")
    page.get_by_label(re.compile(r"^Titre")).fill(TITLE)
    page.get_by_label("Résumé", exact=True).fill("Une ressourcerie qui donne une seconde vie aux encombrants.")
    page.get_by_label("Contacts").fill("Service prévention des déchets de la ville de Lyon.")
    page.get_by_label("Domaine").select_option(index=1)
    page.get_by_label("Statut").select_option("published")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r".*/pratiques/\d+$"))
    return page.url[len(base_url):]


def test_checklist_reuse_stage_pdf_and_sheet_block(live_server, browser):
    base_url, instance = live_server
    mail_dir = instance / "mail"
    page = browser.new_page(locale="fr-FR")
    page.set_default_timeout(10_000)

    # Alice writes the sheet; it starts local, 0 % ready.
    register_and_onboard(page, base_url, mail_dir, name="Alice Agente", email=ALICE, role="agent",
                         collectivity_text="Lyon", choice="Lyon")
    sheet_url = base_url + _write_sheet(page, base_url)
    block = page.locator("#essaimage-kit")
    expect(block.locator("#kit-stage")).to_have_text("Étape : Locale")
    expect(block.locator("#kit-score")).to_have_text("Préparation : 0 %")
    assert_accessible(page)

    # She fills the checklist: one wrong try first (a comment too long), then the real one.
    block.get_by_role("link", name="Remplir la liste de préparation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Préparer l'essaimage")
    assert_accessible(page)
    for item in ("documentation", "costs", "contacts", "conditions"):
        tick(page, f"#status_{item}-2")  # "Prêt"
    tick(page, "#status_costs-1")  # "En partie"
    page.evaluate("document.querySelector('#comment_contacts').removeAttribute('maxlength')")
    page.fill("#comment_contacts", "x" * 1001)
    page.get_by_role("button", name="Enregistrer la liste").click()
    expect(page.locator("#comment_contacts-messages")).to_contain_text("1000 caractères")
    assert_accessible(page)
    page.fill("#comment_contacts", "Écrire au service prévention des déchets, qui reçoit les visites.")
    page.get_by_role("button", name="Enregistrer la liste").click()
    page.wait_for_url(re.compile(r".*/pratiques/\d+#essaimage-kit$"))
    expect(page.get_by_text("la fiche est prête à 88 %")).to_be_visible()
    expect(block.locator("#kit-score")).to_have_text("Préparation : 88 %")
    expect(block.get_by_role("table", name="Liste de préparation de la fiche").get_by_role("row")
           .filter(has_text="Coûts")).to_contain_text("En partie")
    log_out(page)

    # Dijon's representative declares a reuse; the stage moves.
    register_and_onboard(page, base_url, mail_dir, name="Dominique Référente", email=DOMINIQUE,
                         role="representative", collectivity_text="Dijon", choice="Dijon")
    page.goto(sheet_url)
    expect(block.get_by_role("link", name="Remplir la liste de préparation")).to_have_count(0)
    spread = page.locator("#essaimage")
    tick(page, "#stage-implemented")
    spread.get_by_role("button", name="Déclarer la reprise").click()
    expect(page.get_by_text("Merci : la reprise de cette pratique est enregistrée.")).to_be_visible()
    expect(block.locator("#kit-stage")).to_have_text("Étape : Plusieurs collectivités")

    # The sheet shows the map (départements coloured) with its table, and whom to contact.
    expect(block.locator("map-chart")).to_have_count(1)
    table = block.get_by_role("table", name=re.compile("Données de la carte"))
    expect(table.get_by_role("row").filter(has_text="Dijon (mise en place)")).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Lyon (origine)")).to_be_visible()
    contact = block.locator("#kit-contact")
    expect(contact).to_contain_text("La pratique a été menée par Lyon")
    expect(contact).to_contain_text("Alice Agente")
    expect(contact.get_by_role("link", name=ALICE)).to_have_attribute("href", f"mailto:{ALICE}")
    expect(contact).to_contain_text("service prévention des déchets, qui reçoit les visites")
    assert_accessible(page)

    # The kit page lists the sheet under its stage and filters; the PDF downloads with it.
    page.goto(base_url + "/pratiques/")
    page.get_by_role("link", name="Le kit d'essaimage").click()
    expect(page.get_by_role("heading", name="Le kit d'essaimage", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Plusieurs collectivités", level=3)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Étape d'essaimage").select_option("national")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucune fiche ne répond à ces critères.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Étape d'essaimage").select_option("several")
    page.get_by_label("Préparation au moins égale à").select_option("75")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger le kit")).click()
    download = download_info.value
    assert download.suggested_filename == "kit-essaimage.pdf"
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    text = " ".join("".join(p.extract_text() for p in reader.pages).split())
    assert TITLE in text and "Plusieurs collectivités" in text
    log_out(page)

    # A visitor sees the stage and the contact's name, not the address.
    page.goto(sheet_url)
    expect(block.locator("#kit-stage")).to_have_text("Étape : Plusieurs collectivités")
    expect(block.locator("#kit-contact")).to_contain_text("Connectez-vous pour voir leurs adresses")
    assert_accessible(page)
    page.close()
