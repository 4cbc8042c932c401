"""Calls for projects, services: opening a call in one's territory, submitting until the deadline,
eligibility, the jury's scores and conflicts, the ranking and its ties, and the bad inputs."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from marketplace.calls.services import access, calls, jury, projects
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.models import AuditEntry
from tests.calls_world import call_data, pass_deadline, project_data, world  # noqa: F401 (fixture)


def test_coordinator_opens_a_call_in_their_territory_with_a_default_accompaniment(world):
    call = world.open_call()
    assert call.status == "open" and call.accompaniment_months == 6
    assert call.criteria == [{"label": "Utilité pour les usagers", "weight": 3}, {"label": "Faisabilité", "weight": 1}]
    assert [e.to_state for e in AuditEntry.query.filter_by(object_type="call", object_id=call.id)] == [
        "draft", "juror_added", "juror_added", "open"]


@pytest.mark.parametrize("who", ["other_coordinator", "alice", "pending"])
def test_only_coordinators_of_the_territory_and_admins_open_calls(world, who):
    with pytest.raises((NotAllowed, ServiceError)):
        calls.create_call(getattr(world, who), call_data())
    assert calls.create_call(world.admin, call_data(departements="")).status == "draft"  # national: admin


def test_anonymous_user_is_refused(app):
    from flask_login import AnonymousUserMixin as AnonymousUser

    with pytest.raises(NotAllowed):
        calls.list_calls(AnonymousUser())


@pytest.mark.parametrize("field, value", [
    ("title", ""), ("title", "x" * 201), ("domain", "bricolage"), ("departements", "999"),
    ("criteria", ""), ("criteria", "Utilité ; 0"), ("criteria", "Utilité ; beaucoup"),
    ("criteria", "\n".join(f"C{i} ; 1" for i in range(11))), ("laureate_count", 0), ("laureate_count", "3"),
    ("accompaniment_months", 40), ("opens_on", None), ("deadline", "demain"), ("description", "\x00"),
])
def test_bad_call_inputs_name_their_field(world, field, value):
    with pytest.raises(ServiceError) as refused:
        calls.create_call(world.coordinator, call_data(**{field: value}))
    assert refused.value.field == field


def test_deadline_before_opening_and_past_deadline_are_refused(world):
    with pytest.raises(ServiceError) as refused:
        calls.create_call(world.coordinator, call_data(opens_on=date.today() + timedelta(days=30)))
    assert refused.value.field == "deadline"
    call = calls.create_call(world.coordinator, call_data(opens_on=date(2019, 12, 1), deadline=datetime(2020, 1, 1, 12, 0)))
    calls.add_juror(call, world.coordinator, world.juror.email)
    with pytest.raises(ServiceError):
        calls.open_call(call, world.coordinator)


def test_jury_must_be_named_with_verified_accounts(world):
    call = calls.create_call(world.coordinator, call_data())
    with pytest.raises(ServiceError, match="jury"):
        calls.open_call(call, world.coordinator)
    for address in ("inconnu@example.fr", world.pending.email, ""):
        with pytest.raises(ServiceError):
            calls.add_juror(call, world.coordinator, address)
    calls.add_juror(call, world.coordinator, world.juror.email.upper())
    with pytest.raises(ServiceError):
        calls.add_juror(call, world.coordinator, world.juror.email)
    with pytest.raises(NotAllowed):
        calls.add_juror(call, world.other_coordinator, world.vera.email)


def test_drafts_are_hidden_from_agents(world):
    draft = calls.create_call(world.coordinator, call_data())
    with pytest.raises(NotFound):
        access.get_call(draft.id, world.alice)
    assert draft not in calls.list_calls(world.alice) and draft in calls.list_calls(world.coordinator)
    with pytest.raises(NotFound):
        access.get_call("1", world.coordinator)


def test_agents_of_the_territory_submit_edit_and_withdraw_until_the_deadline(world):
    call = world.open_call()
    project = projects.submit(call, world.alice, project_data())
    assert project.collectivity_id == world.lyon.id
    projects.update(call, project, world.alice, project_data(title="Légumerie partagée"))
    assert project.title == "Légumerie partagée"
    with pytest.raises(NotAllowed):
        projects.update(call, project, world.bruno, project_data())
    other = projects.submit(call, world.bruno, project_data("Autre"))
    projects.withdraw(call, other, world.bruno)
    assert projects.submitted(call) == [project]
    with pytest.raises(Conflict):
        projects.update(call, other, world.bruno, project_data())
    pass_deadline(call)
    for attempt in (lambda: projects.submit(call, world.bruno, project_data()),
                    lambda: projects.update(call, project, world.alice, project_data()),
                    lambda: projects.withdraw(call, project, world.alice)):
        with pytest.raises(ServiceError, match="date limite"):
            attempt()


@pytest.mark.parametrize("who", ["dora", "juror", "pending", "coordinator"])
def test_only_verified_agents_of_the_territory_may_submit(world, who):
    call = world.open_call()
    with pytest.raises(NotAllowed):
        projects.submit(call, getattr(world, who), project_data())


@pytest.mark.parametrize("field, value", [("title", ""), ("problem", "   "), ("idea", "x" * 10_001),
                                          ("collectivity_id", 999_999)])
def test_bad_project_inputs_name_their_field(world, field, value):
    call = world.open_call()
    with pytest.raises(ServiceError) as refused:
        projects.submit(call, world.alice, project_data(**{field: value}))
    assert refused.value.field == field


def test_call_closes_only_after_its_deadline(world):
    call = world.open_call()
    with pytest.raises(ServiceError):
        calls.close_call(call, world.coordinator)
    with pytest.raises(Conflict):
        jury.score(call, None, world.juror, {}, "")
    pass_deadline(call)
    with pytest.raises(NotAllowed):
        calls.close_call(call, world.other_coordinator)
    assert calls.close_call(call, world.coordinator).status == "closed"


def test_weighted_scores_mean_over_jurors_who_scored_and_conflicts(world):
    call, mine, his = world.scored_call()
    # Véra sits in Villeurbanne: Bruno's project is out of her reach.
    with pytest.raises(NotAllowed, match="collectivité"):
        jury.score(call, his, world.vera, {"0": "10", "1": "10"}, "Parfait.")
    rows = jury.ranking(call)
    assert [(r.project, r.score, len(r.scores)) for r in rows] == [(mine, 8.12, 2), (his, 6.0, 1)]
    # (9*3 + 6)/4 = 8.25 and (8*3 + 8)/4 = 8.0: mean 8.125, shown rounded.
    jury.declare_conflict(call, mine, world.juror, "Ancien collègue de l'auteure.")
    assert [round(s.total, 2) for s in jury.ranking(call)[0].scores] == [8.0]
    with pytest.raises(NotAllowed, match="conflit"):
        jury.score(call, mine, world.juror, {"0": "1", "1": "1"}, "Bof.")
    with pytest.raises(NotAllowed):
        jury.score(call, mine, world.alice, {"0": "1", "1": "1"}, "Moi.")


@pytest.mark.parametrize("marks, comment", [({"0": "11", "1": "5"}, "ok"), ({"0": "-1", "1": "5"}, "ok"),
                                            ({"0": "5"}, "ok"), ({"0": "5,5", "1": "5"}, "ok"),
                                            ({"0": "5", "1": "5"}, "")])
def test_bad_marks_are_refused(world, marks, comment):
    call, mine, _his = world.instructed_call()
    with pytest.raises(ServiceError):
        jury.score(call, mine, world.juror, marks, comment)


def test_ties_are_broken_by_number_of_jurors_then_submission_and_explained(world):
    call, mine, his = world.instructed_call()
    jury.score(call, his, world.juror, {"0": "7", "1": "7"}, "Bien.")
    jury.score(call, mine, world.juror, {"0": "7", "1": "7"}, "Bien aussi.")
    rows = jury.ranking(call)
    assert [r.project for r in rows] == [mine, his]  # same score, same jurors: first submitted first
    assert all("Ex æquo" in r.tie_note for r in rows)


def test_scores_stay_secret_between_jurors_until_results(world):
    call, mine, _his = world.scored_call()
    assert list(jury.my_scores(call, world.vera)) == [mine.id]
    assert not jury.can_see_scores(call, world.juror)
    assert jury.can_see_scores(call, world.coordinator)
    assert not jury.can_see_scores(call, world.other_coordinator)
