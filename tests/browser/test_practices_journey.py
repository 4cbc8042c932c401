"""Issue 6's journey in a real Chromium: an agent of Lyon writes a practice sheet with a PDF, an
agent of Villeurbanne improves it, the first compares the versions and reverts the change, Dijon
declares it reuses the practice, a follower of the sheet gets it in the daily digest, and a need
of Dijon suggests the sheet."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in, log_out, mails_to, register_and_onboard, tick

pytestmark = pytest.mark.browser

TITLE = "Cantine scolaire bio et locale en circuits courts"
RESULTS = "60 % de produits bio et locaux dans les assiettes des écoles."
IMPROVEMENT = "Gaspillage alimentaire réduit de 30 % en un an."
ALICE = "alice@lyon.example.fr"
BRUNO = "bruno@villeurbanne.example.fr"
DOMINIQUE = "dominique@dijon.example.fr"
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _write_sheet(page, base_url, pdf_path) -> str:
    """Alice writes and publishes the sheet, then attaches the PDF; returns the sheet's path."""
    page.goto(base_url + "/pratiques/nouvelle")
    page.get_by_label(re.compile(r"^Titre")).fill(TITLE)
    page.get_by_label("Résumé", exact=True).fill(
        "Une cantine scolaire approvisionnée en produits bio et locaux par des producteurs voisins.")
    page.get_by_label("Le problème résolu").fill("Des repas de cantine peu appréciés, venus de loin.")
    page.get_by_label("Ce qui a été fait").fill(
        "- un marché public alloti pour les **producteurs locaux**\n- une légumerie municipale")
    page.get_by_label("Les résultats").fill(RESULTS)
    page.get_by_label("Domaine").select_option("alimentation_durable")
    page.get_by_label("Mots-clés").fill("cantine, circuits courts, bio")
    page.get_by_label("Statut").select_option("published")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r".*/pratiques/\d+$"))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    sheet_path = page.url[len(base_url):]

    page.get_by_label("Ajouter un document").set_input_files(str(pdf_path))
    page.get_by_label("Titre du document").fill("Bilan de la cantine")
    page.get_by_role("button", name="Envoyer le document").click()
    link = page.locator("#ressources").get_by_role("link", name=re.compile("Bilan de la cantine"))
    assert "PDF" in link.text_content()
    downloaded = page.request.get(base_url + link.get_attribute("href"))
    assert downloaded.ok and downloaded.body() == PDF
    return sheet_path


