"""Issue 15's communities journey in a real Chromium, two people at once: an agent of Lyon creates a
community whose members she approves, an agent of Villeurbanne asks to join and is accepted, they
exchange in a thread, he shares a file that she downloads back byte for byte, and she is notified
in the application and by e-mail. Every page is audited by axe-core (conftest.py)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import mails_to, register_and_onboard

pytestmark = pytest.mark.browser

NAME = "Cantines durables du Rhône"
THREAD = "Allotir un marché de produits locaux"
ALICE = "alice@lyon.example.fr"
BRUNO = "bruno@villeurbanne.example.fr"
CSV = "commune;repas bio\nLyon;60 %\nVilleurbanne;45 %\n".encode()


def _person(browser, live_server, name, email, city):
    base_url, instance = live_server
    page = browser.new_context(locale="fr-FR", accept_downloads=True).new_page()
    page.set_default_timeout(10_000)
    register_and_onboard(page, base_url, instance / "mail", name=name, email=email, role="agent",
                         collectivity_text=city, choice=city)
    return page


def _open_notification(page, base_url, text: str) -> None:
    page.goto(base_url + "/notifications/")
    page.get_by_role("link", name=re.compile(text)).first.click()


def test_create_join_on_request_discuss_share_a_file_and_be_notified(live_server, browser, tmp_path):
    base_url, instance = live_server
    alice = _person(browser, live_server, "Alice Martin", ALICE, "Lyon")
    bruno = _person(browser, live_server, "Bruno Petit", BRUNO, "Villeurbanne")

    # Alice creates a community whose members a moderator approves.
    alice.goto(base_url + "/communautes/")
    alice.get_by_role("link", name="Créer une communauté").click()
    alice.get_by_label("Nom de la communauté").fill(NAME)
    alice.get_by_label("Domaine", exact=True).select_option("alimentation_durable")
    alice.get_by_label(re.compile("^Départements")).fill("69")
    alice.locator("#description").fill("Marchés publics de produits bio et locaux pour les cantines.")
    alice.locator("label[for=is_open]").click()  # the DSFR label covers the checkbox
    assert not alice.locator("#is_open").is_checked()
    alice.get_by_role("button", name="Enregistrer").click()
    expect(alice.get_by_role("heading", name=NAME, level=1)).to_be_visible()
    expect(alice.get_by_text("Vous êtes modérateur de cette communauté.")).to_be_visible()
    community_path = alice.url[len(base_url):]

    # Bruno finds it in the list and asks to join.
    bruno.goto(base_url + "/communautes/")
    bruno.get_by_role("link", name=NAME).click()
    expect(bruno.get_by_text("Cette communauté est fermée")).to_be_visible()
    bruno.get_by_label(re.compile("^Message aux modérateurs")).fill("Je prépare le marché de nos cantines.")
    bruno.get_by_role("button", name="Demander à rejoindre").click()
    expect(bruno.get_by_text("Votre demande d'adhésion attend la réponse d'un modérateur.")).to_be_visible()

    # Alice is told of the request and accepts it from the members page.
    _open_notification(alice, base_url, "Bruno Petit demande à rejoindre")
    expect(alice.get_by_role("heading", name="Demandes d'adhésion")).to_be_visible()
    expect(alice.get_by_text("Je prépare le marché de nos cantines.")).to_be_visible()
    alice.get_by_role("button", name="Accepter").click()
    expect(alice.get_by_role("heading", name="Demandes d'adhésion")).to_have_count(0)

    # Bruno, now a member, is told so and opens a thread.
    _open_notification(bruno, base_url, "est acceptée")
    expect(bruno.get_by_text("Vous êtes membre de cette communauté.")).to_be_visible()
    bruno.get_by_role("link", name="Ouvrir une discussion").click()
    bruno.get_by_label("Titre de la discussion").fill(THREAD)
    bruno.locator("#body").fill("Comment avez-vous découpé les lots ?")
    bruno.get_by_role("button", name=re.compile("Publier|Ouvrir|Enregistrer")).click()
    expect(bruno.get_by_role("heading", name=THREAD, level=1)).to_be_visible()

    # Alice follows the community she created: she is notified and replies.
    _open_notification(alice, base_url, "a ouvert la discussion")
    expect(alice.get_by_role("heading", name=THREAD, level=1)).to_be_visible()
    alice.get_by_label("Votre réponse").fill("Un lot par filière : légumes, laitages, viande.")
    alice.get_by_role("button", name="Publier la réponse").click()
    expect(alice.get_by_text("Un lot par filière : légumes, laitages, viande.")).to_be_visible()
    bruno.reload()
    expect(bruno.get_by_text("Un lot par filière : légumes, laitages, viande.")).to_be_visible()

    # Bruno shares a file in the community; Alice downloads it back, byte for byte.
    shared = tmp_path / "repas-bio.csv"
    shared.write_bytes(CSV)
    bruno.goto(base_url + community_path)
    bruno.get_by_label("Fichier").set_input_files(str(shared))
    bruno.get_by_label("Titre (facultatif)").first.fill("Part du bio par commune")
    bruno.get_by_role("button", name="Partager le fichier").click()
    alice.goto(base_url + community_path)
    link = alice.locator("#ressources ~ ul").get_by_role("link", name="Part du bio par commune")
    with alice.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "repas-bio.csv"
    assert download.value.path().read_bytes() == CSV

    # And the e-mail that told Alice of the new thread.
    assert any("Du nouveau dans la communauté" in text and THREAD in text
               for text in mails_to(instance / "mail", ALICE))
    for page in (alice, bruno):
        page.context.close()
