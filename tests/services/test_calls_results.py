"""Calls for projects, services: publishing the results (laureates, notifications, e-mails in the
outbox, audit), the laureates' accompaniment (plan, mentors suggested from the offers index,
progress) and the retour d'expérience published as a practice sheet."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.calls.services import accompaniment, jury, results
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.models import AuditEntry, Notification, OutboxEmail, PracticeSheet, SkillOffer
from marketplace.suggestions import index as matching_index
from tests.calls_world import world  # noqa: F401 (fixture)


def test_results_name_laureates_notify_every_applicant_and_start_the_accompaniment(world):
    call, mine, his = world.scored_call()
    with pytest.raises(NotAllowed):
        results.publish_results(call, world.juror)
    assert results.publish_results(call, world.coordinator) == [mine]
    assert (mine.status, mine.final_rank, his.status, his.final_rank) == ("laureate", 1, "not_selected", 2)
    notes = {n.user_id: n.message for n in Notification.query.filter_by(kind="calls")}
    assert "lauréat" in notes[world.alice.id] and "n'a pas été retenu" in notes[world.bruno.id]
    mails = OutboxEmail.query.filter_by(kind="calls").all()
    assert sorted(m.to for m in mails) == [world.alice.email, world.bruno.email]
    follow_up = accompaniment.get(call, mine, world.alice)
    assert follow_up.ends_on == results.add_months(follow_up.starts_on, 6)
    published = AuditEntry.query.filter_by(object_type="call", to_state="published").one()
    assert published.detail["laureates"] == [mine.id]
    with pytest.raises(Conflict):
        results.publish_results(call, world.coordinator)
    with pytest.raises(NotFound):
        accompaniment.get(call, his, world.bruno)
    # Once published, the whole jury sees the scores; the laureate's project is public to members.
    assert jury.can_see_scores(call, world.juror)
    accompaniment.get(call, mine, world.dora)


def test_add_months_keeps_the_day_or_the_end_of_month():
    assert results.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert results.add_months(date(2027, 1, 15), 12) == date(2028, 1, 15)


def _laureate(world):
    call, mine, _his = world.scored_call()
    results.publish_results(call, world.coordinator)
    return call, accompaniment.get(call, mine, world.alice)


def test_plan_steps_progress_and_who_steers(world):
    call, follow_up = _laureate(world)
    start = follow_up.starts_on
    step = accompaniment.add_step(call, follow_up, world.alice, {"kind": "milestone", "title": "Étude de faisabilité",
                                                                 "due_on": start + timedelta(days=30)})
    accompaniment.add_step(call, follow_up, world.coordinator, {"kind": "checkin", "title": "Point mensuel",
                                                                "due_on": start + timedelta(days=31)})
    accompaniment.add_step(call, follow_up, world.alice, {"kind": "milestone", "title": "Marché notifié",
                                                          "due_on": start + timedelta(days=90)})
    accompaniment.complete_step(call, follow_up, world.alice, step.id)
    assert accompaniment.progress(follow_up) == 50
    for bad in ({"kind": "x", "title": "a", "due_on": start}, {"kind": "milestone", "title": "", "due_on": start},
                {"kind": "milestone", "title": "a", "due_on": start - timedelta(days=1)},
                {"kind": "milestone", "title": "a", "due_on": follow_up.ends_on + timedelta(days=1)}):
        with pytest.raises(ServiceError):
            accompaniment.add_step(call, follow_up, world.alice, bad)
    for outsider in (world.bruno, world.other_coordinator, world.juror):
        with pytest.raises(NotAllowed):
            accompaniment.add_step(call, follow_up, outsider, {"kind": "milestone", "title": "a", "due_on": start})
    with pytest.raises(NotFound):
        accompaniment.complete_step(call, follow_up, world.alice, 999_999)


def test_mentors_are_suggested_from_the_offers_index(world, make_user, db):
    mentor = make_user(name="Martin Mentor", roles=[("agent", world.dijon)])
    offer = SkillOffer(title="Légumerie et commande publique de légumes", agent_id=mentor.id,
                       collectivity_id=world.dijon.id, description="J'ai monté une légumerie partagée entre communes.",
                       domain="alimentation_durable", tags=["légumerie"], days_per_month=2, status="published",
                       modality="remote")
    db.session.add(offer)
    db.session.commit()
    matching_index.refit("offers")
    call, follow_up = _laureate(world)
    suggested = accompaniment.suggested_mentors(follow_up)
    assert [o.id for o, _score in suggested] == [offer.id]
    accompaniment.add_mentor(call, follow_up, world.alice, offer_id=offer.id)
    assert accompaniment.mentors(follow_up) == [mentor] and accompaniment.suggested_mentors(follow_up) == []
    with pytest.raises(ServiceError):
        accompaniment.add_mentor(call, follow_up, world.alice, email=mentor.email)
    with pytest.raises(ServiceError):
        accompaniment.add_mentor(call, follow_up, world.alice, email="personne@example.fr")
    with pytest.raises(NotFound):
        accompaniment.add_mentor(call, follow_up, world.alice, offer_id=999_999)
    # The mentor now helps steer the plan.
    accompaniment.add_step(call, follow_up, mentor, {"kind": "checkin", "title": "Visite",
                                                     "due_on": follow_up.starts_on})


def test_retour_d_experience_becomes_a_published_practice_sheet_and_ends_it(world):
    call, follow_up = _laureate(world)
    data = {"summary": "Une légumerie partagée.", "actions": "Un marché alloti.", "results": "30 % de bio.", "costs": ""}
    with pytest.raises(NotAllowed):
        accompaniment.finish(call, follow_up, world.coordinator, data)
    with pytest.raises(ServiceError) as refused:
        accompaniment.finish(call, follow_up, world.alice, dict(data, results=""))
    assert refused.value.field == "results"
    sheet = accompaniment.finish(call, follow_up, world.alice, data)
    assert sheet.status == "published" and sheet.domain == call.domain and sheet.collectivity_id == world.lyon.id
    assert call.title in sheet.summary and follow_up.practice_sheet_id == sheet.id
    assert PracticeSheet.query.count() == 1
    with pytest.raises(Conflict):
        accompaniment.add_step(call, follow_up, world.alice, {"kind": "milestone", "title": "a",
                                                              "due_on": follow_up.starts_on})
