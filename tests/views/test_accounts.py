import re

import pytest
from flask import session

from marketplace.models import RoleAssignment, User
from marketplace.models.geography import CollectivityPostalCode
from tests.sql_statements import statements

PASSWORD = "motdepasse-solide-42"
REGISTRATION = {
    "display_name": "Camille Martin", "email": "camille@commune.fr", "password": "une phrase solide",
    "confirm": "une phrase solide", "language": "fr", "accept_terms": "y",
}


def outbox(app):
    return getattr(app.extensions["mailman"], "outbox", [])


def link_token(message, path):
    return re.search(re.escape(path) + r"([\w.\-]+)", message.body).group(1)


def text(response):
    return response.get_data(as_text=True)


# --- registration ------------------------------------------------------------------------


def test_register_sends_the_verification_email_and_asks_to_log_in(client, app, db):
    response = client.post_form("/compte/inscription", REGISTRATION, token_from="/compte/inscription")
    assert response.status_code == 302
    assert response.location.endswith("/compte/connexion")
    assert "un e-mail vient d&#39;être envoyé à camille@commune.fr" in text(client.get("/compte/connexion"))
    [message] = outbox(app)
    assert message.to == ["camille@commune.fr"]
    user = db.session.query(User).one()
    assert user.display_name == "Camille Martin" and not user.email_verified
    login_response = client.post_form("/compte/connexion", {"email": "camille@commune.fr",
                                                            "password": "une phrase solide"})
    assert login_response.status_code == 302
    assert client.get("/compte/bienvenue").status_code == 200


def test_registration_does_not_reveal_an_existing_address(client, app, db, make_user):
    """Registering an address that has an account answers exactly as a new one does, creates
    nothing and tells the owner by e-mail (it used to say 'Un compte existe déjà')."""
    make_user(email="camille@commune.fr", name="Camille Déjà")
    taken = client.post_form("/compte/inscription", {**REGISTRATION, "email": "CAMILLE@Commune.FR"},
                             token_from="/compte/inscription")
    taken_page = text(client.get("/compte/connexion"))
    fresh = client.post_form("/compte/inscription", {**REGISTRATION, "email": "dominique@commune.fr"},
                             token_from="/compte/inscription")
    fresh_page = text(client.get("/compte/connexion"))
    assert taken.status_code == fresh.status_code == 302 and taken.location == fresh.location
    assert "existe déjà" not in taken_page
    assert (taken_page.replace("CAMILLE@Commune.FR", "X").replace("dominique@commune.fr", "X").split("csrf")[0]
            == fresh_page.replace("CAMILLE@Commune.FR", "X").replace("dominique@commune.fr", "X").split("csrf")[0])
    assert db.session.query(User).filter(User.email.ilike("camille@commune.fr")).count() == 1
    owner_mail, fresh_mail = outbox(app)
    assert owner_mail.to == ["camille@commune.fr"] and "déjà un compte" in owner_mail.body
    assert "/compte/mot-de-passe/oubli" in owner_mail.body
    assert fresh_mail.to == ["dominique@commune.fr"]


@pytest.mark.parametrize("changes, message", [
    ({"password": "court", "confirm": "court"}, "au moins 12 caractères"),
    ({"password": "aaaaaaaaaaaaaa", "confirm": "aaaaaaaaaaaaaa"}, "trop simple"),
    ({"confirm": "une autre phrase"}, "ne sont pas identiques"),
    ({"email": "a" * 250 + "@commune.fr"}, "au plus 254 caractères"),
    ({"email": "pas-une-adresse"}, "adresse e-mail valide"),
    ({"display_name": ""}, "Saisissez le nom"),
    ({"accept_terms": ""}, "Acceptez les conditions"),
])
def test_register_refusals_next_to_field(client, db, make_user, changes, message):
    make_user(email="camille@commune.fr")
    response = client.post_form("/compte/inscription", {**REGISTRATION, **changes},
                                token_from="/compte/inscription")
    page = text(response)
    assert response.status_code == 200
    assert "fr-message--error" in page
    assert message in page.replace("&#39;", "'")
    assert db.session.query(User).count() == 1
    if "display_name" not in changes:
        assert 'value="Camille Martin"' in page  # the form keeps what was typed