def test_sheet_written_improved_reverted_reused_digested_suggested(live_server, browser, flask_command, tmp_path):
    base_url, instance = live_server
    mail_dir = instance / "mail"
    page = browser.new_page(locale="fr-FR")
    page.set_default_timeout(10_000)
    pdf_path = tmp_path / "bilan-cantine.pdf"
    pdf_path.write_bytes(PDF)

    # An agent of Lyon writes the sheet, with a PDF attachment.
    register_and_onboard(page, base_url, mail_dir, name="Alice Agente", email=ALICE, role="agent",
                         collectivity_text="Lyon", choice="Lyon")
    sheet_path = _write_sheet(page, base_url, pdf_path)
    sheet_url = base_url + sheet_path
    log_out(page)

    # Dijon's representative follows the sheet and wants a daily digest of practices news.
    register_and_onboard(page, base_url, mail_dir, name="Dominique Référente", email=DOMINIQUE,
                         role="representative", collectivity_text="Dijon", choice="Dijon")
    page.goto(sheet_url)
    page.get_by_role("button", name="Suivre cette fiche").click()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    page.goto(base_url + "/notifications/preferences")
    tick(page, "input[name=practices][value=daily]")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences d'e-mails sont enregistrées.")).to_be_visible()
    log_out(page)

    # An agent of Villeurbanne improves the results.
    register_and_onboard(page, base_url, mail_dir, name="Bruno Agent", email=BRUNO, role="agent",
                         collectivity_text="Villeurbanne", choice="Villeurbanne")
    page.goto(sheet_url)
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Les résultats").fill(RESULTS + "\n" + IMPROVEMENT)
    page.get_by_label("Résumé de vos modifications").fill("Chiffres du gaspillage ajoutés")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(sheet_url)
    expect(page.get_by_text(IMPROVEMENT)).to_be_visible()
    log_out(page)

    # Alice compares the two versions, sees Bruno's line as added, and goes back to hers.
    log_in(page, base_url, ALICE)
    page.goto(sheet_url)
    page.get_by_role("link", name="Historique").click()
    history = page.get_by_role("table", name="Versions de la fiche")
    expect(history.get_by_role("row").filter(has_text="Chiffres du gaspillage ajoutés")).to_be_visible()
    expect(page.get_by_role("radio", name="Comparer depuis la version 1")).to_be_checked()
    expect(page.get_by_role("radio", name="Comparer jusqu’à la version 2")).to_be_checked()
    page.get_by_role("button", name="Comparer les versions choisies").click()
    diff = page.get_by_role("table", name="Différences entre les versions")
    added = diff.locator("td.essaim-diff__add ins", has_text=IMPROVEMENT)
    expect(added).to_be_visible()
    expect(diff.get_by_role("rowheader")).to_have_text(["Résultats"])  # the only field changed
    assert diff.locator("del", has_text=IMPROVEMENT).count() == 0
    page.get_by_role("button", name="Revenir à la version 1").click()
    page.wait_for_url(re.compile(r".*/historique$"))
    expect(page.get_by_text("La fiche est revenue au contenu de la version choisie")).to_be_visible()
    rows = page.get_by_role("table", name="Versions de la fiche").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Retour à la version 1")
    page.goto(sheet_url)
    expect(page.get_by_text(RESULTS)).to_be_visible()
    expect(page.get_by_text(IMPROVEMENT)).to_have_count(0)
    log_out(page)

    # Dijon declares it takes inspiration from the practice; the sheet shows where it spread.
    log_in(page, base_url, DOMINIQUE)
    page.goto(sheet_url)
    spread = page.locator("#essaimage")
    expect(spread.get_by_label("Votre collectivité").locator("option:checked")).to_have_text("Dijon")
    expect(spread.get_by_role("radio", name="Je m'en inspire")).to_be_checked()
    spread.get_by_role("button", name="Déclarer la reprise").click()
    expect(page.get_by_text("Merci : la reprise de cette pratique est enregistrée.")).to_be_visible()
    expect(spread.get_by_role("listitem").filter(has_text="Dijon").filter(has_text="S'en inspire")).to_be_visible()
    region_row = spread.get_by_role("table", name="Reprises par région").get_by_role("row").filter(
        has_text="Bourgogne-Franche-Comté")
    expect(region_row.locator("td")).to_have_text(["0", "1"])

    # Nothing reached Dominique by e-mail before the digest; the digest names the sheet.
    assert not [text for text in mails_to(mail_dir, DOMINIQUE) if TITLE in text]
    assert "Récapitulatifs envoyés : 1" in flask_command("notifications", "send-digests")
    digests = [text for text in mails_to(mail_dir, DOMINIQUE) if TITLE in text]
    assert len(digests) == 1
    assert "Votre récapitulatif Essaim du jour" in digests[0]
    assert f"Bruno Agent a modifié la fiche « {TITLE} » (version 2)" in digests[0]
    assert sheet_path in digests[0]
    assert not [text for text in mails_to(mail_dir, ALICE) + mails_to(mail_dir, BRUNO) if TITLE in text]

    # Dijon posts a need close to the practice: its page suggests the sheet and its authors.
    page.goto(base_url + "/besoins/nouveau")
    page.fill("#title", "Une cantine scolaire bio et locale")
    page.fill("#description", "Nous voulons des produits bio et locaux, en circuits courts, "
                              "pour la cantine scolaire de nos écoles.")
    page.fill("#tags", "cantine, circuits courts")
    page.select_option("#domain", "alimentation_durable")
    tick(page, "input[name=modality][value=hybrid]")
    page.fill("#estimated_days", "5")
    page.fill("#start_date", (date.today() + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", name="Une cantine scolaire bio et locale", level=1)).to_be_visible()
    suggested = page.get_by_role("region", name="Des collectivités l'ont déjà fait")
    link = suggested.get_by_role("link", name=TITLE)
    expect(link).to_have_attribute("href", sheet_path)
    assert "Alice Agente" in suggested.text_content() and "Bruno Agent" in suggested.text_content()
    link.click()
    page.wait_for_url(sheet_url)
    log_out(page)
    page.close()
