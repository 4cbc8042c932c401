"""Calls for projects, views: every page renders for those who may see it, the others get 403,
404 or the login page; bad form input comes back next to its field (400), never a 500."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from marketplace.calls.services import calls, results
from marketplace.calls.services.calls import PARIS
from marketplace.models import Call, CallProject, CallScore
from tests.calls_world import world  # noqa: F401 (fixture)
from tests.tools.sessions import sign_in

FUTURE = (datetime.now(PARIS) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
TODAY = datetime.now(PARIS).date().isoformat()
CALL_FORM = {"title": "Appel cantines", "domain": "alimentation_durable", "departements": "69", "regions": "",
             "opens_on": TODAY, "deadline": FUTURE, "description": "Pour des cantines durables.",
             "eligibility": "Agents du Rhône.", "criteria": "Utilité ; 3\nFaisabilité ; 1", "laureate_count": "1",
             "accompaniment_months": ""}
PROJECT_FORM = {"title": "Légumerie", "problem": "Loin.", "users": "Écoliers.", "idea": "Partager.",
                "team": "Deux agents.", "support_needed": "Juridique."}


def _as(client, user):
    if user is not None:
        sign_in(client, user)
    return client


def test_coordinator_opens_a_call_through_the_form(client, world):
    _as(client, world.coordinator)
    assert client.get("/appels/nouveau").status_code == 200
    response = client.post_form("/appels/nouveau", CALL_FORM, token_from="/appels/nouveau")
    assert response.status_code == 302
    call = Call.query.one()
    assert call.accompaniment_months == 6 and call.status == "draft"
    token = "/appels/%d" % call.id
    client.post_form(f"/appels/{call.id}/jury", {"email": world.juror.email}, token_from=token)
    assert client.post_form(f"/appels/{call.id}/ouvrir", {}, token_from=token).status_code == 302
    assert call.status == "open"
    page = client.get(f"/appels/{call.id}").get_data(as_text=True)
    assert "Jules Juré" in page and "Ouvert" in page


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "Donnez un titre"), ("deadline", "pas une date", "date et une heure"),
    ("criteria", "Utilité ; 99", "poids entier"), ("laureate_count", "deux", ""),
    ("departements", "21", "territoire"), ("description", "<script>alert(1)</script>" * 1000, "caractères"),
])
def test_bad_call_form_input_is_shown_next_to_the_field(client, world, field, value, message):
    _as(client, world.coordinator)
    response = client.post_form("/appels/nouveau", dict(CALL_FORM, **{field: value}), token_from="/appels/nouveau")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert Call.query.count() == 0


def test_project_submitted_scored_and_published_through_the_pages(client, world):
    call = world.open_call()
    _as(client, world.alice)
    form_page = f"/appels/{call.id}/deposer"
    assert client.get(form_page).status_code == 200
    bad = client.post_form(form_page, dict(PROJECT_FORM, idea=""), token_from=form_page)
    assert bad.status_code == 400 and "Décrivez votre idée." in bad.get_data(as_text=True)
    assert client.post_form(form_page, PROJECT_FORM, token_from=form_page).status_code == 302
    project = CallProject.query.one()
    call.deadline_at = datetime.now(PARIS) - timedelta(minutes=1)
    calls.close_call(call, world.coordinator)
    _as(client, world.juror)
    page = f"/appels/{call.id}/projets/{project.id}"
    assert "Votre évaluation" in client.get(page).get_data(as_text=True)
    refused = client.post_form(page + "/note", {"mark_0": "12", "mark_1": "x", "comment": "Bien"}, token_from=page)
    assert refused.status_code == 400 and "note entière de 0 à 10" in refused.get_data(as_text=True)
    assert client.post_form(page + "/note", {"mark_0": "8", "mark_1": "4", "comment": "Bien"},
                            token_from=page).status_code == 302
    assert CallScore.query.one().total == 7.0
    assert client.get(f"/appels/{call.id}/classement").status_code == 403  # a juror, before the results
    _as(client, world.coordinator)
    assert "Ex æquo" not in client.get(f"/appels/{call.id}/classement").get_data(as_text=True)
    client.post_form(f"/appels/{call.id}/publier", {}, token_from=f"/appels/{call.id}")
    _as(client, world.alice)
    result = client.get(page).get_data(as_text=True)
    assert "Lauréat" in result and "Bien" in result and "Jules Juré" not in result  # jurors stay anonymous
    assert client.get(page + "/accompagnement").status_code == 200
    assert client.get(page + "/accompagnement/retour").status_code == 200


def _published(world):
    call, mine, his = world.scored_call()
    results.publish_results(call, world.coordinator)
    return call, mine, his


PAGES = {
    "list": lambda c, m, h: "/appels/",
    "call": lambda c, m, h: f"/appels/{c.id}",
    "edit": lambda c, m, h: f"/appels/{c.id}/modifier",
    "ranking": lambda c, m, h: f"/appels/{c.id}/classement",
    "losing project": lambda c, m, h: f"/appels/{c.id}/projets/{h.id}",
    "accompaniment": lambda c, m, h: f"/appels/{c.id}/projets/{m.id}/accompagnement",
    "retour": lambda c, m, h: f"/appels/{c.id}/projets/{m.id}/accompagnement/retour",
}
# Expected status per page for: anonymous, pending, the laureate (alice), another agent (dora),
# a juror, the coordinator of another territory, the coordinator, an administrator. Editing a
# published call is refused (409) even to its managers; only the laureate writes the retour.
EXPECTED = {
    "list": (302, 403, 200, 200, 200, 200, 200, 200),
    "call": (302, 403, 200, 200, 200, 200, 200, 200),
    "edit": (302, 403, 403, 403, 403, 403, 409, 409),
    "ranking": (302, 403, 403, 403, 200, 403, 200, 200),
    "losing project": (302, 403, 403, 403, 200, 403, 200, 200),
    "accompaniment": (302, 403, 200, 200, 200, 200, 200, 200),
    "retour": (302, 403, 200, 403, 403, 403, 403, 403),
}
WHO = ("anonymous", "pending", "alice", "dora", "juror", "other_coordinator", "coordinator", "admin")


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(app, world, page):
    call, mine, his = _published(world)
    url = PAGES[page](call, mine, his)
    got = []
    for who in WHO:
        client = app.test_client()
        if who != "anonymous":
            sign_in(client, getattr(world, who))
        got.append(client.get(url).status_code)
    assert tuple(got) == EXPECTED[page]
