"""Messaging pages: the need page's entry point, starting, replying with a file, downloading,
blocking and unblocking, the inbox, reports and the admins' decisions; refusals at every step."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.messaging.services import conversations
from marketplace.models import Conversation, ConversationMessage, MessageReport
from tests.fixtures.practices.helpers import EXE, PDF
from tests.pairing_world import pairing, w  # noqa: F401  (fixtures)
from tests.tools.sessions import sign_in, sign_out


def post(client, url, data=None, **kwargs):
    return client.post_form(url, data or {}, token_from="/messages/", **kwargs)


def as_user(client, user):
    sign_out(client)
    sign_in(client, user)


def start_url(w):
    return f"/messages/nouveau/{w['need'].id}/{w['offer'].id}"


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)


def start(client, w, body="Bonjour, votre offre nous intéresse."):
    page = client.get(start_url(w)).get_data(as_text=True)
    return post(client, start_url(w), {"body": body, "token": _token(page)})


def test_anonymous_visitors_are_sent_to_login(client, w):
    for url in ("/messages/", start_url(w), "/messages/1", "/messages/parametres", "/messages/1/fichiers/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"], url


def test_the_need_feed_offers_to_write_to_the_agent_only_to_allowed_people(client, w):
    as_user(client, w["representative"])
    row, = client.get(f"/notifications/suggestions/besoins/{w['need'].id}.json").get_json()["suggestions"]
    assert row["contact_url"] == start_url(w)
    page = client.get(f"/besoins/{w['need'].id}").get_data(as_text=True)
    assert 'data-label-contact="Écrire à l\'agent"' in page
    as_user(client, w["coordinator"])
    row, = client.get(f"/notifications/suggestions/besoins/{w['need'].id}.json").get_json()["suggestions"]
    assert "contact_url" not in row


def test_a_referent_writes_the_agent_answers_with_a_file_and_the_referent_downloads_it(client, w):
    as_user(client, w["representative"])
    response = start(client, w)
    assert response.status_code == 302
    conversation = db.session.scalar(select(Conversation))
    assert response.headers["Location"].endswith(f"/messages/{conversation.id}")
    as_user(client, w["agent"])
    assert re.search(r"Messages <span[^>]*>1<", client.get("/espace").get_data(as_text=True))
    inbox = client.get("/messages/").get_data(as_text=True)
    assert "Sacha Accueil" in inbox and "1<span class=\"fr-sr-only\"> non lus" in inbox
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Bonjour, votre offre nous intéresse." in page
    response = post(client, f"/messages/{conversation.id}", {
        "body": "Voici ma note.", "token": _token(page), "file": (io.BytesIO(PDF), "note.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalar(select(ConversationMessage).order_by(ConversationMessage.id.desc())).attachments[0]
    url = f"/messages/{conversation.id}/fichiers/{attachment.id}"
    as_user(client, w["representative"])
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Voici ma note." in page and url in page
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert "sandbox" in download.headers["Content-Security-Policy"]
    as_user(client, w["other_rep"])
    assert client.get(url).status_code == 404
    assert client.get(f"/messages/{conversation.id}").status_code == 404


def test_refused_starts(client, w):
    as_user(client, w["other_rep"])
    assert client.get(start_url(w)).status_code == 403
    assert client.get(f"/messages/nouveau/{w['need'].id}/999999").status_code == 404
    as_user(client, w["agent"])
    assert client.get(start_url(w)).status_code == 403


@pytest.mark.parametrize("body, message", [("", "Écrivez votre message."), ("x" * 5001, "5000 caractères")])
def test_bad_messages_get_a_french_message_next_to_the_field(client, w, body, message):
    as_user(client, w["representative"])
    response = start(client, w, body)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Conversation.id)) is None


def test_a_refused_file_is_explained_next_to_the_file_field(client, w):
    as_user(client, w["representative"])
    page = client.get(start_url(w)).get_data(as_text=True)
    response = post(client, start_url(w), {"body": "Bonjour", "token": _token(page),
                                            "file": (io.BytesIO(EXE), "cv.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'id="file-messages"' in response.get_data(as_text=True)
    assert "exécutable" in response.get_data(as_text=True)


def test_blocking_is_said_in_french_and_lifted_from_the_settings(client, w):
    as_user(client, w["representative"])
    start(client, w)
    conversation = db.session.scalar(select(Conversation))
    as_user(client, w["agent"])
    response = post(client, f"/messages/{conversation.id}/bloquer", follow_redirects=True)
    assert "Cette personne est bloquée" in response.get_data(as_text=True)
    assert "Vous avez bloqué cette personne" in response.get_data(as_text=True)
    as_user(client, w["representative"])
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "ne plus recevoir vos messages" in page and 'name="body"' not in page
    response = post(client, f"/messages/{conversation.id}", {"body": "Encore", "token": "abc"})
    assert response.status_code == 400 and "ne plus recevoir vos messages" in response.get_data(as_text=True)
    page = client.get(start_url(w)).get_data(as_text=True)
    assert "ne plus recevoir vos messages" in page
    as_user(client, w["agent"])
    settings = client.get("/messages/parametres").get_data(as_text=True)
    assert "Sacha Accueil" in settings
    response = post(client, f"/messages/parametres/debloquer/{w['representative'].id}", follow_redirects=True)
    assert "peut de nouveau vous écrire" in response.get_data(as_text=True)
    assert post(client, "/messages/parametres/debloquer/999999", follow_redirects=False).status_code == 404


def test_a_message_is_reported_and_an_admin_hides_it(client, w):
    conversation = conversations.start(w["representative"], w["need"].id, w["offer"].id, "Bonjour", "t1")
    message = conversations.reply(w["agent"], conversation.id, "Message grossier", "a1")
    as_user(client, w["representative"])
    url = f"/messages/{conversation.id}/signaler/{message.id}"
    assert "Message grossier" in client.get(url).get_data(as_text=True)
    response = post(client, url, {"reason": "", "comment": ""})
    assert response.status_code == 400 and "Choisissez un motif." in response.get_data(as_text=True)
    response = post(client, url, {"reason": "harassment", "comment": "Insultant"}, follow_redirects=True)
    assert "transmis aux administrateurs" in response.get_data(as_text=True)
    response = post(client, url, {"reason": "spam", "comment": ""})
    assert "déjà signalé" in response.get_data(as_text=True)
    assert client.get("/admin/signalements").status_code == 403
    report = db.session.scalar(select(MessageReport))
    as_user(client, w["admin"])
    page = client.get("/admin/signalements").get_data(as_text=True)
    assert "Message grossier" in page and "Insultant" in page
    response = post(client, f"/admin/signalements/{report.id}/decision", {f"r{report.id}-decision": "hidden",
                                                                          f"r{report.id}-reason": ""})
    assert response.status_code == 400 and "Indiquez la raison" in response.get_data(as_text=True)
    response = post(client, f"/admin/signalements/{report.id}/decision",
                    {f"r{report.id}-decision": "hidden", f"r{report.id}-reason": "Propos grossiers"},
                    follow_redirects=True)
    assert "Décision enregistrée" in response.get_data(as_text=True)
    as_user(client, w["representative"])
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Message masqué par l'administration : Propos grossiers" in page and "Message grossier" not in page


def test_own_messages_and_strangers_cannot_be_reported(client, w):
    conversation = conversations.start(w["representative"], w["need"].id, w["offer"].id, "Bonjour", "t1")
    mine = db.session.scalar(select(ConversationMessage))
    as_user(client, w["representative"])
    assert client.get(f"/messages/{conversation.id}/signaler/{mine.id}").status_code == 404
    assert client.get(f"/messages/{conversation.id}/signaler/999999").status_code == 404


def test_new_conversations_are_rate_limited_per_user(client, w, app, make_user):
    app.config["MESSAGING_START_RATE_LIMIT"] = "1 per hour"
    as_user(client, w["representative"])
    assert start(client, w, "").status_code == 400  # refused: does not count
    assert start(client, w).status_code == 302
    response = start(client, w, "Encore")
    assert response.status_code == 429
    assert "beaucoup de conversations" in response.get_data(as_text=True)


def test_inbox_pages_and_a_bad_page_number(client, w):
    as_user(client, w["agent"])
    assert "Aucune conversation" in client.get("/messages/?page=abc").get_data(as_text=True)
    assert client.get("/messages/?page=-3").status_code == 200


def test_the_conversation_and_the_pairing_thread_link_to_each_other(client, w, pairing):
    conversation = conversations.start(w["representative"], w["need"].id, w["offer"].id, "Bonjour", "t1")
    as_user(client, w["agent"])
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert f"/rapprochements/{pairing.id}" in page and "Ouvrir la mise en relation" in page
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    assert f"/messages/{conversation.id}" in page and "Votre conversation avec Sacha Accueil" in page
    as_user(client, w["approver"])  # a party of the pairing, not of the conversation
    assert f"/messages/{conversation.id}" not in client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
