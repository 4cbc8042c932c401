"""Who may read, edit, publish and archive each kind of object: the README table, tested.

Two users per role from two collectivities (A in département 69, B in 29), plus a user whose
agent (A) and référent (B) requests are still pending, and an anonymous visitor. Each row is one
route on one object; every actor tries it and gets the status the table says. Objects of A are
owned by the A users; the pairing links agent A's offer (home A) to référent B's need (host B).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest
from sqlalchemy import func, select

from marketplace.accounts import onboarding
from marketplace.models import Consent, Need, SkillOffer
from tests import pairing_world as pw
from tests.conftest import FormClient
from tests.fixtures.practices.helpers import make_sheet

ROLES = ("agent", "representative", "approver", "coordinator", "admin")
ACTORS = ("anonymous", "pending") + tuple(f"{role}_{side}" for role in ROLES for side in "AB")
ADMINS = {"admin_A", "admin_B"}
LOGGED_IN = set(ACTORS) - {"anonymous"}
MEMBERS = LOGGED_IN - {"pending"}  # an active role of any kind
PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def world(db, app, make_collectivity, make_user):
    a = make_collectivity("Commune A", departements=("69",), regions=("84",))
    b = make_collectivity("Commune B", departements=("29",), regions=("53",))
    people = {}
    for role in ROLES:
        for side, place in (("A", a), ("B", b)):
            target = {"departements": [place.departement_codes[0]]} if role == "coordinator" else place
            people[f"{role}_{side}"] = make_user(name=f"{role} {side}",
                                                 roles=[role if role == "admin" else (role, target)])
    people["approver_A"].roles[0].yearly_day_budget = 20
    pending = people["pending"] = make_user(name="En attente")
    onboarding.complete_onboarding(pending, ["agent"], str(a.id), "")
    onboarding.complete_onboarding(pending, ["representative"], str(b.id), "")
    db.session.commit()
    objects = {
        "offer_draft": _listing(db, pw.offer(people["agent_A"], a, title="Offre brouillon A"), "draft"),
        "offer": pw.offer(people["agent_A"], a, title="Offre publiée A"),
        "need_draft": _listing(db, pw.need(people["representative_A"], a, title="Besoin brouillon A"), "draft"),
        "need": pw.need(people["representative_A"], a, title="Besoin ouvert A"),
        "need_b": pw.need(people["representative_B"], b, title="Besoin ouvert B"),
        "sheet": make_sheet(people["agent_A"], a, status="published"),
        "sheet_draft": make_sheet(people["agent_A"], a, status="draft", title="Fiche brouillon A"),
    }
    pw.suggestion(objects["offer"], objects["need_draft"])
    pw.suggestion(objects["offer"], objects["need"])
    from marketplace.pairings.services import queue
    suggestion = pw.suggestion(objects["offer"], objects["need_b"])
    objects["pairing"] = queue.decide(people["coordinator_B"], [suggestion.id], approve=True)[0]
    return {"people": people, "objects": objects, "app": app, "db": db}


def _listing(db, item, status):
    item.status = status
    item.published_at = None
    db.session.commit()
    return item


def client_for(world, actor: str, index: int) -> FormClient:
    # One address per actor: the login rate limit counts per address, as for real offices.
    client = FormClient(world["app"].test_client())
    client.client.environ_base["REMOTE_ADDR"] = f"10.0.0.{index + 1}"
    if actor != "anonymous":
        user = world["people"][actor]
        response = client.post_form("/compte/connexion", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, actor
    return client


@dataclass
class Row:
    """One route on one object: who is allowed, and the status everyone else gets."""

    name: str
    method: str
    url: Callable[[dict], str]
    allowed: set
    ok: int = 200
    refused: int = 403
    data: Callable[[str], dict] = field(default=lambda actor: {})
    # Puts the object back after an allowed actor changed it, so the next actor meets the same state.
    reset: Callable[[dict], None] | None = None
    # For POSTs: what must hold after each attempt (allowed or not).
    changed: Callable[[dict], bool] | None = None
    # What an anonymous visitor gets when not allowed: the login page, or the same as others.
    anonymous: int | None = 302


def _status(kind, key, status):
    def reset(world):
        item = world["objects"][key]
        item.status = status
        world["db"].session.commit()
    return reset


def _is(key, status):
    def check(world):
        item = world["objects"][key]
        world["db"].session.refresh(item)
        return item.status == status
    return check


def _consents(world):
    return world["db"].session.scalar(select(func.count()).select_from(Consent))


PARTY = {"agent_A": "agent", "approver_A": "employer", "representative_B": "host"}
PAIRING_VIEWERS = set(PARTY) | {"coordinator_B"} | ADMINS
o = lambda key: (lambda w: w["objects"][key].id)  # noqa: E731

ROWS = [
    # Offers: a published offer is public (names after sign-in); a draft is its owner's and admins'.
    Row("offer published: read", "GET", lambda w: f"/offres/{o('offer')(w)}", set(ACTORS)),
    Row("offer draft: read", "GET", lambda w: f"/offres/{o('offer_draft')(w)}", {"agent_A"} | ADMINS, refused=404,
        anonymous=None),
    Row("offer: edit", "GET", lambda w: f"/offres/{o('offer')(w)}/modifier", {"agent_A"} | ADMINS),
    Row("offer draft: edit", "GET", lambda w: f"/offres/{o('offer_draft')(w)}/modifier", {"agent_A"} | ADMINS,
        refused=404),
    Row("offer draft: publish", "POST", lambda w: f"/offres/{o('offer_draft')(w)}/statut", {"agent_A"} | ADMINS,
        ok=302, refused=404, data=lambda a: {"status": "published"},
        reset=_status(SkillOffer, "offer_draft", "draft"), changed=_is("offer_draft", "published")),
    Row("offer: archive", "POST", lambda w: f"/offres/{o('offer')(w)}/statut", {"agent_A"} | ADMINS,
        ok=302, data=lambda a: {"status": "archived"},
        reset=_status(SkillOffer, "offer", "published"), changed=_is("offer", "archived")),
    Row("offer: suggestions feed", "GET", lambda w: f"/notifications/suggestions/offres/{o('offer')(w)}.json",
        {"agent_A"} | ADMINS, refused=404),
    Row("offer: create form", "GET", lambda w: "/offres/nouveau", {"agent_A", "agent_B", "pending"}),
    # Needs: the same, with the référent as owner; coordinators of the territory see suggestions.
    Row("need open: read", "GET", lambda w: f"/besoins/{o('need')(w)}", set(ACTORS)),
    Row("need draft: read", "GET", lambda w: f"/besoins/{o('need_draft')(w)}", {"representative_A"} | ADMINS,
        refused=404, anonymous=None),
    Row("need: edit", "GET", lambda w: f"/besoins/{o('need')(w)}/modifier", {"representative_A"} | ADMINS),
    Row("need draft: publish", "POST", lambda w: f"/besoins/{o('need_draft')(w)}/statut",
        {"representative_A"} | ADMINS, ok=302, refused=404, data=lambda a: {"status": "open"},
        reset=_status(Need, "need_draft", "draft"), changed=_is("need_draft", "open")),
    Row("need: cancel", "POST", lambda w: f"/besoins/{o('need')(w)}/statut", {"representative_A"} | ADMINS,
        ok=302, data=lambda a: {"status": "cancelled"},
        reset=_status(Need, "need", "open"), changed=_is("need", "cancelled")),
    # Issue 10 §6: a draft need's suggestions were readable by others (here: the coordinator of A).
    Row("need draft: suggestions feed", "GET",
        lambda w: f"/notifications/suggestions/besoins/{o('need_draft')(w)}.json",
        {"representative_A"} | ADMINS, refused=404),
    Row("need open: suggestions feed", "GET", lambda w: f"/notifications/suggestions/besoins/{o('need')(w)}.json",
        {"representative_A", "coordinator_A"} | ADMINS, refused=404),
    Row("need: create form", "GET", lambda w: "/besoins/nouveau",
        {"representative_A", "representative_B", "pending"}),
    # Pairings: its three parties, the coordinators of the need's territory and admins.
    Row("pairing: read", "GET", lambda w: f"/rapprochements/{o('pairing')(w)}", PAIRING_VIEWERS),
    Row("pairing: consent for own party", "POST", lambda w: f"/rapprochements/{o('pairing')(w)}/accord", set(PARTY),
        ok=302, data=lambda a: {"consent-party": PARTY.get(a, "host"), "consent-decision": "accepted"}),
    Row("pairing: set the terms (host)", "GET", lambda w: f"/rapprochements/{o('pairing')(w)}/conditions",
        {"representative_B"}),
    # Practice sheets: published ones are public; drafts and editing are for members (active roles).
    Row("sheet published: read", "GET", lambda w: f"/pratiques/{o('sheet')(w)}", set(ACTORS)),
    Row("sheet draft: read", "GET", lambda w: f"/pratiques/{o('sheet_draft')(w)}", MEMBERS, refused=404,
        anonymous=None),
    Row("sheet: edit", "GET", lambda w: f"/pratiques/{o('sheet')(w)}/modifier", MEMBERS),
    # Administration and verification of roles.
    Row("admin: accounts", "GET", lambda w: "/admin/", ADMINS),
    Row("admin: e-mail domains", "GET", lambda w: "/admin/domaines", ADMINS),
    Row("roles: requests to verify", "GET", lambda w: "/compte/demandes-de-role",
        {"coordinator_A", "coordinator_B"} | ADMINS),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_permission_matrix(world, row):
    url = row.url(world)
    wrong = []
    for index, actor in enumerate(ACTORS):
        client = client_for(world, actor, index)
        if row.method == "GET":
            response = client.get(url)
        else:
            response = client.post_form(url, row.data(actor), token_from="/compte/connexion"
                                        if actor == "anonymous" else "/compte/profil")
        allowed = actor in row.allowed
        if allowed:
            expected = row.ok
        elif actor == "anonymous":
            expected = row.anonymous or row.refused
        else:
            expected = row.refused
        if response.status_code != expected:
            wrong.append(f"{actor}: {response.status_code} (expected {expected})")
        if row.changed is not None and row.changed(world) != allowed:
            wrong.append(f"{actor}: object {'not ' if allowed else ''}changed")
        if allowed and row.reset is not None:
            row.reset(world)
    if row.name == "pairing: consent for own party":
        assert _consents(world) == len(PARTY)
    assert not wrong, f"{row.method} {url}\n" + "\n".join(wrong)
