"""Coordinator queue pages: who sees what, filters, approve, reject with reason, bulk, refusals."""
from __future__ import annotations


from marketplace.models import Pairing
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)


def test_queue_lists_suggestion_with_explanation(client, login, w):
    login(w["coordinator"])
    page = client.get("/coordination/").get_data(as_text=True)
    assert w["offer"].title in page and w["need"].title in page
    assert "Thèmes communs" in page and "Règles appliquées" in page
    # Both sides work remotely: the distance means nothing and is not shown (issue 12 §1).
    assert "12,5 km" not in page


def test_queue_refused_to_non_coordinators(client, login, w):
    assert client.get("/coordination/").status_code == 302  # to the login page
    login(w["representative"])
    assert client.get("/coordination/").status_code == 403


def test_out_of_scope_coordinator_sees_nothing_and_cannot_decide(client, login, w, db):
    login(w["far_coordinator"])
    assert w["need"].title not in client.get("/coordination/").get_data(as_text=True)
    assert client.get(f"/coordination/suggestions/{w['suggestion'].id}").status_code == 403
    response = client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "approve": "Approuver"}, token_from="/rapprochements/")
    assert response.status_code == 403 and db.session.query(Pairing).count() == 0


def test_filters_and_bad_filter(client, login, w):
    login(w["coordinator"])
    assert w["need"].title not in client.get("/coordination/?domain=culture").get_data(as_text=True)
    assert w["need"].title in client.get("/coordination/?departement=69&min_score=0.5").get_data(as_text=True)
    bad = client.get("/coordination/?min_score=3")
    assert bad.status_code == 400 and "entre 0 et 1" in bad.get_data(as_text=True)


def test_stale_flag_shown(client, login, w):
    need = pw.need(w["representative"], w["host"], title="Besoin ancien")
    pw.suggestion(w["offer"], need, age_days=9)
    login(w["coordinator"])
    assert "En attente depuis 9 jours" in client.get("/coordination/").get_data(as_text=True)


def test_approve_from_detail_page(client, login, w, db):
    login(w["coordinator"])
    assert client.get(f"/coordination/suggestions/{w['suggestion'].id}").status_code == 200
    response = client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "approve": "Approuver"}, token_from="/rapprochements/")
    assert response.status_code == 302
    assert db.session.query(Pairing).one().status == "proposed"


def test_reject_needs_reason_next_to_field(client, login, w, db):
    login(w["coordinator"])
    response = client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "reject": "Rejeter"}, token_from="/rapprochements/")
    assert response.status_code == 400 and "Indiquez le motif du rejet." in response.get_data(as_text=True)
    assert db.session.query(Pairing).count() == 0
    client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "reject": "Rejeter",
                                                "reason": "Profil trop éloigné"}, token_from="/rapprochements/")
    assert db.session.query(Pairing).one().reason == "Profil trop éloigné"


def test_bulk_approve(client, login, w, db):
    second = pw.suggestion(pw.offer(w["agent"], w["home"], title="Seconde offre"), w["need"])
    login(w["coordinator"])
    client.post_form("/coordination/decision", {"suggestion_ids": [w["suggestion"].id, second.id], "approve": "Approuver"}, token_from="/rapprochements/")
    assert sorted(p.status for p in db.session.query(Pairing)) == ["proposed", "proposed"]


def test_nothing_selected(client, login, w):
    login(w["coordinator"])
    response = client.post_form("/coordination/decision", {"approve": "Approuver"}, token_from="/rapprochements/")
    assert response.status_code == 400 and "Sélectionnez au moins une suggestion." in response.get_data(as_text=True)


def test_agent_coordinator_cannot_approve_own(client, login, w, db, make_user):
    w["agent"].roles.append(type(w["agent"].roles[0])(role="coordinator", scope_departements=["69"]))
    db.session.commit()
    login(w["agent"])
    response = client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "approve": "Approuver"}, token_from="/rapprochements/")
    assert response.status_code == 403 and db.session.query(Pairing).count() == 0


def test_admin_sees_everything(client, login, w):
    lille_need = pw.need(w["other_rep"], w["lille"], title="Besoin lillois")
    pw.suggestion(w["offer"], lille_need)
    login(w["admin"])
    page = client.get("/coordination/").get_data(as_text=True)
    assert "Besoin lillois" in page and w["need"].title in page
