"""Pairing pages: consents, terms, convention (HTML, PDF, signatures, avenant), days, end, feedback,
retour d'expérience, audit; the allowed actor and the refused ones at every step."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from marketplace.models import Consent, DayLog, Engagement, ExperienceReport, Feedback, OutboxEmail
from marketplace.models.base import utcnow
from marketplace.pairings.services import documents
from tests.pairing_world import AGENT, HOST_PARTY, PARTY, pairing, signed_pdf, w  # noqa: F401  (fixtures)

START = date.today()
TERMS = {"legal_route": "mise_a_disposition", "activities": "Rédaction des pièces du marché",
         "start_date": START.isoformat(), "end_date": (START + timedelta(days=200)).isoformat(),
         "planned_days": "8", "place": "Mairie de Lyon", "working_time": "Un jour par semaine",
         "reimbursement": "host", "exemption_reason": "", "renewal_terms": "Renouvelable une fois par avenant",
         "termination_terms": "Préavis d'un mois"}


def post(client, url, data):
    return client.post_form(url, data, token_from="/rapprochements/")


@pytest.fixture
def switch(client, login, app):
    """Log in as another user with a fresh client session."""
    seen = []

    def do(user):
        client.client = app.test_client()
        # Each switch is a new browser from its own address: the login rate limit is per address.
        seen.append(user.id)
        client.client.environ_base["REMOTE_ADDR"] = f"10.0.{len(seen) // 250}.{len(seen) % 250 + 1}"
        login(user)
    return do


def consent_all(pairing, switch, client, w):
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        switch(user)
        response = post(client, f"/rapprochements/{pairing.id}/accord", {"consent-party": party, "consent-decision": "accepted"})
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def test_page_shows_plain_french_and_consent_form(client, switch, w, pairing):
    switch(w["approver"])
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    assert "En acceptant, Villeurbanne accepte de mettre Camille Martin à disposition de Lyon" in page
    assert 'name="consent-decision"' in page and "Historique" in page


def test_page_refused_to_outsiders(client, switch, w, pairing):
    switch(w["other_rep"])
    assert client.get(f"/rapprochements/{pairing.id}").status_code == 403
    switch(w["far_coordinator"])
    assert client.get(f"/rapprochements/{pairing.id}").status_code == 403
    switch(w["coordinator"])
    assert client.get(f"/rapprochements/{pairing.id}").status_code == 200
    assert client.get("/rapprochements/999").status_code == 404


def test_other_collectivity_representative_cannot_consent(client, switch, w, pairing, db):
    switch(w["other_rep"])
    response = post(client, f"/rapprochements/{pairing.id}/accord", {"consent-party": "host", "consent-decision": "accepted"})
    assert response.status_code == 403 and db.session.query(Consent).count() == 0


def test_decline_needs_reason(client, switch, w, pairing, db):
    switch(w["agent"])
    url = f"/rapprochements/{pairing.id}/accord"
    response = post(client, url, {"consent-party": "agent", "consent-decision": "declined"})
    assert response.status_code == 400 and "Indiquez le motif de votre refus." in response.get_data(as_text=True)
    post(client, url, {"consent-party": "agent", "consent-decision": "declined", "consent-reason": "Charge trop lourde"})
    db.session.refresh(pairing)
    assert pairing.status == "declined"


def test_second_consent_from_same_person_refused(client, switch, w, pairing, db):
    w["agent"].roles.append(type(w["agent"].roles[0])(role="approver", collectivity=w["home"], yearly_day_budget=10))
    db.session.commit()
    switch(w["agent"])
    url = f"/rapprochements/{pairing.id}/accord"
    post(client, url, {"consent-party": "agent", "consent-decision": "accepted"})
    response = post(client, url, {"consent-party": "employer", "consent-decision": "accepted"})
    assert response.status_code == 400 and "deux des trois accords" in response.get_data(as_text=True)
    assert db.session.query(Consent).count() == 1


def test_consent_on_expired_proposal_refused(client, switch, w, pairing, db):
    pairing.decided_at = utcnow() - timedelta(days=31)
    db.session.commit()
    switch(w["agent"])
    response = post(client, f"/rapprochements/{pairing.id}/accord", {"consent-party": "agent", "consent-decision": "accepted"})
    assert response.status_code == 400 and "a expiré" in response.get_data(as_text=True)
    assert db.session.query(Consent).count() == 0


def test_full_journey(client, switch, w, pairing, db):
    consent_all(pairing, switch, client, w)
    # Only the host's representative sets the terms.
    switch(w["other_rep"])
    assert post(client, f"/rapprochements/{pairing.id}/conditions", TERMS).status_code == 403
    switch(w["agent"])
    assert client.get(f"/rapprochements/{pairing.id}/conditions").status_code == 403
    switch(w["representative"])
    assert client.get(f"/rapprochements/{pairing.id}/conditions").status_code == 200
    bad = post(client, f"/rapprochements/{pairing.id}/conditions", TERMS | {"planned_days": "50"})
    assert bad.status_code == 400 and "budget annuel" in bad.get_data(as_text=True)
    too_long = post(client, f"/rapprochements/{pairing.id}/conditions",
                    TERMS | {"end_date": (START + timedelta(days=3 * 366 + 1)).isoformat()})
    assert too_long.status_code == 400 and "3 ans au plus" in too_long.get_data(as_text=True)
    assert post(client, f"/rapprochements/{pairing.id}/conditions", TERMS).status_code == 302
    engagement = db.session.query(Engagement).one()
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    assert "Convention à signer" in page and "Étape 4 sur 7" in page
    # Before signature each collectivity states its signatory, the employer the agent's situation.
    base = f"/rapprochements/{pairing.id}"
    assert post(client, f"{base}/documents/convention/1/figer", {}).status_code == 400  # details missing
    assert post(client, f"{base}/parties", {"party-party": "host", **{f"party-{k}": v for k, v in HOST_PARTY.items()}}).status_code == 302
    assert post(client, f"{base}/parties", {"party-party": "employer", **{f"party-{k}": v for k, v in PARTY.items()}}).status_code == 403
    switch(w["approver"])
    assert post(client, f"{base}/parties", {"party-party": "employer", **{f"party-{k}": v for k, v in PARTY.items()}}).status_code == 302
    bad = post(client, f"{base}/agent", {**{f"agent-{k}": v for k, v in AGENT.items()}, "agent-agent_status": "stagiaire"})
    assert bad.status_code == 400
    assert post(client, f"{base}/agent", {f"agent-{k}": v for k, v in AGENT.items()}).status_code == 302
    # Preview, freeze, then the stored PDF holds the names and dates.
    html = client.get(f"{base}/documents/convention/1").get_data(as_text=True)
    assert "Mairie de Lyon" in html and "Fait à" in html
    assert client.get(f"{base}/documents/convention/1.pdf").status_code == 404  # a draft has no PDF
    assert post(client, f"{base}/documents/convention/1/figer", {}).status_code == 302
    pdf = client.get(f"{base}/documents/convention/1.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Camille Martin" in text and "Villeurbanne" in text and START.strftime("%d/%m/%Y") in text
    # Each signatory uploads their signed PDF; a file that is no PDF is refused next to the field.
    upload_url = f"{base}/documents/convention/1/signe"
    refused = post(client, upload_url, {"copy-party": "employer", "copy-file": (io.BytesIO(b"MZ exe"), "x.pdf")})
    assert refused.status_code == 400 and "n&#39;est pas un PDF" in refused.get_data(as_text=True)
    for user, party in ((w["approver"], "employer"), (w["representative"], "host"), (w["agent"], "agent")):
        switch(user)
        assert post(client, upload_url, {"copy-party": party, "copy-file": (io.BytesIO(signed_pdf(party)), f"{party}.pdf")}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Étape 5 sur 7" in page and "Engagement en cours" in page and "agent.pdf" in page
    switch(w["representative"])
    post(client, f"{base}/conditions", TERMS | {"place": "Télétravail"})
    db.session.refresh(engagement)
    assert [v.kind for v in documents.versions(engagement, "convention")] == ["convention", "avenant"]
    assert "Mairie de Lyon" in documents.versions(engagement, "convention")[0].html
    # Days: the agent only, within the plan.
    days_url = f"/rapprochements/{pairing.id}/jours"
    assert post(client, days_url, {"days-day": START.isoformat(), "days-days": "1"}).status_code == 403
    switch(w["agent"])
    assert post(client, days_url, {"days-day": START.isoformat(), "days-days": "3", "days-note": "Lancement"}).status_code == 302
    beyond = post(client, days_url, {"days-day": START.isoformat(), "days-days": "6"})
    assert beyond.status_code == 400 and "prévus" in beyond.get_data(as_text=True)
    assert db.session.query(DayLog).count() == 1
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    assert "Déclarés : 3 sur 8 jour(s) prévus ; reste 5." in page
    assert "Budget annuel restant de l'agent : 17 jour(s) sur 20." in page
    # End early needs a reason, then feedback from both sides and the retour d'expérience.
    end_url = f"/rapprochements/{pairing.id}/fin"
    assert post(client, end_url, {"end-early": "early"}).status_code == 400
    assert post(client, end_url, {"end-early": "early", "end-reason": "Mission accomplie plus tôt"}).status_code == 302
    assert post(client, f"/rapprochements/{pairing.id}/avis", {"feedback-party": "agent", "feedback-rating": "5",
                                                               "feedback-comment": "Très utile"}).status_code == 302
    assert post(client, f"/rapprochements/{pairing.id}/avis", {"feedback-party": "agent", "feedback-rating": "4"}).status_code == 400
    switch(w["representative"])
    assert post(client, f"/rapprochements/{pairing.id}/avis", {"feedback-party": "host", "feedback-rating": "9"}).status_code == 400
    assert post(client, f"/rapprochements/{pairing.id}/avis", {"feedback-party": "host", "feedback-rating": "4"}).status_code == 302
    assert db.session.query(Feedback).count() == 2
    report = {"report-what_was_done": "Cahier des charges", "report-for_whom": "Services techniques",
              "report-how_to_reuse": "Reprendre le modèle"}
    assert post(client, f"/rapprochements/{pairing.id}/retour", report).status_code == 302
    assert db.session.query(ExperienceReport).one().practice_sheet_id is not None
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    assert "en cours → terminé par anticipation" in page and "Mission accomplie plus tôt" in page
    # Every e-mail of the journey is queued once per person and event.
    keys = [e.idempotency_key for e in db.session.query(OutboxEmail).filter_by(kind="pairings")]
    assert len(keys) == len(set(keys)) and len(keys) >= 3


def test_mine_lists_pairings(client, switch, w, pairing):
    switch(w["representative"])
    assert w["need"].title in client.get("/rapprochements/").get_data(as_text=True)
    switch(w["other_rep"])
    assert w["need"].title not in client.get("/rapprochements/").get_data(as_text=True)


def test_capacity_set_by_agent_capped_by_employer(client, switch, w, db):
    from marketplace.pairings.services.queue import capacity_of

    switch(w["agent"])
    assert post(client, "/rapprochements/capacite", {"own-max_open": "4"}).status_code == 302
    assert post(client, "/rapprochements/capacite", {"own-max_open": "99"}).status_code == 400
    assert post(client, "/rapprochements/capacite/employeur", {"cap-agent_id": w["agent"].id, "cap-employer_cap": "1"}).status_code == 403
    switch(w["approver"])
    assert w["agent"].display_name in client.get("/rapprochements/capacite").get_data(as_text=True)
    assert post(client, "/rapprochements/capacite/employeur", {"cap-agent_id": w["agent"].id, "cap-employer_cap": "1"}).status_code == 302
    assert capacity_of(w["agent"].id) == 1


def test_admin_and_coordinator_see_audit_but_cannot_consent(client, switch, w, pairing, db):
    switch(w["admin"])
    page = client.get(f"/rapprochements/{pairing.id}").get_data(as_text=True)
    assert "Mise en relation n° %s" % pairing.id in page and "à examiner → proposée" in page and 'name="consent-decision"' not in page
    switch(w["coordinator"])
    response = post(client, f"/rapprochements/{pairing.id}/accord", {"consent-party": "host", "consent-decision": "accepted"})
    assert response.status_code == 403 and db.session.query(Consent).count() == 0
