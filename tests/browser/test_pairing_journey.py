"""Issues 5 and 11's journey in a real Chromium, from the demo data: the coordinator approves a
suggestion, the agent, their employer and the host consent, the host sets the terms, the parties
state their signatories, the convention and the arrêté are frozen and downloaded as PDF, the three
signed PDFs are uploaded, the agent logs days, the engagement ends by mutual agreement, both sides
give feedback; the stepper is checked at each step, and every e-mail reached the SMTP server once."""
from __future__ import annotations

import io
import re
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from marketplace.demo.people import DEMO_PASSWORD
from tests.browser.helpers import tick

pytestmark = pytest.mark.browser

COORDINATOR, AGENT, EMPLOYER, HOST = (f"{who}@demo.essaim.fr" for who in
                                      ("coordinateur", "agent", "employeur", "referent"))
# The demo agent's first offer and the demo referent's need planned to answer it (marketplace/demo).
OFFER = "Mesure de la consommation foncière et stratégie ZAN"
NEED = "Premier bilan de consommation d'espaces pour le ZAN"
AGENT_NAME, HOME, HOST_PLACE = "Camille Le Gall", "Rennes", "CA Redon Agglomération"
TIMEOUT = 15_000  # ms: every wait is bounded


def _session(browser, base_url: str, email: str):
    """A browser context of its own, logged in through the form as this demo account."""
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(base_url + "/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)
    return page


def _flash(page, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible()


def _open_pairing(page) -> None:
    """From the menu, the person's list of pairings, then the pairing of the demo need."""
    page.get_by_role("link", name="Mes rapprochements").first.click()
    page.get_by_role("link", name=NEED).click()
    page.get_by_role("heading", name=NEED, level=1).wait_for()


def _consent(page) -> None:
    _open_pairing(page)
    tick(page, "input[name='consent-decision'][value=accepted]")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    _flash(page, "Votre réponse est enregistrée.")


def _step(page, n: int) -> None:
    """The DSFR stepper shows step n of 7."""
    expect(page.get_by_text(f"Étape {n} sur 7")).to_be_visible()


def _party_details(page, party_values: dict) -> None:
    for label, value in party_values.items():
        page.get_by_label(label).first.fill(value)
    page.get_by_role("button", name="Enregistrer ces informations").click()
    _flash(page, "Les informations de votre collectivité sont enregistrées ; les documents sont à jour.")


def _upload_signed(page, pdf: bytes, name: str) -> None:
    page.locator("input[name='copy-file']").first.set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": pdf})
    page.get_by_role("button", name="Déposer mon exemplaire signé").first.click()
    _flash(page, "Votre exemplaire signé est enregistré.")


def _give_feedback(page, rating: int, comment: str) -> None:
    page.get_by_label("Note de 1 à 5").fill(str(rating))
    page.get_by_label("Commentaire").fill(comment)
    page.get_by_role("button", name="Donner mon avis").click()
    _flash(page, "Merci pour votre avis.")


def _pdf_text(download) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _journey_mail(mailbox, since: int, expected: int) -> list[dict]:
    """The messages received since `since`, once `expected` of them arrived (bounded wait) and
    nothing more came for a moment: a duplicate sent late would still be caught."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while len(mailbox.messages) - since < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    return mailbox.messages[since:]


def test_from_suggestion_to_feedback_with_every_email_once(demo_server, browser):
    base_url, _instance, mailbox = demo_server
    mail_before = len(mailbox.messages)
    today = date.today()
    start, end = today, today + timedelta(days=60)

    # The coordinator finds the demo pairing in the queue, filtered to its département and
    # domain, with its explanation, and approves it.
    coordinator = _session(browser, base_url, COORDINATOR)
    coordinator.get_by_role("link", name="Coordination").first.click()
    coordinator.get_by_role("heading", name="Suggestions à examiner").wait_for()
    coordinator.get_by_label("Département (code)").fill("35")
    coordinator.get_by_label("Domaine").select_option(label="Urbanisme et aménagement")
    coordinator.get_by_role("button", name="Filtrer").click()
    # Other agents offer the same skill: the demo agent's row is the one with their name.
    demo_pair = f"{AGENT_NAME} — {HOME}"
    row = coordinator.get_by_role("row").filter(has_text=OFFER).filter(has_text=NEED).filter(has_text=demo_pair)
    assert row.count() == 1, "the demo data must suggest the demo agent's offer for the demo need"
    assert "Thèmes communs : ZAN, foncier" in row.inner_text()
    # The label holds only a screen-reader text, its drawn box lies over the input: click where a
    # person clicks (force skips the "label intercepts pointer events" check, not the click itself).
    row.get_by_role("checkbox", name=re.compile("Choisir la suggestion")).check(force=True)
    coordinator.get_by_role("button", name="Approuver").first.click()  # the buttons are above and below the list
    _flash(coordinator, "1 mise en relation proposée aux trois parties.")
    decided = coordinator.get_by_role("row").filter(has_text=OFFER).filter(has_text=NEED).filter(has_text=demo_pair)
    assert decided.count() == 0  # a decided suggestion leaves the queue

    # The three parties consent, each in their own session.
    agent = _session(browser, base_url, AGENT)
    _consent(agent)
    pairing_url = agent.url.split("#")[0]
    pairing_id = int(re.search(r"/rapprochements/(\d+)", pairing_url).group(1))
    employer = _session(browser, base_url, EMPLOYER)
    _consent(employer)
    host = _session(browser, base_url, HOST)
    _open_pairing(host)
    expect(host.get_by_text(f"En acceptant, {HOST_PLACE} accepte d'accueillir {AGENT_NAME}")).to_be_visible()
    tick(host, "input[name='consent-decision'][value=accepted]")
    host.get_by_role("button", name="Envoyer ma réponse").click()
    _flash(host, "Votre réponse est enregistrée.")

    # The host sets the terms of a mise à disposition.
    host.get_by_role("link", name="Fixer les conditions de la convention").click()
    host.get_by_role("heading", name="Conditions de la convention").wait_for()
    assert host.get_by_label("Cadre juridique").input_value() == "mise_a_disposition"
    host.get_by_label("Nature des activités").fill("Bilan de la consommation d'espaces et note de cadrage ZAN.")
    host.get_by_label("Date de début").fill(start.isoformat())
    host.get_by_label("Date de fin (3 ans au plus)").fill(end.isoformat())
    host.get_by_label("Nombre de jours prévus").fill("3")
    host.get_by_label("Lieu de travail").fill("Siège de l'agglomération, Redon")
    host.get_by_label("Temps de travail").fill("Un jour par mois, le mardi")
    assert host.get_by_label("Remboursée par la collectivité d'accueil (règle générale)").is_checked()
    host.get_by_label("Conditions de renouvellement").fill("Renouvelable une fois par avenant.")
    host.get_by_label("Conditions de fin anticipée").fill("Chaque partie y met fin avec un préavis d'un mois.")
    host.get_by_role("button", name="Enregistrer les conditions").click()
    _flash(host, "Les conditions sont enregistrées ; les documents sont à jour.")
    _step(host, 4)

    # Before signature each collectivity states its signatory; the employer states the agent's situation.
    _party_details(host, {"Adresse du siège": "3 rue Charles Sillard, 35600 Redon", "Nom du signataire": "Alex Président",
                          "Qualité du signataire": "Président", "Délibération ou délégation qui l'habilite":
                          "délibération n° 2026-12 du conseil communautaire"})
    employer.reload()
    _party_details(employer, {"Adresse du siège": "Place de la Mairie, 35000 Rennes", "Nom du signataire": "Dominique Maire",
                              "Qualité du signataire": "Adjointe déléguée au personnel",
                              "Délibération ou délégation qui l'habilite": "arrêté de délégation n° 2026-3"})
    employer.get_by_label("Grade").fill("Ingénieur principal")
    employer.get_by_label("Cadre d'emplois").fill("Ingénieurs territoriaux")
    tick(employer, "input[name='agent-agent_status'][value=titulaire]")
    employer.get_by_label("Service d'origine").fill("Direction de l'urbanisme")
    employer.get_by_role("button", name="Enregistrer la situation de l'agent").click()
    _flash(employer, "La situation de l'agent est enregistrée ; les documents sont à jour.")

    # The convention's preview states its clauses.
    host.reload()
    host.get_by_role("link", name="Aperçu").first.click()
    for heading in ("Fondement juridique", "Article 3 — Durée et dates", "Article 5 — Encadrement, contrôle et évaluation",
                    "Article 6 — Rémunération et remboursement", "Article 11 — Fin anticipée et préavis",
                    "Article 9 — Information préalable"):
        expect(host.get_by_role("heading", name=heading)).to_be_visible()
    host.go_back()

    # Frozen for signature, the PDF downloads with the names, dates and key clauses.
    host.get_by_role("button", name="Figer la version 1 pour signature").first.click()
    _flash(host, "Le document est figé")
    with host.expect_download(timeout=TIMEOUT) as download:
        host.get_by_role("link", name="PDF à signer").first.click()
    assert download.value.suggested_filename == f"convention-{pairing_id}-v1.pdf"
    convention_pdf = open(download.value.path(), "rb").read()
    text = _pdf_text(download.value)
    for expected in (AGENT_NAME, HOME, HOST_PLACE, "Convention de mise à disposition", NEED, "L. 512-6",
                     "2008-580 du 18 juin 2008", f"prend effet le {start:%d/%m/%Y}", f"prend fin le {end:%d/%m/%Y}",
                     "3 jour(s)", "trois ans", "Siège de l'agglomération, Redon", "Un jour par mois, le mardi",
                     "Rémunération et remboursement", "Renouvelable une fois par avenant", "Fin anticipée",
                     "préavis d'un mois", "Obligations de l'agent", "Ingénieur principal", "Alex Président",
                     f"L'organe délibérant de {HOME} est informé préalablement", "comité social territorial", "Fait à"):
        assert expected in text, f"{expected!r} not in the PDF: {text[:2000]}"

    # The employer freezes and downloads the arrêté, its own document.
    employer.reload()
    employer.get_by_role("button", name="Figer la version 1 pour signature").first.click()
    _flash(employer, "Le document est figé")
    with employer.expect_download(timeout=TIMEOUT) as download:
        employer.get_by_role("link", name="PDF à signer").last.click()
    assert download.value.suggested_filename == f"arrete-{pairing_id}-v1.pdf"
    assert "Arrêté portant mise à disposition" in _pdf_text(download.value)

    # The three signatories upload their signed PDFs (here the frozen file itself, as a tool returns it).
    _upload_signed(host, convention_pdf, "convention-signee-accueil.pdf")
    _step(host, 4)
    _upload_signed(employer, convention_pdf, "convention-signee-employeur.pdf")
    agent.reload()
    _upload_signed(agent, convention_pdf, "convention-signee-agent.pdf")
    _step(agent, 5)
    expect(agent.get_by_text("convention-signee-accueil.pdf")).to_be_visible()

    # The agent logs days and sees what is left of the plan and of the yearly budget.
    agent.get_by_label(re.compile(r"^Date\s*\*?\s*$")).fill(today.isoformat())
    agent.get_by_label("Jours passés").fill("2")
    agent.get_by_label("Ce qui a été fait").fill("Atelier de lancement")
    agent.get_by_role("button", name="Déclarer ces jours").click()
    _flash(agent, "Les jours sont enregistrés.")
    expect(agent.get_by_text("Déclarés : 2 sur 3 jour(s) prévus ; reste 1.")).to_be_visible()
    expect(agent.get_by_text("Budget annuel restant de l'agent : 18 jour(s) sur 20.")).to_be_visible()
    expect(agent.get_by_role("cell", name="Atelier de lancement")).to_be_visible()

    # The engagement ends before its planned date by mutual agreement: the three parties ask.
    assert agent.get_by_label("Fin normale").is_checked()
    agent.get_by_role("button", name="Terminer l'engagement").click()
    _flash(agent, "La fin d'un commun accord est demandée")
    _step(agent, 5)
    for page in (employer, host):
        page.reload()
        page.get_by_role("button", name="Terminer l'engagement").click()
    _flash(host, "L'engagement est terminé.")
    agent.reload()
    _step(agent, 7)
    _give_feedback(agent, 5, "Équipe accueillante, objectifs clairs.")
    host.reload()
    _give_feedback(host, 4, "Note de cadrage utile au conseil communautaire.")
    for page in (agent, host):
        page.reload()
        expect(page.get_by_text("Avis de l'agent : 5/5 — Équipe accueillante, objectifs clairs.")).to_be_visible()
        expect(page.get_by_text(
            "Avis de la collectivité d'accueil : 4/5 — Note de cadrage utile au conseil communautaire.")).to_be_visible()

    # Every e-mail of the journey arrived once: the proposal to the three parties, the call to
    # set the terms, the convention to sign, the signed convention, the end asked by the agent,
    # the end of the engagement to the agent and the host.
    link = f"/rapprochements/{pairing_id}"
    expected = Counter({
        (AGENT, "Une mise en relation attend votre accord"): 1,
        (EMPLOYER, "Une mise en relation attend votre accord"): 1,
        (HOST, "Une mise en relation attend votre accord"): 1,
        (HOST, "Les trois accords sont réunis : à vous de fixer les conditions"): 1,
        (AGENT, "La convention est prête à signer"): 1,
        (EMPLOYER, "La convention est prête à signer"): 1,
        (HOST, "La convention est prête à signer"): 1,
        (AGENT, "Un document de mise à disposition est signé"): 1,
        (EMPLOYER, "Un document de mise à disposition est signé"): 1,
        (HOST, "Un document de mise à disposition est signé"): 1,
        (EMPLOYER, "Fin d'engagement demandée"): 1,
        (HOST, "Fin d'engagement demandée"): 1,
        (AGENT, "Engagement terminé : votre avis"): 1,
        (HOST, "Engagement terminé : votre avis"): 1,
    })
    received = _journey_mail(mailbox, mail_before, sum(expected.values()))
    assert all(link in message["body"] for message in received), received
    assert Counter((m["to"], m["subject"]) for m in received) == expected, received
    for context in {page.context for page in (coordinator, agent, employer, host)}:
        context.close()
