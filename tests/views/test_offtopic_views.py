"""The coordinator rejects a suggestion as off-topic from the queue page, sees it listed, undoes it."""
from __future__ import annotations

from marketplace.models import OffTopicPair, Pairing, Suggestion
from tests.pairing_world import w  # noqa: F401  (fixture)
from tests.tools.sessions import sign_in


def _reject(client, w, **extra):
    data = {"suggestion_ids": w["suggestion"].id, "reject": "Rejeter"} | extra
    return client.post_form("/coordination/decision", data, token_from="/coordination/")


def test_off_topic_from_the_queue_then_listed_then_lifted(client, db, w):
    sign_in(client, w["coordinator"])
    assert "Hors sujet / sans rapport" in client.get("/coordination/").get_data(as_text=True)
    assert _reject(client, w, reason_code="off_topic").status_code == 302
    assert db.session.query(Pairing).one().reason == "Hors sujet / sans rapport"
    assert db.session.query(Suggestion).count() == 0
    pair = db.session.query(OffTopicPair).one()
    page = client.get("/coordination/hors-sujet").get_data(as_text=True)
    assert w["offer"].title in page and w["need"].title in page
    sign_in(client, w["far_coordinator"])
    assert w["need"].title not in client.get("/coordination/hors-sujet").get_data(as_text=True)
    denied = client.post_form(f"/coordination/hors-sujet/{pair.id}/annuler", token_from="/coordination/hors-sujet")
    assert denied.status_code == 403 and db.session.query(OffTopicPair).count() == 1
    sign_in(client, w["coordinator"])
    done = client.post_form(f"/coordination/hors-sujet/{pair.id}/annuler", token_from="/coordination/hors-sujet")
    assert done.status_code == 302 and db.session.query(OffTopicPair).count() == 0
    missing = client.post_form(f"/coordination/hors-sujet/{pair.id}/annuler", token_from="/coordination/hors-sujet")
    assert missing.status_code == 404


def test_bad_reason_code_gets_a_french_message(client, db, w):
    sign_in(client, w["coordinator"])
    response = _reject(client, w, reason_code="<b>x</b>", reason="Motif")
    assert response.status_code == 400 and "Choisissez un type de motif proposé." in response.get_data(as_text=True)
    assert db.session.query(Pairing).count() == 0


def test_off_topic_page_refused_to_others(client, w):
    assert client.get("/coordination/hors-sujet").status_code == 302
    sign_in(client, w["representative"])
    assert client.get("/coordination/hors-sujet").status_code == 403
