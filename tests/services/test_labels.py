"""Decisions stored as labelled pairs in the decision's own unit of work, and the backfill."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.core.errors import ServiceError
from marketplace.learning import labels
from marketplace.models import DecisionLabel, Pairing
from marketplace.pairings.services import consents, engagement as engagements, feedback, queue
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py

START = date.today() - timedelta(days=20)


def _labels(db):
    return [(lab.event, lab.label) for lab in db.session.query(DecisionLabel).order_by(DecisionLabel.id)]


def test_approval_is_a_positive_label_with_the_features_seen(db, w):
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    [label] = db.session.query(DecisionLabel).all()
    assert (label.event, label.label, label.pairing_id) == ("approved", 1.0, pairing.id)
    assert label.lexical_score == pytest.approx(0.8) and label.semantic_score is None
    assert label.distance_km == 12.5 and label.shared_tags == 1 and label.modality_match is True
    # 4 days a month over a year against 10 days asked
    assert label.capacity_ratio == pytest.approx(4.8, abs=0.3)
    assert label.decided_at is not None


def test_rejection_is_negative_with_its_reason(db, w):
    queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="Trop loin")
    [label] = db.session.query(DecisionLabel).all()
    assert (label.event, label.label, label.reason, label.reason_code) == ("rejected", -1.0, "Trop loin", "")


def test_refused_decision_stores_no_label(db, w):
    with pytest.raises(ServiceError):
        queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="")
    with pytest.raises(ServiceError) as error:
        queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="x", reason_code="<script>")
    assert error.value.field == "reason_code"
    db.session.rollback()
    assert db.session.query(DecisionLabel).count() == 0


def test_three_consents_strong_positive_and_refusal_negative(db, w):
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)
    assert _labels(db) == [("approved", 1.0), ("consented", 2.0)]
    # the consent keeps the features the coordinator saw, even once the suggestion moved on
    w["suggestion"].score = 0.1
    db.session.commit()
    other_need = pw.need(w["representative"], w["host"], title="Deuxième besoin")
    suggestion = pw.suggestion(w["offer"], other_need, score=0.6)
    [second] = queue.decide(w["coordinator"], [suggestion.id], approve=True)
    consents.give(w["agent"], second, "agent", False, "Pas disponible")
    declined = db.session.query(DecisionLabel).filter_by(event="declined").one()
    assert (declined.label, declined.reason, declined.lexical_score) == (-1.0, "Pas disponible", pytest.approx(0.6))


def test_feedback_rating_is_graded(db, w):
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)
    eng = engagements.create(w["representative"], pairing, {
        "legal_route": "mise_a_disposition", "activities": "Rédaction des pièces", "start_date": START,
        "end_date": START + timedelta(days=90), "planned_days": 5.0, "place": "Lyon", "working_time": "Un jour",
        "reimbursement": "host", "exemption_reason": "", "renewal_terms": "Avenant", "termination_terms": "Préavis"})
    engagements.end(w["representative"], eng, early=True, reason="Projet suspendu")
    feedback.give(w["agent"], eng, "agent", 5, "Très bien")
    feedback.give(w["representative"], eng, "host", 1, "Décevant")
    assert _labels(db)[-2:] == [("feedback_agent", 2.0), ("feedback_host", -1.0)]


def test_training_pairs_keep_first_features_and_latest_gain(db, w):
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    consents.give(w["agent"], pairing, "agent", False, "Pas disponible")
    [pair] = labels.training_pairs()
    assert pair["gain"] == -1.0 and pair["lexical_score"] == pytest.approx(0.8) and pair["need_id"] == w["need"].id


def test_backfill_labels_past_decisions_once(db, w):
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    consents.give(w["agent"], pairing, "agent", True)
    consents.give(w["approver"], pairing, "employer", True)
    consents.give(w["representative"], pairing, "host", True)
    other_need = pw.need(w["representative"], w["host"], title="Besoin ancien")
    old = pw.suggestion(w["offer"], other_need, score=0.3)
    queue.decide(w["coordinator"], [old.id], approve=False, reason="Sans rapport")
    before = sorted(_labels(db))
    db.session.query(DecisionLabel).delete()  # as before labels were recorded
    db.session.commit()
    assert labels.backfill() == 3
    assert sorted(_labels(db)) == before
    assert labels.backfill() == 3  # idempotent
    rejected = db.session.query(DecisionLabel).filter_by(event="rejected").one()
    assert rejected.decided_at is not None and rejected.reason == "Sans rapport"
    assert db.session.query(Pairing).count() == 2
