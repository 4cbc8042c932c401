"""A lifecycle without holes: the stepper and badges follow the real state; impossible moves are
refused with a French message; the employer's own day budget; a host asking for a pairing;
messages between the parties."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.models import DayBudgetChange, DayLog, PairingMessage
from marketplace.pairings.services import (budget, consents, documents, engagement as engagements, feedback,
                                           lifecycle, messages, queue, requests, signatures)
from tests.pairing_world import fill_details, signed_pdf, w  # noqa: F401  (fixture)
from tests.services.test_pairing_engagement import terms

TODAY = date.today()


@pytest.fixture
def pairing(w):
    return queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)[0]


def consent_all(w, pairing):
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)


def running(w, pairing, **changes):
    consent_all(w, pairing)
    return engagements.create(w["representative"], pairing, terms(
        start_date=TODAY - timedelta(days=30), end_date=TODAY + timedelta(days=60), **changes))


def sign_convention(w, eng):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    for user, party in ((w["approver"], "employer"), (w["representative"], "host"), (w["agent"], "agent")):
        signatures.upload(user, version, party, io.BytesIO(signed_pdf(party)), f"{party}.pdf")


# --- Finding: "en attente des accords" stayed after all three consents ---------------------------

def test_badge_after_three_consents_is_not_waiting_for_consents(w, pairing):
    assert lifecycle.stage(pairing).badge == "En attente des accords"
    consent_all(w, pairing)
    stage = lifecycle.stage(pairing)
    assert stage.badge != "En attente des accords" and stage.step == 3 and "conditions" in stage.badge


# --- Finding: "engagement en cours" stayed after the end ------------------------------------------

def test_badge_after_the_end_is_not_in_progress(w, pairing):
    eng = running(w, pairing)
    sign_convention(w, eng)
    assert lifecycle.stage(pairing).badge == "Engagement en cours" and lifecycle.stage(pairing).step == 5
    engagements.end(w["representative"], eng, early=True, reason="Projet suspendu")
    stage = lifecycle.stage(pairing)
    assert stage.badge != "Engagement en cours" and stage.step == 7 and "Terminé" in stage.badge


def test_stepper_walks_every_step(w, pairing):
    assert lifecycle.stage(pairing).step == 2
    eng = running(w, pairing)
    assert lifecycle.stage(pairing).step == 4 and lifecycle.stage(pairing).badge == "Convention à signer"
    sign_convention(w, eng)
    assert lifecycle.stage(pairing).step == 5
    engagements.end(w["representative"], eng, early=True, reason="Fin de mission")
    assert lifecycle.stage(pairing).step == 7 and not lifecycle.stage(pairing).done
    feedback.give(w["agent"], eng, "agent", 5)
    feedback.give(w["representative"], eng, "host", 4)
    feedback.write_report(w["representative"], eng, "Cahier des charges", "Services techniques", "Modèle")
    assert lifecycle.stage(pairing).done and lifecycle.stage(pairing).badge == "Terminé, retours donnés"


def test_overdue_proposal_shows_expired(db, w, pairing):
    from marketplace.models.base import utcnow

    pairing.decided_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert lifecycle.stage(pairing).badge == "Expirée"


def test_signed_before_start_says_when_it_starts(w, pairing):
    consent_all(w, pairing)
    eng = engagements.create(w["representative"], pairing, terms(start_date=TODAY + timedelta(days=10),
                                                                 end_date=TODAY + timedelta(days=100)))
    sign_convention(w, eng)
    assert lifecycle.stage(pairing).badge.startswith("Convention signée, début le")


# --- Impossible moves ---------------------------------------------------------------------------

def test_ending_before_the_start_date_is_refused(w, pairing):
    consent_all(w, pairing)
    eng = engagements.create(w["representative"], pairing, terms(start_date=TODAY + timedelta(days=10),
                                                                 end_date=TODAY + timedelta(days=100)))
    for early in (True, False):
        with pytest.raises(ServiceError) as error:
            engagements.end(w["representative"], eng, early=early, reason="Trop tôt")
        assert "commence le" in error.value.message
    assert eng.status == "active"


def test_normal_end_before_planned_end_needs_the_other_parties(w, pairing):
    eng = running(w, pairing)
    engagements.end(w["representative"], eng, early=False, reason="")
    assert eng.status == "active" and eng.end_agreed_by == ["host"]
    engagements.end(w["agent"], eng, early=False, reason="")
    assert eng.status == "active"
    engagements.end(w["approver"], eng, early=False, reason="")
    assert eng.status == "ended" and eng.ended_on == TODAY


def test_normal_end_after_planned_end_by_one_party(db, w, pairing):
    eng = running(w, pairing)
    engagements.end(w["agent"], eng, early=False, reason="", ended_on=eng.end_date)
    assert eng.status == "ended"


def test_days_in_the_future_refused(db, w, pairing):
    eng = running(w, pairing)
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, TODAY + timedelta(days=1), 1)
    assert error.value.field == "day" and "futur" in error.value.message
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, eng.start_date - timedelta(days=1), 1)
    assert error.value.field == "day" and "période" in error.value.message
    assert db.session.query(DayLog).count() == 0


@pytest.mark.parametrize("days", [float("nan"), float("inf"), -1, 0, 32])
def test_days_out_of_range(db, w, pairing, days):
    eng = running(w, pairing)
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, TODAY, days)
    assert error.value.field == "days"


def test_more_days_than_planned_refused(db, w, pairing):
    eng = running(w, pairing, planned_days=5.0)
    engagements.log_days(w["agent"], eng, TODAY - timedelta(days=2), 3)
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, TODAY - timedelta(days=1), 3)
    assert "5 jour(s) prévus" in error.value.message
    assert eng.logged_days == 3


@pytest.mark.parametrize("changes, field", [
    ({"notice_days": -1}, "notice_days"),
    ({"notice_days": 10_000}, "notice_days"),
    ({"planned_days": float("nan")}, "planned_days"),
    ({"start_date": date(1899, 12, 31), "end_date": date(1900, 6, 1)}, "start_date"),
    ({"start_date": date(9998, 1, 1), "end_date": date(9998, 6, 1)}, "start_date"),
])
def test_bad_terms_get_a_field_message(w, pairing, changes, field):
    consent_all(w, pairing)
    with pytest.raises(ServiceError) as error:
        engagements.create(w["representative"], pairing, terms(**changes))
    assert error.value.field == field


# --- The employer's own yearly budget ---------------------------------------------------------

def test_employer_sets_and_changes_its_budget_with_history(db, w):
    home = w["home"].id
    assert budget.current(home) == 20
    budget.set_budget(w["approver"], home, 12)
    budget.set_budget(w["approver"], home, 12)  # the same value again: no history line
    budget.set_budget(w["approver"], home, None)
    assert budget.current(home) is None
    changes = budget.history(home)
    assert [(c.old_budget, c.new_budget) for c in changes] == [(12, None), (20, 12)]
    assert all(c.user_id == w["approver"].id for c in changes)


def test_budget_rules(db, w):
    with pytest.raises(NotAllowed):
        budget.set_budget(w["representative"], w["home"].id, 10)
    with pytest.raises(ServiceError) as error:
        budget.set_budget(w["approver"], w["home"].id, 221)
    assert error.value.field == "yearly_day_budget"
    assert db.session.query(DayBudgetChange).count() == 0


def test_lowered_budget_limits_the_days(db, w, pairing):
    eng = running(w, pairing)
    budget.set_budget(w["approver"], w["home"].id, 2)
    with pytest.raises(ServiceError) as error:
        engagements.log_days(w["agent"], eng, TODAY, 3)
    assert "budget annuel de 2" in error.value.message


# --- A host asks for a pairing ------------------------------------------------------------------

def test_host_asks_then_coordinator_sees_it_marked(db, w):
    need, rows = requests.suggested(w["representative"], w["need"].id)
    assert [offer.id for _s, offer, _p in rows] == [w["offer"].id]
    pairing = requests.ask(w["representative"], w["suggestion"].id)
    assert requests.ask(w["representative"], w["suggestion"].id).id == pairing.id  # once
    assert pairing.status == "pending_review" and pairing.requested_by_id == w["representative"].id
    [item] = queue.queue(w["coordinator"])
    assert item.requested_by == w["representative"].display_name
    [approved] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    assert approved.id == pairing.id and approved.status == "proposed"
    with pytest.raises(ServiceError):
        requests.ask(w["representative"], w["suggestion"].id)


def test_only_the_host_asks(db, w):
    with pytest.raises(NotAllowed):
        requests.ask(w["other_rep"], w["suggestion"].id)
    with pytest.raises(NotAllowed):
        requests.suggested(w["agent"], w["need"].id)
    with pytest.raises(NotFound):
        requests.ask(w["representative"], 999_999)


# --- Messages between the parties ---------------------------------------------------------------

def test_parties_exchange_messages_once_per_form(db, w, pairing):
    first = messages.post(w["representative"], pairing, "Bonjour, quand pouvez-vous commencer ?", "t1")
    again = messages.post(w["representative"], pairing, "Bonjour, quand pouvez-vous commencer ?", "t1")
    assert again.id == first.id
    messages.post(w["agent"], pairing, "Dès le mois prochain.", "t2")
    assert [m.body for m in messages.thread(pairing)] == ["Bonjour, quand pouvez-vous commencer ?",
                                                          "Dès le mois prochain."]
    with pytest.raises(NotAllowed):
        messages.post(w["other_rep"], pairing, "Intrus", "t3")
    with pytest.raises(ServiceError) as error:
        messages.post(w["agent"], pairing, "x" * 2001, "t4")
    assert error.value.field == "body"
    assert db.session.query(PairingMessage).count() == 2
