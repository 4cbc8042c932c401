"""§3: sessions that end. A copied cookie is refused after logout; idle and absolute expiry;
"log out of all my sessions". Expiry is tested by moving the stored timestamps, never by waiting."""
from datetime import timedelta


from marketplace.models import UserSession
from marketplace.models.base import utcnow

PASSWORD = "motdepasse-solide-42"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _copy_into(app, value):
    """A second browser holding a copy of the session cookie (what a thief would have)."""
    from tests.conftest import FormClient

    other = FormClient(app.test_client())
    other.set_cookie("session", value)
    return other


def test_a_copied_cookie_is_useless_after_logout(app, client, make_user, login, db):
    login(make_user())
    stolen = _cookie(client)
    thief = _copy_into(app, stolen)
    assert thief.get("/compte/profil").status_code == 200  # before logout, the copy works (it is the session)
    client.post_form("/compte/deconnexion", {}, token_from="/espace")
    assert db.session.query(UserSession).count() == 0
    response = _copy_into(app, stolen).get("/compte/profil")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_each_login_is_a_stored_session_with_its_browser_and_address(client, make_user, login, db):
    user = make_user()
    login(user)
    row = db.session.query(UserSession).one()
    assert row.user_id == user.id and row.ip == "127.0.0.1" and row.method == "password"
    assert row.token_hash not in _cookie(client)  # only the hash is stored


def test_idle_session_expires(app, client, make_user, login, db):
    login(make_user())
    assert client.get("/compte/profil").status_code == 200
    row = db.session.query(UserSession).one()
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert client.get("/compte/profil").status_code == 302
    assert db.session.query(UserSession).count() == 0  # forgotten once expired


def test_activity_keeps_the_session_alive(app, client, make_user, login, db):
    login(make_user())
    row = db.session.query(UserSession).one()
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 5)
    db.session.commit()
    assert client.get("/compte/profil").status_code == 200
    db.session.refresh(row)
    assert utcnow() - row.last_seen_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)


def test_absolute_lifetime_ends_even_an_active_session(app, client, make_user, login, db):
    login(make_user())
    row = db.session.query(UserSession).one()
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    row.last_seen_at = utcnow()
    db.session.commit()
    assert client.get("/compte/profil").status_code == 302


def test_log_out_of_all_sessions(app, client, make_user, login, db):
    user = make_user()
    login(user)
    from tests.conftest import FormClient

    laptop = FormClient(app.test_client())
    laptop.post_form("/compte/connexion", {"email": user.email, "password": PASSWORD})
    assert db.session.query(UserSession).count() == 2
    page = client.get("/compte/profil").get_data(as_text=True)
    assert "Me déconnecter de toutes mes sessions" in page
    response = client.post_form("/compte/sessions/fermer-toutes", {}, token_from="/compte/profil")
    assert response.status_code == 302
    assert db.session.query(UserSession).count() == 0
    assert laptop.get("/compte/profil").status_code == 302
    assert client.get("/compte/profil").status_code == 302


def test_log_out_of_all_sessions_needs_the_csrf_token(client, make_user, login, db):
    login(make_user())
    response = client.post("/compte/sessions/fermer-toutes")
    assert response.status_code == 400
    assert db.session.query(UserSession).count() == 1


def test_another_users_session_token_does_not_open_this_account(app, client, make_user, login, db):
    """A cookie signed for user A but carrying user B's session token is refused."""
    alice, bob = make_user(), make_user()
    login(alice)
    from tests.conftest import FormClient

    other = FormClient(app.test_client())
    other.post_form("/compte/connexion", {"email": bob.email, "password": PASSWORD})
    with other.session_transaction() as bob_session:
        bob_token = bob_session["sid"]
    with client.session_transaction() as alice_session:
        alice_session["sid"] = bob_token
    assert client.get("/compte/profil").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app, client, make_user, login, db):
    user = make_user()
    login(user)
    from tests.conftest import FormClient

    other = FormClient(app.test_client())
    other.post_form("/compte/connexion", {"email": user.email, "password": PASSWORD})
    response = client.post_form("/compte/profil/mot-de-passe", {
        "current_password": PASSWORD, "password": "une-autre-phrase-solide", "confirm": "une-autre-phrase-solide"},
        token_from="/compte/profil")
    assert response.status_code == 302
    assert client.get("/compte/profil").status_code == 200
    assert other.get("/compte/profil").status_code == 302


def test_a_signed_in_view_reads_its_user_once(client, make_user, login, db):
    """Checking the session wrote nothing, so it must not end the transaction: its commit expired
    the user just loaded, and every view read the user and its roles a second time."""
    from tests.sql_statements import statements

    login(make_user())
    client.get("/compte/profil")
    with statements(db) as seen:
        assert client.get("/compte/profil").status_code == 200
    users = [s for s in seen if " FROM users " in s.replace("\n", " ") + " "]
    roles = [s for s in seen if "FROM role_assignments" in s.replace("\n", " ")]
    assert len(users) == 1, users
    assert len(roles) <= 1, roles
