"""The three consents: who may answer, refusals, reminders and expiry."""
from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.models import AuditEntry, Notification
from marketplace.models.base import utcnow
from marketplace.pairings.services import consents
from marketplace.core.errors import NotAllowed, ServiceError
from tests.pairing_world import pairing, w  # noqa: F401  (fixtures)


def test_three_accepts_then_host_asked_for_terms(db, w, pairing):
    consents.give(w["agent"], pairing, "agent", True)
    consents.give(w["approver"], pairing, "employer", True)
    assert not consents.all_accepted(pairing)
    consents.give(w["representative"], pairing, "host", True)
    assert consents.all_accepted(pairing) and pairing.status == "proposed"
    keys = {n.key for n in db.session.query(Notification).filter_by(user_id=w["representative"].id)}
    assert f"pairing:{pairing.id}:terms" in keys
    assert db.session.query(AuditEntry).filter_by(object_type="Consent").count() == 3


def test_plain_french_text_names_the_parties(w, pairing):
    text = consents.what_you_consent_to(pairing, "employer")
    assert "Villeurbanne" in text and "Lyon" in text and "Camille Martin" in text


def test_decline_needs_reason_and_ends_proposal(db, w, pairing):
    with pytest.raises(ServiceError) as error:
        consents.give(w["agent"], pairing, "agent", False, "")
    assert error.value.field == "reason"
    consents.give(w["agent"], pairing, "agent", False, "Pas disponible ce trimestre")
    assert pairing.status == "declined" and pairing.reason == "Pas disponible ce trimestre"
    with pytest.raises(ServiceError):
        consents.give(w["approver"], pairing, "employer", True)


def test_other_collectivity_representative_refused(w, pairing):
    with pytest.raises(NotAllowed):
        consents.give(w["other_rep"], pairing, "host", True)


def test_agent_cannot_answer_for_employer(w, pairing):
    with pytest.raises(NotAllowed):
        consents.give(w["agent"], pairing, "employer", True)


def test_same_person_cannot_give_two_consents(db, w, pairing):
    # The agent is also an approver of their own collectivity: one consent only.
    w["agent"].roles.append(type(w["agent"].roles[0])(role="approver", collectivity=w["home"], yearly_day_budget=10))
    db.session.commit()
    consents.give(w["agent"], pairing, "agent", True)
    with pytest.raises(ServiceError):
        consents.give(w["agent"], pairing, "employer", True)
    assert pairing.consent_of("employer") is None


def test_party_answers_once(db, make_user, w, pairing):
    second_rep = make_user(roles=[("representative", w["host"])])
    consents.give(w["representative"], pairing, "host", True)
    with pytest.raises(ServiceError):
        consents.give(second_rep, pairing, "host", False, "non")


def test_consent_on_expired_proposal_refused(db, w, pairing):
    pairing.decided_at = utcnow() - timedelta(days=31)
    db.session.commit()
    with pytest.raises(ServiceError) as error:
        consents.give(w["agent"], pairing, "agent", True)
    assert "expiré" in error.value.message
    # A refusal writes nothing (its unit of work rolls back); the daily sweep records the expiry.
    assert pairing.consent_of("agent") is None
    assert consents.run_reminders() == (0, 1)
    assert pairing.status == "expired"


def test_reminders_then_expiry_idempotent(db, w, pairing):
    consents.give(w["agent"], pairing, "agent", True)
    start = pairing.decided_at if pairing.decided_at.tzinfo else pairing.decided_at.replace(tzinfo=utcnow().tzinfo)
    assert consents.run_reminders(start + timedelta(days=3)) == (0, 0)
    assert consents.run_reminders(start + timedelta(days=8)) == (1, 0)
    consents.run_reminders(start + timedelta(days=9))
    reminded = db.session.query(Notification).filter(Notification.key.like("%reminder:7")).all()
    assert {n.user_id for n in reminded} == {w["approver"].id, w["representative"].id}
    consents.run_reminders(start + timedelta(days=15))
    assert db.session.query(Notification).filter(Notification.key.like("%reminder:14")).count() == 2
    assert consents.run_reminders(start + timedelta(days=30)) == (0, 1)
    assert pairing.status == "expired"
    assert consents.run_reminders(start + timedelta(days=31)) == (0, 0)


def test_task_calls_service(app, db, w, pairing):
    from workers.pairing_tasks import remind_and_expire

    pairing.decided_at = utcnow() - timedelta(days=40)
    db.session.commit()
    remind_and_expire.apply()
    db.session.refresh(pairing)
    assert pairing.status == "expired"


def test_delays_come_from_configuration(app, db, w, pairing):
    app.config.update(PAIRING_REMINDER_DAYS="2", PAIRING_EXPIRY_DAYS=5)
    start = pairing.decided_at if pairing.decided_at.tzinfo else pairing.decided_at.replace(tzinfo=utcnow().tzinfo)
    assert consents.run_reminders(start + timedelta(days=2)) == (1, 0)
    assert consents.run_reminders(start + timedelta(days=5)) == (0, 1)


def test_proposal_emails_are_sent_once_with_the_page_link(app, db, w, pairing):
    from marketplace.models import OutboxEmail

    sent = app.extensions["mailman"].outbox
    assert sorted(m.to[0] for m in sent) == sorted(u.email for u in (w["agent"], w["approver"], w["representative"]))
    assert all(f"/rapprochements/{pairing.id}" in m.body for m in sent)
    assert {e.status for e in db.session.query(OutboxEmail)} == {"sent"}
    consents.run_reminders()  # nothing due: no new e-mail
    assert len(app.extensions["mailman"].outbox) == 3
