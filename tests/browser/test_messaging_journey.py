"""Issue 15 §4's journey in a real Chromium, from the demo data: the référent writes to the agent
suggested for their need from the need page, the agent sees the unread message, answers with a
PDF, the référent reads the answer and downloads the file; the report form and the messaging
settings are reachable, and an administrator decides on the report; every page visited passes the accessibility audit."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, tick
from tests.browser.test_pairing_journey import AGENT, AGENT_NAME, HOST, NEED, OFFER, TIMEOUT, _flash, _session

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.essaim.fr"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIRST = "Bonjour, votre offre sur le ZAN correspond à notre besoin : seriez-vous disponible en mars ?"
ANSWER = "Bonjour, oui : je vous joins ma note de méthode."


def test_referent_writes_agent_answers_with_a_file_referent_reads_it(demo_server, browser):
    base_url, _instance, mailbox = demo_server
    mail_before = len(mailbox.messages)

    referent = _session(browser, base_url, HOST)
    referent.goto(base_url + "/besoins/mes")
    referent.get_by_role("link", name=NEED).first.click()
    referent.get_by_role("heading", name=NEED, level=1).wait_for()
    # The suggestions are drawn by the page's script from the JSON feed: wait for the offer's row.
    rows = referent.locator("#suggestions li").filter(has_text=OFFER)
    rows.first.wait_for(timeout=TIMEOUT)
    assert_accessible(referent)
    # Other demo agents offer the same skill under the same title: the start page names the agent.
    for index in range(rows.count()):
        rows.nth(index).get_by_role("link", name="Écrire à l'agent").click()
        referent.get_by_role("heading", name=re.compile("^Écrire à ")).wait_for()
        if referent.get_by_role("heading", name=f"Écrire à {AGENT_NAME}").count():
            break
        referent.go_back()
        rows.first.wait_for(timeout=TIMEOUT)
    else:
        raise AssertionError(f"no suggestion of {AGENT_NAME}'s offer on the need page")
    assert_accessible(referent)
    referent.get_by_role("button", name="Envoyer le message").click()  # empty: refused next to the field
    expect(referent.get_by_text("Écrivez votre message.").first).to_be_visible()
    assert_accessible(referent)
    referent.get_by_label("Votre message").fill(FIRST)
    referent.get_by_role("button", name="Envoyer le message").click()
    _flash(referent, "Votre message est envoyé à l'agent.")
    assert_accessible(referent)

    agent = _session(browser, base_url, AGENT)
    messages_link = agent.get_by_role("link", name=re.compile(r"^Messages 1 non lus"))
    expect(messages_link.first).to_be_visible()
    messages_link.first.click()
    agent.get_by_role("heading", name="Messages", level=1).wait_for()
    assert_accessible(agent)
    agent.get_by_role("link", name="Yannick Guého").click()
    expect(agent.get_by_text(FIRST)).to_be_visible()
    agent.get_by_label("Votre message").fill(ANSWER)
    agent.locator("input[name='file']").set_input_files(
        {"name": "note-methode.pdf", "mimeType": "application/pdf", "buffer": PDF})
    agent.get_by_role("button", name="Envoyer la réponse").click()
    _flash(agent, "Votre réponse est envoyée.")
    assert_accessible(agent)

    referent.goto(base_url + "/espace")  # (reloading the conversation itself would mark the answer read)
    referent.get_by_role("link", name=re.compile(r"^Messages 1 non lus")).first.click()
    assert_accessible(referent)
    referent.get_by_role("link", name=AGENT_NAME).click()
    expect(referent.get_by_text(ANSWER)).to_be_visible()
    with referent.expect_download() as download:
        referent.get_by_role("link", name="note-methode.pdf").click()
    assert open(download.value.path(), "rb").read() == PDF
    assert_accessible(referent)

    referent.get_by_role("link", name="Signaler ce message").click()
    referent.get_by_role("heading", name="Signaler un message", level=1).wait_for()
    assert_accessible(referent)
    tick(referent, "input[name='reason'][value=other]")
    referent.get_by_label("Précisez ce qui pose problème (facultatif)").fill("Test du signalement")
    referent.get_by_role("button", name="Envoyer le signalement").click()
    _flash(referent, "Merci : votre signalement est transmis aux administrateurs.")

    # The administrator finds the report from the accounts page and dismisses it, with a reason.
    admin = _session(browser, base_url, ADMIN)
    admin.get_by_role("link", name="Administration").first.click()
    admin.get_by_role("link", name="Messages signalés").click()
    admin.get_by_role("heading", name="Messages signalés", level=1).wait_for()
    expect(admin.get_by_text(ANSWER)).to_be_visible()
    expect(admin.get_by_text("Test du signalement")).to_be_visible()
    assert_accessible(admin)
    section = admin.locator("section[id^='signalement-']").first
    tick(admin, "section[id^='signalement-'] input[value=dismissed]")
    section.get_by_label("Raison (gardée dans le journal)").fill("Signalement de test")
    section.get_by_role("button", name="Enregistrer la décision").click()
    _flash(admin, "Décision enregistrée dans le journal.")
    expect(admin.get_by_text("Aucun signalement en attente.")).to_be_visible()
    assert_accessible(admin)

    # E-mails left through the outbox: the agent's and the référent's new messages (immediate by
    # default), the report to the administrator.
    deadline = time.monotonic() + TIMEOUT / 1000
    while len(mailbox.messages) - mail_before < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    sent = [(m["to"], m["subject"]) for m in mailbox.messages[mail_before:]]
    assert (AGENT, "Nouveau message sur Essaim") in sent and (HOST, "Nouveau message sur Essaim") in sent, sent
    assert (ADMIN, "Un message a été signalé sur Essaim") in sent, sent
    referent.goto(base_url + "/messages/parametres")
    referent.get_by_role("heading", name="Paramètres de messagerie", level=1).wait_for()
    assert_accessible(referent)
