"""Messaging services: who may start a conversation, replies, attachments, unread counts, the
inbox, blocking, and notifications through the "messages" preferences."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.messaging.services import access, blocking, conversations
from marketplace.messaging.services.conversations import Upload
from marketplace.models import (Conversation, ConversationMessage, MessageAttachment, Notification,
                                OutboxEmail, Suggestion)
from marketplace.notifications import services as notifications
from tests.fixtures.practices.helpers import EXE, PDF
from tests.pairing_world import offer as make_offer, suggestion, w  # noqa: F401  (fixture)


def _start(w, body="Bonjour, votre offre nous intéresse.", token="t1", upload=None, user=None):
    return conversations.start(user or w["representative"], w["need"].id, w["offer"].id, body, token, upload)


def test_a_verified_referent_writes_to_a_suggested_agent_who_answers(w):
    conversation = _start(w)
    assert (conversation.starter_id, conversation.recipient_id) == (w["representative"].id, w["agent"].id)
    answer = conversations.reply(w["agent"], conversation.id, "Avec plaisir, parlons-en.", "a1")
    _, messages = conversations.read(w["representative"], conversation.id)
    assert [m.body for m in messages] == ["Bonjour, votre offre nous intéresse.", "Avec plaisir, parlons-en."]
    assert messages[-1].id == answer.id


def test_writing_again_continues_the_same_conversation_and_a_resent_form_adds_nothing(w):
    first = _start(w, token="t1")
    again = _start(w, token="t1")
    other = _start(w, body="Une précision.", token="t2")
    assert first.id == again.id == other.id
    assert db.session.scalar(select(db.func.count(ConversationMessage.id))) == 2


@pytest.mark.parametrize("who", ["other_rep", "agent", "approver", "coordinator", "admin"])
def test_nobody_but_a_referent_of_the_need_collectivity_may_start(w, who):
    with pytest.raises(NotAllowed):
        _start(w, user=w[who])
    assert not access.may_start(w[who], w["need"], w["offer"])


def test_a_pending_referent_may_not_start(w, make_user):
    pending = make_user(roles=[("representative", w["host"])])
    pending.roles[0].status = "pending"
    pending.roles[0].active = False
    db.session.commit()
    with pytest.raises(NotAllowed):
        _start(w, user=pending)


def test_only_a_currently_suggested_offer_may_be_written_to(w):
    other_offer = make_offer(w["agent"], w["home"], title="Autre offre")
    with pytest.raises(NotAllowed, match="suggérée"):
        conversations.start(w["representative"], w["need"].id, other_offer.id, "Bonjour", "t1")
    db.session.delete(w["suggestion"])
    db.session.commit()
    with pytest.raises(NotAllowed):
        _start(w)


@pytest.mark.parametrize("need_id, offer_id", [(999999, None), (None, 999999), ("1", "1"), (None, -1)])
def test_unknown_ids_are_not_found(w, need_id, offer_id):
    with pytest.raises(NotFound):
        conversations.start(w["representative"], need_id if need_id is not None else w["need"].id,
                            offer_id if offer_id is not None else w["offer"].id, "Bonjour", "t1")


def test_a_deactivated_agent_cannot_be_written_to(w):
    w["agent"].active = False
    db.session.commit()
    with pytest.raises(NotAllowed, match="désactivé"):
        _start(w)


def test_a_closed_need_or_withdrawn_offer_cannot_be_written_about(w):
    w["need"].status = "closed"
    db.session.commit()
    with pytest.raises(NotAllowed, match="plus disponible"):
        _start(w)


@pytest.mark.parametrize("body, message", [
    ("", "Écrivez votre message"), ("   \n ", "Écrivez votre message"),
    ("x" * 5001, "5000 caractères"), ("bip \x07", "caractères non autorisés"),
])
def test_bad_bodies_are_refused_next_to_the_field(w, body, message):
    with pytest.raises(ServiceError, match=message) as error:
        _start(w, body=body)
    assert error.value.field == "body"
    assert db.session.scalar(select(Conversation.id)) is None


def test_html_is_kept_as_text(w):
    conversation = _start(w, body="<script>alert(1)</script>")
    _, messages = conversations.read(w["agent"], conversation.id)
    assert messages[0].body == "<script>alert(1)</script>"  # Jinja escapes it on the page


def test_an_empty_token_is_refused(w):
    with pytest.raises(ServiceError, match="expiré"):
        _start(w, token="  ")


def test_others_cannot_read_or_reply(w):
    conversation = _start(w)
    for who in ("other_rep", "approver", "admin"):
        with pytest.raises(NotFound):
            conversations.read(w[who], conversation.id)
        with pytest.raises(NotFound):
            conversations.reply(w[who], conversation.id, "Je m'invite", "x")


def test_attachments_are_checked_and_only_the_two_people_download_them(w):
    conversation = _start(w)
    message = conversations.reply(w["agent"], conversation.id, "Voici mon CV", "a1", Upload(io.BytesIO(PDF), "cv.pdf"))
    attachment = message.attachments[0]
    assert (attachment.original_name, attachment.mime_type) == ("cv.pdf", "application/pdf")
    assert conversations.file_path(conversations.attachment_of(w["representative"], conversation.id, attachment.id)).read_bytes() == PDF
    with pytest.raises(NotFound):
        conversations.attachment_of(w["other_rep"], conversation.id, attachment.id)
    with pytest.raises(NotFound):
        conversations.attachment_of(w["representative"], conversation.id, 999999)


@pytest.mark.parametrize("content, name, message", [
    (EXE, "cv.pdf", "exécutable"), (PDF, "cv.png", "ne correspond pas"), (b"", "vide.txt", "vide"),
])
def test_refused_files_leave_no_message_behind(w, content, name, message):
    conversation = _start(w)
    with pytest.raises(ServiceError, match=message) as error:
        conversations.reply(w["agent"], conversation.id, "Voici", "a1", Upload(io.BytesIO(content), name))
    assert error.value.field == "file"
    assert db.session.scalar(select(db.func.count(ConversationMessage.id))) == 1
    assert db.session.scalar(select(MessageAttachment.id)) is None


def test_unread_counts_and_inbox_order(w, make_user):
    first = _start(w)
    assert conversations.unread_total(w["agent"]) == 1
    assert conversations.unread_total(w["representative"]) == 0
    second_rep = make_user(roles=[("representative", w["host"])])
    second = conversations.start(second_rep, w["need"].id, w["offer"].id, "Moi aussi", "s1")
    first.last_message_at = first.last_message_at - timedelta(hours=1)
    db.session.commit()
    page = conversations.inbox(w["agent"])
    assert [(c.id, n) for c, n in page.rows] == [(second.id, 1), (first.id, 1)]
    conversations.read(w["agent"], first.id)
    assert conversations.unread_total(w["agent"]) == 1
    conversations.reply(w["agent"], first.id, "Réponse", "r1")
    assert conversations.inbox(w["agent"]).rows[0][0].id == first.id  # the latest message first
    assert conversations.unread_total(w["representative"]) == 1


def test_inbox_pages(w, make_user):
    for n in range(conversations.PAGE_SIZE + 3):
        rep = make_user(roles=[("representative", w["host"])])
        conversations.start(rep, w["need"].id, w["offer"].id, f"Message {n}", "t")
    first, second = conversations.inbox(w["agent"], 1), conversations.inbox(w["agent"], 2)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (23, 2, 20, 3)
    assert conversations.inbox(w["agent"], 99).page == 2


def test_the_other_person_is_notified_by_their_preference(w):
    notifications.set_preferences(w["agent"], {"messages": "immediate"})
    conversation = _start(w)
    note = db.session.scalar(select(Notification).where(Notification.user_id == w["agent"].id))
    assert note.kind == "messages" and note.link == f"/messages/{conversation.id}"
    assert "Sacha Accueil" in note.message
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == w["agent"].email))
    assert email.template == "message" and email.context["conversation_url"].endswith(note.link)
    notifications.set_preferences(w["representative"], {"messages": "daily"})
    conversations.reply(w["agent"], conversation.id, "Réponse", "r1")
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == w["representative"].email)) is None
    assert notifications.send_daily_digests() == 1  # the reply goes in the representative's digest


def test_blocking_stops_both_new_conversations_and_replies(w):
    conversation = _start(w)
    blocking.block_in(w["agent"], conversation.id)
    blocking.block_in(w["agent"], conversation.id)  # twice: no error
    with pytest.raises(ServiceError, match="ne plus recevoir vos messages") as error:
        conversations.reply(w["representative"], conversation.id, "Encore moi", "r2")
    assert error.value.field == "body"
    with pytest.raises(ServiceError, match="ne plus recevoir vos messages"):
        _start(w, token="t9")
    with pytest.raises(ServiceError, match="Vous avez bloqué"):
        conversations.reply(w["agent"], conversation.id, "Finalement", "a1")
    assert not access.may_start(w["representative"], w["need"], w["offer"])
    assert [b.blocked_id for b in blocking.blocked_by(w["agent"])] == [w["representative"].id]
    blocking.unblock(w["agent"], w["representative"].id)
    conversations.reply(w["representative"], conversation.id, "Merci", "r3")
    with pytest.raises(NotFound):
        blocking.unblock(w["agent"], w["representative"].id)


def test_one_blocks_only_the_people_of_their_own_conversations(w):
    conversation = _start(w)
    with pytest.raises(NotFound):
        blocking.block_in(w["other_rep"], conversation.id)
    with pytest.raises(NotFound):
        blocking.unblock(w["agent"], "abc")


def test_contactable_offers_lists_only_the_allowed(w):
    other_offer = make_offer(w["agent"], w["home"], title="Autre offre")
    suggestion(other_offer, w["need"])
    ids = [w["offer"].id, other_offer.id]
    assert conversations.contactable_offers(w["representative"], w["need"], ids) == set(ids)
    assert conversations.contactable_offers(w["other_rep"], w["need"], ids) == set()
    assert db.session.scalar(select(db.func.count(Suggestion.id))) == 2
