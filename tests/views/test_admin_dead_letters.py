"""The dead letters page (/admin/echecs): admins list what was given up and replay one or all."""
from __future__ import annotations

import pytest

from marketplace.models import OutboxEmail, TaskIntent

PAGE = "/admin/echecs"


def _text(response):
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')


def _sent(app):
    return getattr(app.extensions["mailman"], "outbox", [])


@pytest.fixture
def dead(db):
    email = OutboxEmail(idempotency_key="dead-1", kind="suggestions", to="camille@example.fr",
                        subject="Nouvelles suggestions", template="suggestion", status="dead", attempts=8,
                        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
                        context={"display_name": "Camille", "message": "m", "need_url": "u", "unsubscribe_url": "u"})
    intent = TaskIntent(task="workers.tasks.match_need", args=[4242], status="dead", attempts=8,
                        last_error="OperationalError: server closed the connection")
    db.session.add_all([email, intent])
    db.session.commit()
    return {"email": email, "intent": intent}


@pytest.fixture
def admin(make_user, login):
    user = make_user(name="Alice Admin", roles=["admin"])
    login(user)
    return user


def _post(client, url):
    return client.post_form(url, {}, token_from=PAGE)


def test_admin_lists_dead_emails_and_tasks_in_french(client, admin, dead):
    page = _text(client.get(PAGE))
    assert "Envois en échec" in page and "Dernière erreur" in page
    assert "camille@example.fr" in page and "SMTPServerDisconnected" in page
    assert "Calcul des suggestions d'un besoin" in page and "4242" in page and "OperationalError" in page
    assert "Tout relancer (2)" in page


def test_empty_page_says_so(client, admin, db):
    page = _text(client.get(PAGE))
    assert "Aucun e-mail en échec." in page and "Aucune tâche en échec." in page
    assert "Tout relancer" not in page


def test_replay_one_email(app, client, admin, dead, db):
    response = _post(client, f"{PAGE}/email/{dead['email'].id}/relancer")
    assert response.status_code == 302 and response.location.endswith(PAGE)
    db.session.expire_all()
    email = db.session.get(OutboxEmail, dead["email"].id)
    assert email.status == "sent" and email.attempts == 1 and len(_sent(app)) == 1
    assert db.session.get(TaskIntent, dead["intent"].id).status == "dead"  # only the one asked for
    assert "Relancé" in _text(client.get(PAGE))


def test_replay_one_task(client, admin, dead, db):
    intent_id = dead["intent"].id
    response = _post(client, f"{PAGE}/task/{intent_id}/relancer")
    assert response.status_code == 302
    db.session.expire_all()
    # Published after the commit; eager Celery ran it (the need is gone: nothing to match), done.
    assert db.session.get(TaskIntent, intent_id) is None


def test_replay_all(app, client, admin, dead, db):
    response = _post(client, f"{PAGE}/relancer-tout")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.query(OutboxEmail).one().status == "sent"
    assert db.session.query(TaskIntent).count() == 0
    assert "2 envois relancés." in _text(client.get(PAGE))


def test_replaying_twice_says_it_is_done_already(app, client, admin, dead, db):
    _post(client, f"{PAGE}/email/{dead['email'].id}/relancer")
    response = _post(client, f"{PAGE}/email/{dead['email'].id}/relancer")
    assert response.status_code == 302
    assert "n'est plus en échec" in _text(client.get(PAGE))
    assert len(_sent(app)) == 1


@pytest.mark.parametrize("url", [f"{PAGE}/email/999999/relancer", f"{PAGE}/colis/1/relancer"])
def test_unknown_item_or_kind_is_404(client, admin, dead, url):
    assert _post(client, url).status_code == 404


def test_replay_without_csrf_is_refused(client, admin, dead, db):
    assert client.post(f"{PAGE}/relancer-tout").status_code == 400
    db.session.expire_all()
    assert db.session.query(OutboxEmail).one().status == "dead"


def test_other_users_get_403(client, make_user, login, dead, db):
    login(make_user(roles=["agent"]))
    assert client.get(PAGE).status_code == 403
    token = client.csrf_token("/notifications/")
    for url in (f"{PAGE}/relancer-tout", f"{PAGE}/email/{dead['email'].id}/relancer"):
        assert client.post(url, data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert {e.status for e in db.session.query(OutboxEmail)} == {"dead"}
    assert {i.status for i in db.session.query(TaskIntent)} == {"dead"}


def test_anonymous_is_sent_to_login(client, dead):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/compte/connexion" in response.location
