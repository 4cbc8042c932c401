"""Notification pages: list with unread count, preferences, one-click unsubscribe, suggestions feed."""
from __future__ import annotations

import pytest

from marketplace.models import Suggestion
from marketplace.notifications import services as notifications
from tests.workers import factories


def _notify(user, key="k"):
    notifications.notify(user, "suggestions", key, message="Trois nouvelles suggestions", link="/besoins/1")


def test_list_shows_unread_count_and_marks_read(client, db, make_user, login):
    user = make_user()
    _notify(user, "a")
    _notify(user, "b")
    db.session.commit()
    login(user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Trois nouvelles suggestions" in page and "2 non lues" in page
    response = client.post_form("/notifications/lues", token_from="/notifications/")
    assert response.status_code == 302
    assert notifications.unread_count(user) == 0


def test_list_requires_login(client):
    assert client.get("/notifications/").status_code == 302


def test_mark_read_without_csrf_is_refused(client, db, make_user, login):
    user = make_user()
    _notify(user)
    db.session.commit()
    login(user)
    assert client.post("/notifications/lues").status_code == 400
    assert notifications.unread_count(user) == 1


def test_preferences_saved(client, db, make_user, login):
    user = make_user()
    login(user)
    assert 'checked id="suggestions-0"' in client.get("/notifications/preferences").get_data(as_text=True)
    data = {kind: "immediate" for kind in notifications.EMAIL_KINDS} | {"suggestions": "daily"}
    response = client.post_form("/notifications/preferences", data, token_from="/notifications/preferences")
    assert response.status_code == 302
    assert notifications.frequency(user.id, "suggestions") == "daily"


@pytest.mark.parametrize("value", ["hourly", ""])
def test_preferences_bad_value_shows_french_error_and_saves_nothing(client, db, make_user, login, value):
    user = make_user()
    login(user)
    data = {kind: "none" for kind in notifications.EMAIL_KINDS} | {"suggestions": value}
    response = client.post_form("/notifications/preferences", data, token_from="/notifications/preferences")
    assert response.status_code == 400
    assert "Choisissez une fréquence parmi celles proposées." in response.get_data(as_text=True)
    assert set(notifications.preferences(user).values()) == {"immediate"}


def test_unsubscribe_get_changes_nothing_post_one_click_does(client, db, make_user):
    user = make_user()
    token = notifications.unsubscribe_token(user.id, "suggestions")
    page = client.get(f"/notifications/desabonnement/{token}")
    assert page.status_code == 200 and "Me désabonner" in page.get_data(as_text=True)
    assert notifications.frequency(user.id, "suggestions") == "immediate"
    # RFC 8058: the mail client posts this body, with no session and no CSRF token.
    done = client.post(f"/notifications/desabonnement/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert notifications.frequency(user.id, "suggestions") == "none"


@pytest.mark.parametrize("token", ["nope", "a.b.c"])
def test_unsubscribe_bad_token(client, db, token):
    assert client.get(f"/notifications/desabonnement/{token}").status_code == 404
    assert client.post(f"/notifications/desabonnement/{token}").status_code == 404


@pytest.fixture
def paired(db, make_collectivity, make_user):
    lyon, lille = make_collectivity("Lyon"), make_collectivity("Lille", departements=("59",), regions=("32",))
    agent, author = make_user(roles=[("agent", lille)]), make_user(roles=[("representative", lyon)])
    offer = factories.offer(agent, lille)
    need = factories.need(author, lyon)
    db.session.add(Suggestion(offer_id=offer.id, need_id=need.id, score=0.5,
                              reasons={"words": ["plu"], "tags": [], "distance_km": None}))
    db.session.commit()
    return {"offer": offer, "need": need, "agent": agent, "author": author, "lyon": lyon}


def test_need_feed_for_its_author(client, login, paired):
    login(paired["author"])
    data = client.get(f"/notifications/suggestions/besoins/{paired['need'].id}.json").get_json()
    assert data["suggestions"][0]["id"] == paired["offer"].id
    assert data["suggestions"][0]["reasons"]["words"] == ["plu"]
    assert data["suggestions"][0]["url"] == f"/offres/{paired['offer'].id}"


def test_offer_feed_for_its_agent_and_coordinator_sees_need(client, login, paired, make_user):
    login(paired["agent"])
    data = client.get(f"/notifications/suggestions/offres/{paired['offer'].id}.json").get_json()
    assert [s["id"] for s in data["suggestions"]] == [paired["need"].id]


def test_feed_hidden_from_others(client, login, paired, make_user):
    login(make_user(roles=[("coordinator", {"departements": ["59"]})]))  # not the need's territory
    assert client.get(f"/notifications/suggestions/besoins/{paired['need'].id}.json").status_code == 404
    assert client.get(f"/notifications/suggestions/offres/{paired['offer'].id}.json").status_code == 404
    assert client.get("/notifications/suggestions/besoins/9999.json").status_code == 404


def test_coordinator_of_the_territory_sees_need_feed(client, login, paired, make_user):
    login(make_user(roles=[("coordinator", {"departements": ["69"]})]))
    assert client.get(f"/notifications/suggestions/besoins/{paired['need'].id}.json").status_code == 200


def test_need_page_has_the_live_suggestions_section_for_its_author_only(client, login, paired, make_user):
    login(paired["author"])
    page = client.get(f"/besoins/{paired['need'].id}").get_data(as_text=True)
    assert f'data-suggestions-url="/notifications/suggestions/besoins/{paired["need"].id}.json"' in page
    assert '<script src="/static/js/suggestions.js" defer></script>' in page
    client.post_form("/compte/deconnexion", token_from=f"/besoins/{paired['need'].id}")
    login(make_user(roles=[("agent", paired["lyon"])]))
    assert "data-suggestions-url" not in client.get(f"/besoins/{paired['need'].id}").get_data(as_text=True)


def test_header_shows_unread_count(client, db, make_user, login):
    user = make_user()
    _notify(user)
    db.session.commit()
    login(user)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert 'href="/notifications/"' in page and '1<span class="fr-sr-only"> non lues</span>' in page
