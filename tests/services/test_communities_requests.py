"""A closed community's join requests reach its moderators, and the answer reaches the requester."""
from __future__ import annotations

import pytest

from marketplace.communities.services import spaces
from marketplace.models import Notification
from tests.services.test_communities import DATA


@pytest.fixture
def people(make_user, make_collectivity):
    lyon = make_collectivity("Lyon")
    return {name: make_user(name=name, roles=[("agent", lyon)]) for name in ("Claire", "Alix", "Bruno")}


def _notices(db, user) -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id).order_by(Notification.id).all()


def test_moderators_are_told_of_a_request_and_the_requester_of_the_answer(app, db, people):
    claire, alix, bruno = people["Claire"], people["Alix"], people["Bruno"]
    closed = spaces.create_community(claire, dict(DATA, is_open=False))
    request = spaces.join(closed, bruno, "Je gère les achats de ma commune.")
    [notice] = _notices(db, claire)
    assert "Bruno demande à rejoindre la communauté « Cantines durables »" in notice.message
    assert notice.link == f"/communautes/{closed.id}/membres" and notice.kind == "community"
    assert _notices(db, bruno) == []
    spaces.decide_request(closed, claire, request.id, True)
    [answer] = _notices(db, bruno)
    assert "est acceptée" in answer.message and answer.link == f"/communautes/{closed.id}"


def test_an_open_community_notifies_nobody_on_joining_and_a_refusal_is_told(app, db, people):
    claire, alix, bruno = people["Claire"], people["Alix"], people["Bruno"]
    opened = spaces.create_community(claire, DATA)
    spaces.join(opened, alix)
    assert _notices(db, claire) == []
    closed = spaces.create_community(claire, dict(DATA, name="Achats groupés", is_open=False))
    request = spaces.join(closed, bruno)
    spaces.decide_request(closed, claire, request.id, False, "Réservé aux acheteurs")
    [answer] = _notices(db, bruno)
    assert "n'a pas été retenue" in answer.message
