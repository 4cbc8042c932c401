"""The lifecycle as the pages show it: badges from the real state (the two findings), double
submits answered normally with one row, the employer's budget page, a host's request, messages."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.models import (Consent, DayBudgetChange, ExperienceReport, Feedback, PairingMessage, Pairing,
                                PracticeSheet)
from marketplace.pairings.services import consents, engagement as engagements
from tests.pairing_world import pairing, w  # noqa: F401  (fixtures)
from tests.services.test_pairing_engagement import terms

TODAY = date.today()


def post(client, url, data):
    return client.post_form(url, data, token_from="/rapprochements/")


@pytest.fixture
def switch(client, login, app):
    seen = []

    def do(user):
        client.client = app.test_client()
        seen.append(user.id)  # a new browser from its own address: the login limit is per address
        client.client.environ_base["REMOTE_ADDR"] = f"10.1.{len(seen) // 250}.{len(seen) % 250 + 1}"
        login(user)
    return do


def consent_all(w, pairing):
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)


def test_badge_after_three_consents(client, switch, w, pairing):
    consent_all(w, pairing)
    switch(w["representative"])
    for url in (f"/rapprochements/{pairing.id}", "/rapprochements/"):
        page = client.get(url).get_data(as_text=True)
        assert "En attente des accords" not in page and "Accords réunis" in page


def test_badge_after_the_end(client, switch, w, pairing):
    consent_all(w, pairing)
    eng = engagements.create(w["representative"], pairing, terms(start_date=TODAY - timedelta(days=5),
                                                                 end_date=TODAY + timedelta(days=50)))
    engagements.end(w["representative"], eng, early=True, reason="Projet suspendu")
    switch(w["agent"])
    for url in (f"/rapprochements/{pairing.id}", "/rapprochements/"):
        page = client.get(url).get_data(as_text=True)
        assert "Engagement en cours" not in page.split("fr-stepper__steps")[0].split("<h1>")[1] \
            and "Terminé par anticipation" in page
    assert "Étape 7 sur 7" in client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)


def test_double_consent_is_one_row_and_a_normal_answer(client, switch, w, pairing, db):
    switch(w["agent"])
    data = {"consent-party": "agent", "consent-decision": "accepted"}
    assert post(client, f"/rapprochements/{pairing.id}/accord", data).status_code == 302
    assert post(client, f"/rapprochements/{pairing.id}/accord", data).status_code == 302
    assert db.session.query(Consent).count() == 1


def test_double_feedback_and_report_are_one_row(client, switch, w, pairing, db):
    consent_all(w, pairing)
    eng = engagements.create(w["representative"], pairing, terms(start_date=TODAY - timedelta(days=5),
                                                                 end_date=TODAY + timedelta(days=50)))
    engagements.end(w["representative"], eng, early=True, reason="Fin")
    switch(w["representative"])
    data = {"feedback-party": "host", "feedback-rating": "4", "feedback-comment": "Utile"}
    assert post(client, f"/rapprochements/{pairing.id}/avis", data).status_code == 302
    assert post(client, f"/rapprochements/{pairing.id}/avis", data).status_code == 302
    assert db.session.query(Feedback).count() == 1
    report = {"report-what_was_done": "Cahier des charges rédigé", "report-for_whom": "Services techniques",
              "report-results": "Marché attribué en 3 mois", "report-how_to_reuse": "Reprendre le modèle"}
    assert post(client, f"/rapprochements/{pairing.id}/retour", report).status_code == 302
    assert post(client, f"/rapprochements/{pairing.id}/retour", report).status_code == 302
    assert db.session.query(ExperienceReport).count() == 1 and db.session.query(PracticeSheet).count() == 1
    sheet = db.session.query(PracticeSheet).one()
    # Each answer lands in the section a reader looks for it in.
    assert sheet.actions == "Cahier des charges rédigé" and "Services techniques" in sheet.problem
    assert "Marché attribué en 3 mois" in sheet.results and "Reprendre le modèle" in sheet.results
    assert w["need"].description not in sheet.problem and "Villeurbanne" in sheet.summary


def test_double_message_is_one_row(client, switch, w, pairing, db):
    switch(w["representative"])
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    token = page.split('name="message-token" value="')[1].split('"')[0]
    data = {"message-token": token, "message-body": "Bonjour, pouvons-nous en parler mardi ?"}
    assert post(client, f"/rapprochements/{pairing.id}/messages", data).status_code == 302
    assert post(client, f"/rapprochements/{pairing.id}/messages", data).status_code == 302
    assert db.session.query(PairingMessage).count() == 1
    switch(w["agent"])
    assert "pouvons-nous en parler mardi" in client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    empty = post(client, f"/rapprochements/{pairing.id}/messages", {"message-token": "x", "message-body": " "})
    assert empty.status_code == 400 and "Écrivez votre message" in empty.get_data(as_text=True)


def test_employer_budget_page(client, switch, w, db):
    switch(w["approver"])
    page = client.get("/rapprochements/capacite").get_data(as_text=True)
    assert "Budget annuel de jours prêtés" in page and "budget actuel : 20 jour(s)" in page
    data = {"budget-collectivity_id": str(w["home"].id), "budget-yearly_day_budget": "15"}
    assert post(client, "/rapprochements/budget", data).status_code == 302
    refused = post(client, "/rapprochements/budget", data | {"budget-yearly_day_budget": "500"})
    assert refused.status_code == 400 and "entre 0 et 220" in refused.get_data(as_text=True)
    assert post(client, "/rapprochements/budget", data | {"budget-collectivity_id": "9" * 40}).status_code == 404
    page = client.get("/rapprochements/capacite").get_data(as_text=True)
    assert "Historique du budget" in page and "Dominique Employeur" in page
    assert db.session.query(DayBudgetChange).count() == 1
    switch(w["representative"])
    assert post(client, "/rapprochements/budget", data).status_code == 403


def test_host_asks_for_a_pairing(client, switch, w, db):
    switch(w["representative"])
    assert w["need"].title in client.get("/rapprochements/besoins").get_data(as_text=True)
    page = client.get(f"/rapprochements/besoins/{w['need'].id}").get_data(as_text=True)
    assert w["offer"].title in page and "Demander cette mise en relation" in page
    assert post(client, f"/rapprochements/suggestions/{w['suggestion'].id}/demande", {}).status_code == 302
    assert post(client, f"/rapprochements/suggestions/{w['suggestion'].id}/demande", {}).status_code == 302
    assert db.session.query(Pairing).one().requested_by_id == w["representative"].id
    switch(w["coordinator"])
    queue_page = client.get("/coordination/").get_data(as_text=True)
    assert "Demandé par la collectivité" in queue_page, queue_page[queue_page.find("<main"):][:3000]
    switch(w["other_rep"])
    assert client.get(f"/rapprochements/besoins/{w['need'].id}").status_code == 403
