"""Engagement terms, convention versions and PDF, day logs, end, feedback and retour d'expérience."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.models import AuditEntry, PracticeSheet
from marketplace.pairings.services import consents, documents, engagement as engagements, feedback, queue
from marketplace.core.errors import NotAllowed, ServiceError
from tests.pairing_world import w  # noqa: F401  (fixture)


def _past_start(today: date) -> date:
    """A start ten days ago, moved back a day when the next day would open another budget year:
    the tests declare days on the start and the day after, both done and in the same year. (The
    former rule picked 1 December in December, and the day after it was in the future.)"""
    start = today - timedelta(days=10)
    return start - timedelta(days=1) if (start + timedelta(days=1)).year != start.year else start


START = _past_start(date.today())


def terms(**changes):
    base = {"legal_route": "mise_a_disposition", "activities": "Rédaction des pièces du marché de voirie",
            "start_date": START, "end_date": START + timedelta(days=180), "planned_days": 10.0,
            "place": "Hôtel de ville de Lyon et à distance", "working_time": "Deux jours par mois",
            "reimbursement": "host", "exemption_reason": "", "renewal_terms": "Renouvelable par avenant",
            "termination_terms": "Préavis d'un mois par l'une ou l'autre partie"}
    return base | changes


@pytest.fixture
def agreed(w):
    pairing = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)[0]
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)
    return pairing


@pytest.fixture
def eng(w, agreed):
    return engagements.create(w["representative"], agreed, terms())


def test_create_engagement_writes_convention(w, agreed, eng):
    assert agreed.status == "engaged" and eng.status == "active"
    [version] = documents.versions(eng, "convention")
    assert version.kind == "convention" and version.number == 1 and len(version.content_hash) == 64
    for text in ("Villeurbanne", "Lyon", "Camille Martin", "Deux jours par mois", "organe délibérant",
                 "rembourse", "Renouvelable par avenant", "Obligations de l'agent"):
        assert text in version.html


def test_terms_only_by_host_after_three_consents(w, agreed):
    with pytest.raises(NotAllowed):
        engagements.create(w["other_rep"], agreed, terms())
    with pytest.raises(NotAllowed):
        engagements.create(w["agent"], agreed, terms())


def test_terms_refused_before_consents(w):
    pairing = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)[0]
    consents.give(w["representative"], pairing, "host", True)
    with pytest.raises(ServiceError):
        engagements.create(w["representative"], pairing, terms())


@pytest.mark.parametrize("changes, field", [
    ({"end_date": START - timedelta(days=1)}, "end_date"),
    ({"end_date": START.replace(year=START.year + 3) + timedelta(days=1)}, "end_date"),
    ({"planned_days": 0}, "planned_days"),
    ({"planned_days": 21}, "planned_days"),
    ({"reimbursement": "exempt"}, "exemption_reason"),
    ({"legal_route": "autre"}, "legal_route"),
    ({"place": "  "}, "place"),
    ({"start_date": None}, "start_date"),
])
def test_bad_terms(db, w, agreed, changes, field):
    with pytest.raises(ServiceError) as error:
        engagements.create(w["representative"], agreed, terms(**changes))
    assert error.value.field == field
    assert agreed.engagement is None


def test_budget_counts_other_engagements(db, w, eng):
    assert engagements.remaining_budget(w["offer"], START.year) == 10
    assert engagements.remaining_budget(w["offer"], START.year, exclude_id=eng.id) == 20


def test_exemption_with_reason(w, agreed):
    eng = engagements.create(w["representative"], agreed, terms(reimbursement="exempt", exemption_reason="Réciprocité"))
    html = documents.latest(eng).html
    assert "exonérée" in html and "Réciprocité" in html and "L. 512-11" in html


def test_day_logs_within_plan_and_budget(db, w, eng):
    engagements.log_days(w["agent"], eng, START, 4, "Réunion de lancement")
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, START + timedelta(days=1), 7)
    assert error.value.field == "days"
    with pytest.raises(NotAllowed):
        engagements.log_days(w["representative"], eng, START, 1)
    with pytest.raises(ServiceError):
        engagements.log_days(w["agent"], eng, START - timedelta(days=1), 1)
    engagements.log_days(w["agent"], eng, START + timedelta(days=1), 6)
    assert eng.logged_days == 10


def test_day_log_beyond_yearly_budget(db, w, eng):
    w["approver"].roles[0].yearly_day_budget = 3
    db.session.commit()
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, START, 4)
    assert "budget" in error.value.message


def test_end_early_needs_reason_then_feedback_and_report(db, w, eng):
    with pytest.raises(ServiceError):
        feedback.give(w["agent"], eng, "agent", 5, "Très bien")
    with pytest.raises(ServiceError):
        engagements.end(w["representative"], eng, early=True, reason="")
    with pytest.raises(NotAllowed):
        engagements.end(w["other_rep"], eng, early=False, reason="")
    engagements.end(w["representative"], eng, early=True, reason="Projet suspendu")
    assert eng.status == "terminated_early" and eng.end_reason == "Projet suspendu"
    with pytest.raises(ServiceError):
        engagements.log_days(w["agent"], eng, START, 1)
    with pytest.raises(ServiceError):
        feedback.give(w["agent"], eng, "agent", 6)
    with pytest.raises(NotAllowed):
        feedback.give(w["agent"], eng, "host", 4)
    feedback.give(w["agent"], eng, "agent", 5, "Très bien")
    feedback.give(w["representative"], eng, "host", 4, "Utile")
    with pytest.raises(ServiceError):
        feedback.give(w["representative"], eng, "host", 3)
    assert set(feedback.of(eng)) == {"agent", "host"}
    with pytest.raises(NotAllowed):
        feedback.write_report(w["agent"], eng, "a", "b", "c")
    report = feedback.write_report(w["representative"], eng, "Cahier des charges rédigé", "Services techniques",
                                   "Reprendre le modèle")
    sheet = db.session.get(PracticeSheet, report.practice_sheet_id)
    assert sheet.status == "draft" and "Reprendre le modèle" in sheet.results
    states = [(e.object_type, e.to_state) for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert ("Engagement", "terminated_early") in states and ("ExperienceReport", "experience_report") in states
