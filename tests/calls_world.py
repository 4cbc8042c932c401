"""A small world for the calls' tests: collectivities in the Rhône (69, région 84) and in Dijon
(21, région 27), a coordinator of each territory, an administrator, agents and jurors, and the
helpers that open a call, let its deadline pass and score it."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from marketplace.calls.services import calls, jury, projects
from marketplace.calls.services.calls import PARIS
from marketplace.core.extensions import db
from marketplace.models.base import utcnow


def call_data(**changes) -> dict:
    now = datetime.now(PARIS)
    data = {"title": "Innover pour les cantines", "domain": "alimentation_durable", "departements": "69",
            "regions": "", "opens_on": now.date(), "deadline": (now + timedelta(days=10)).replace(tzinfo=None),
            "description": "Des projets d'agents pour des cantines plus durables.",
            "eligibility": "Agents des collectivités du Rhône.",
            "criteria": "Utilité pour les usagers ; 3\nFaisabilité ; 1", "laureate_count": 1,
            "accompaniment_months": None}
    data.update(changes)
    return data


def project_data(title="Légumerie intercommunale", **changes) -> dict:
    data = {"title": title, "problem": "Des légumes transformés loin d'ici.", "users": "Les écoliers.",
            "idea": "Une légumerie partagée entre communes.", "team": "Deux agents de la restauration.",
            "support_needed": "Un appui juridique sur la commande publique.", "collectivity_id": None}
    data.update(changes)
    return data


def pass_deadline(call) -> None:
    """Time passes: the deadline is now one minute ago (as the server's clock will see it)."""
    call.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


class World:
    def __init__(self, make_user, make_collectivity):
        self.lyon = make_collectivity("Lyon")
        self.villeurbanne = make_collectivity("Villeurbanne")
        self.dijon = make_collectivity("Dijon", departements=("21",), regions=("27",))
        self.coordinator = make_user(name="Coralie Coordinatrice",
                                     roles=[("coordinator", {"departements": ["69"], "regions": ["84"]})])
        self.other_coordinator = make_user(name="Olivier Autre", roles=[("coordinator", {"departements": ["21"]})])
        self.admin = make_user(name="Ada Admin", roles=["admin"])
        self.alice = make_user(email="alice@lyon.fr", name="Alice Agent", roles=[("agent", self.lyon)])
        self.bruno = make_user(email="bruno@villeurbanne.fr", name="Bruno Agent",
                               roles=[("agent", self.villeurbanne)])
        self.dora = make_user(name="Dora Dijon", roles=[("agent", self.dijon)])
        self.juror = make_user(email="jules@dijon.fr", name="Jules Juré", roles=[("representative", self.dijon)])
        # A juror of Villeurbanne: never scores Bruno's project.
        self.vera = make_user(email="vera@villeurbanne.fr", name="Véra Jurée",
                              roles=[("representative", self.villeurbanne)])
        self.pending = make_user(name="Paul En attente")

    def open_call(self, **changes):
        call = calls.create_call(self.coordinator, call_data(**changes))
        calls.add_juror(call, self.coordinator, self.juror.email)
        calls.add_juror(call, self.coordinator, self.vera.email)
        return calls.open_call(call, self.coordinator)

    def instructed_call(self):
        """An open call with Alice's and Bruno's projects, closed; returns (call, alice's, bruno's)."""
        call = self.open_call()
        mine = projects.submit(call, self.alice, project_data())
        his = projects.submit(call, self.bruno, project_data("Cantine zéro plastique"))
        pass_deadline(call)
        calls.close_call(call, self.coordinator)
        return call, mine, his

    def scored_call(self):
        call, mine, his = self.instructed_call()
        jury.score(call, mine, self.juror, {"0": "9", "1": "6"}, "Très utile.")
        jury.score(call, mine, self.vera, {"0": "8", "1": "8"}, "Solide.")
        jury.score(call, his, self.juror, {"0": "5", "1": "9"}, "À préciser.")
        return call, mine, his


@pytest.fixture
def world(app, make_user, make_collectivity):
    return World(make_user, make_collectivity)