def test_register_refuses_non_utf8_bytes(client, db):
    token = client.csrf_token("/compte/inscription")
    fields = {**REGISTRATION, "csrf_token": token}
    parts = [f'--XX\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
             + (b"Cam\xffille" if k == "display_name" else v.encode()) + b"\r\n"
             for k, v in fields.items()]
    response = client.post("/compte/inscription", data=b"".join(parts) + b"--XX--\r\n",
                           content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 200
    assert "caractères illisibles" in text(response)
    assert db.session.query(User).count() == 0


def test_register_refuses_non_utf8_bytes_in_urlencoded_body(client, db):
    token = client.csrf_token("/compte/inscription")
    body = (f"csrf_token={token}&display_name=Cam".encode() + b"\xffille"
            + b"&email=camille%40commune.fr&password=une+phrase+solide"
            + b"&confirm=une+phrase+solide&language=fr&accept_terms=y")
    response = client.post("/compte/inscription", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "caractères illisibles" in text(response)
    assert 'value="camille@commune.fr"' in text(response)
    assert db.session.query(User).count() == 0


def test_html_in_display_name_is_escaped(client, app):
    data = {**REGISTRATION, "display_name": "<script>alert(1)</script>"}
    client.post_form("/compte/inscription", data, token_from="/compte/inscription")
    client.post_form("/compte/connexion", {"email": REGISTRATION["email"], "password": REGISTRATION["password"]})
    page = text(client.get("/espace"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- e-mail verification -----------------------------------------------------------------


def test_verification_link_confirms_address(client, app, db):
    client.post_form("/compte/inscription", REGISTRATION, token_from="/compte/inscription")
    token = link_token(outbox(app)[0], "/compte/verification/")
    response = client.get(f"/compte/verification/{token}", follow_redirects=True)
    assert "Votre adresse e-mail est confirmée." in text(response)
    assert db.session.query(User).one().email_verified


def test_expired_and_tampered_verification_links(client, app, db):
    client.post_form("/compte/inscription", REGISTRATION, token_from="/compte/inscription")
    token = link_token(outbox(app)[0], "/compte/verification/")
    response = client.get(f"/compte/verification/{token[:-3]}xyz", follow_redirects=True)
    assert "n&#39;est pas valide" in text(response)
    app.config["EMAIL_VERIFY_MAX_AGE"] = -1  # this test's own app
    response = client.get(f"/compte/verification/{token}", follow_redirects=True)
    assert "a expiré" in text(response)
    assert not db.session.query(User).one().email_verified


def test_resend_verification(client, app, make_user, login):
    user = make_user(verified=False)
    login(user)
    response = client.post_form("/compte/verification/renvoyer", {}, token_from="/compte/verification/renvoyer")
    assert response.status_code == 302
    assert len(outbox(app)) == 1 and outbox(app)[0].to == [user.email]


# --- log in and out ----------------------------------------------------------------------


def test_login_failure_is_generic(client, make_user):
    make_user(email="a@b.fr")
    for email, password in (("a@b.fr", "faux-mot-de-passe"), ("x@b.fr", PASSWORD)):
        response = client.post_form("/compte/connexion", {"email": email, "password": password})
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in text(response)
        assert f'value="{email}"' in text(response)


def test_inactive_account_cannot_log_in(client, make_user):
    make_user(email="a@b.fr", active=False)
    response = client.post_form("/compte/connexion", {"email": "a@b.fr", "password": PASSWORD})
    assert "Ce compte est désactivé" in text(response)
    assert client.get("/espace").status_code == 302


def test_login_starts_a_new_session_keeping_only_language(client, make_user):
    user = make_user(email="a@b.fr")
    token = client.csrf_token("/compte/connexion")
    with client.session_transaction() as before:
        before["lang"] = "en"
        before["planted"] = "by an attacker"
    old_cookie = client.get_cookie("session").value
    response = client.post("/compte/connexion", data={"email": "a@b.fr", "password": PASSWORD,
                                                      "csrf_token": token})
    assert response.status_code == 302
    assert client.get_cookie("session").value != old_cookie
    with client.session_transaction() as after:
        assert after["lang"] == "en"
        assert "planted" not in after
        assert after.get("csrf_token") is None  # the pre-login CSRF secret is gone too
        assert after["_user_id"] == user.get_id()


def test_session_cookie_flags(client, make_user):
    make_user(email="a@b.fr")
    response = client.post_form("/compte/connexion", {"email": "a@b.fr", "password": PASSWORD})
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")][0]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_redirects_to_safe_next_only(client, make_user):
    make_user(email="a@b.fr")
    response = client.post_form("/compte/connexion", {"email": "a@b.fr", "password": PASSWORD,
                                                      "next": "/compte/profil"})
    assert response.location.endswith("/compte/profil")
    client.post_form("/compte/deconnexion", {}, token_from="/espace")
    response = client.post_form("/compte/connexion", {"email": "a@b.fr", "password": PASSWORD,
                                                      "next": "https://evil.example/"})
    assert response.location.endswith("/espace")


# Failed-login throttling (per account and per address) is tested in tests/views/test_throttle.py.


def test_logout_only_by_post_with_csrf(client, make_user, login):
    login(make_user())
    assert client.get("/compte/deconnexion").status_code == 405
    response = client.post("/compte/deconnexion")
    assert response.status_code == 400
    assert "Le formulaire a expiré" in text(response)
    assert client.get("/espace").status_code == 200  # still logged in
    response = client.post_form("/compte/deconnexion", {}, token_from="/espace")
    assert response.status_code == 302
    assert client.get("/espace").status_code == 302


def test_missing_csrf_token_gives_french_400(client, db):
    response = client.post("/compte/inscription", data=REGISTRATION)
    assert response.status_code == 400
    assert "Le formulaire a expiré" in text(response)
    assert "Traceback" not in text(response)
    assert db.session.query(User).count() == 0


# --- password reset ----------------------------------------------------------------------


def test_reset_password_flow_single_use_and_kills_old_sessions(client, app, make_user, login):
    user = make_user(email="a@b.fr")
    other = app.test_client()
    other_token = re.search(r'name="csrf-token" content="([^"]+)"', text(other.get("/compte/connexion"))).group(1)
    other.post("/compte/connexion", data={"email": "a@b.fr", "password": PASSWORD, "csrf_token": other_token})
    assert other.get("/espace").status_code == 200

    response = client.post_form("/compte/mot-de-passe/oubli", {"email": "A@B.fr"})
    assert "Si un compte existe" in text(client.get("/compte/connexion"))
    token = link_token(outbox(app)[0], "/compte/mot-de-passe/nouveau/")
    url = f"/compte/mot-de-passe/nouveau/{token}"
    assert client.get(url).status_code == 200
    mismatch = client.post_form(url, {"password": "nouvelle phrase solide", "confirm": "autre"})
    assert "ne sont pas identiques" in text(mismatch)
    response = client.post_form(url, {"password": "nouvelle phrase solide",
                                      "confirm": "nouvelle phrase solide"})
    assert response.location.endswith("/compte/connexion")
    assert other.get("/espace").status_code == 302  # the other session died with the old stamp
    again = client.post_form(url, {"password": "troisième phrase solide",
                                   "confirm": "troisième phrase solide"}, follow_redirects=True)
    assert "déjà servi" in text(again)
    login(user, password="nouvelle phrase solide")


def test_reset_for_unknown_address_says_the_same(client, app):
    response = client.post_form("/compte/mot-de-passe/oubli", {"email": "personne@b.fr"},
                                follow_redirects=True)
    assert "Si un compte existe" in text(response)
    assert outbox(app) == []


def test_expired_reset_link(client, app, make_user):
    make_user(email="a@b.fr")
    client.post_form("/compte/mot-de-passe/oubli", {"email": "a@b.fr"})
    token = link_token(outbox(app)[0], "/compte/mot-de-passe/nouveau/")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # this test's own app
    response = client.get(f"/compte/mot-de-passe/nouveau/{token}", follow_redirects=True)
    assert "Ce lien a expiré" in text(response)


# --- profile -----------------------------------------------------------------------------


def test_profile_update_and_password_change(client, make_user, login, db):
    user = make_user(email="a@b.fr")
    login(user)
    response = client.post_form("/compte/profil", {"display_name": "Nouveau Nom", "language": "en"},
                                token_from="/compte/profil")
    assert response.status_code == 302
    assert user.display_name == "Nouveau Nom" and user.preferred_language == "en"
    wrong = client.post_form("/compte/profil/mot-de-passe", {
        "current_password": "faux", "password": "nouvelle phrase solide",
        "confirm": "nouvelle phrase solide"}, token_from="/compte/profil")
    # The account is now in English: the message is English once the catalogue is compiled.
    assert any(m in text(wrong) for m in ("The current password is incorrect.", "Le mot de passe actuel est incorrect."))
    stamp = user.security_stamp
    response = client.post_form("/compte/profil/mot-de-passe", {
        "current_password": PASSWORD, "password": "nouvelle phrase solide",
        "confirm": "nouvelle phrase solide"}, token_from="/compte/profil")
    assert response.status_code == 302
    assert user.security_stamp != stamp
    assert client.get("/espace").status_code == 200  # this session stays open


# --- onboarding --------------------------------------------------------------------------


def onboard(client, **data):
    return client.post_form("/compte/bienvenue", data, token_from="/compte/bienvenue")


def test_onboarding_requires_login(client):
    response = client.get("/compte/bienvenue")
    assert response.status_code == 302 and "/compte/connexion" in response.location


def test_onboarding_with_unknown_insee_code(client, make_user, login, make_collectivity):
    make_collectivity("Lyon", code="69123")
    user = make_user()
    login(user)
    response = onboard(client, roles="agent", collectivity_query="99999")
    assert "Collectivité introuvable : choisissez-la dans la liste ou saisissez son code INSEE." in text(response)
    assert 'value="99999"' in text(response)
    assert user.roles == []


def test_onboarding_with_postal_code_only(client, db, make_user, login, make_collectivity):
    for name, code in (("Lyon", "69123"), ("Caluire", "69034")):
        town = make_collectivity(name, code=code)
        db.session.add(CollectivityPostalCode(collectivity_id=town.id, postal_code="69001"))
    db.session.commit()
    user = make_user()
    login(user)
    response = onboard(client, roles="agent", collectivity_query="69001")
    page = text(response)
    assert "69001 est un code postal" in page and "Caluire" in page and "Lyon" in page
    assert user.roles == []


def test_onboarding_files_pending_requests_and_says_why(client, make_user, login, make_collectivity):
    """Issue 10 §1: anyone could declare themselves agent or référent of any collectivity, with an
    unverified address, and act for it at once. Now the request waits for a verification."""
    town = make_collectivity("Lyon", code="69123")
    user = make_user(verified=False)
    login(user)
    response = onboard(client, roles=["agent", "representative"], collectivity_id=str(town.id),
                       collectivity_query="Lyon (69)")
    assert response.location.endswith("/espace")
    assert user.active_roles() == []
    assert {r.role for r in user.pending_roles()} == {"agent", "representative"}
    dashboard = text(client.get("/espace"))
    assert "Demande en attente : Agent territorial pour Lyon" in dashboard
    assert "aucun rôle n&#39;est actif avant." in dashboard
    assert "Confirmez votre adresse e-mail" in dashboard
    assert "Proposez vos compétences" not in dashboard


def test_onboarding_without_role(client, make_user, login, make_collectivity):
    town = make_collectivity("Lyon", code="69123")
    login(make_user())
    response = onboard(client, collectivity_id=str(town.id))
    assert "Choisissez au moins un rôle." in text(response)


def test_employer_role_cannot_be_requested_in_self_service(client, make_user, login,
                                                            make_collectivity, db):
    make_collectivity("Lyon", code="69123")
    user = make_user()
    login(user)
    for role in ("approver", "coordinator", "admin"):
        response = onboard(client, roles=[role], collectivity_query="69123")
        assert response.status_code == 200
    assert db.session.query(RoleAssignment).filter_by(user_id=user.id).count() == 0
    assert "coordinateur sont attribués par un administrateur." in text(response)




def test_unknown_role_choice_is_refused_in_french(client, make_user, login, make_collectivity):
    make_collectivity("Lyon", code="69123")
    login(make_user())
    page = text(onboard(client, roles=["approver"], collectivity_query="69123"))
    assert "Choisissez un rôle dans la liste : agent ou référent." in page


def _statements_of_reset_request(client, app, db, address: str) -> list[str]:
    """The SQL statements the forgot-password request runs (the worker has not run yet)."""
    app.extensions["celery"].conf.task_always_eager = False
    app.extensions["celery"].conf.broker_url = "memory://"
    form_page = client.get("/compte/mot-de-passe/oubli")  # CSRF token first, outside the count
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(form_page)).group(1)
    with statements(db) as seen:
        client.post("/compte/mot-de-passe/oubli", data={"email": address, "csrf_token": token})
    return [re.sub(r"\s+", " ", statement).split(" WHERE ")[0] for statement in seen]


def test_forgot_password_does_the_same_work_for_known_and_unknown_addresses(client, app, db, make_user):
    """Finding (issue 10): the answer took ~3 ms longer for a known address (the outbox insert).
    The request now records the same task intent whatever the address; the worker looks it up."""
    make_user(email="connue@b.fr")
    known = _statements_of_reset_request(client, app, db, "connue@b.fr")
    unknown = _statements_of_reset_request(client, app, db, "inconnue@b.fr")
    assert known == unknown
    assert not any("outbox" in statement for statement in known)
