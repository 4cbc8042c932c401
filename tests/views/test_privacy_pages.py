"""The personal data rights pages: my data, the archive download, account deletion, the register."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from marketplace.models import DataExport, OutboxEmail, User
from marketplace.privacy.services import deletion, register
from tests.tools.sessions import sign_in

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def agent(db, make_user, make_collectivity, app, tmp_path):
    app.config["DATA_EXPORT_DIR"] = str(tmp_path / "exports")
    return make_user(name="Camille Martin", roles=[("agent", make_collectivity("Villeurbanne"))])


def _link(db, user) -> str:
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.template == "data_export_ready",
                                                        OutboxEmail.user_id == user.id)).one()
    return mail.context["link"].split("//", 1)[1].split("/", 1)[1]


def test_anonymous_visitors_are_sent_to_login(client, db):
    for url in ("/compte/mes-donnees", "/compte/supprimer", "/compte/mes-donnees/telecharger/abc", "/admin/registre"):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    assert client.post("/compte/mes-donnees/archive").status_code in (302, 400)


def test_request_then_download_the_archive(client, db, agent):
    sign_in(client, agent)
    page = client.get("/compte/mes-donnees").get_data(as_text=True)
    assert "Télécharger mes données" in page and "24 heures" in page
    response = client.post_form("/compte/mes-donnees/archive", token_from="/compte/mes-donnees")
    assert response.status_code == 302
    page = client.get("/compte/mes-donnees").get_data(as_text=True)
    assert "Prête : lien envoyé par e-mail" in page
    response = client.get("/" + _link(db, agent))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "donnees.json" in names and "csv/needs.csv" in names


def test_a_link_is_refused_to_another_user_and_when_altered(client, db, agent, make_user):
    sign_in(client, agent)
    client.post_form("/compte/mes-donnees/archive", token_from="/compte/mes-donnees")
    link = "/" + _link(db, agent)
    altered = client.get(link[:-4] + "abcd", follow_redirects=True)
    assert altered.status_code == 200 and "n&#39;est pas valide" in altered.get_data(as_text=True)
    for bad in ("/compte/mes-donnees/telecharger/%3Cscript%3E", "/compte/mes-donnees/telecharger/" + "x" * 3000):
        assert client.get(bad).status_code == 302
    other = make_user(name="Autre")
    client.post_form("/compte/deconnexion", token_from="/compte/profil")
    sign_in(client, other)
    assert client.get(link).status_code == 404


def test_deletion_page_explains_what_is_kept(client, db, agent):
    sign_in(client, agent)
    page = client.get("/compte/supprimer").get_data(as_text=True)
    assert "Ce qui est conservé, et pourquoi" in page and "conventions et arrêtés signés" in page
    assert 'autocomplete="current-password"' in page


@pytest.mark.parametrize("data, field_message", [
    ({"password": "", "understood": "y"}, "Mot de passe incorrect."),
    ({"password": "faux", "understood": "y"}, "Mot de passe incorrect."),
    ({"password": PASSWORD}, "Cochez cette case pour confirmer la suppression."),
    ({"password": "<script>alert(1)</script>", "understood": "y"}, "Mot de passe incorrect."),
])
def test_deletion_refusals_are_shown_next_to_the_field(client, db, agent, data, field_message):
    sign_in(client, agent)
    response = client.post_form("/compte/supprimer", data, token_from="/compte/supprimer")
    assert response.status_code == 200
    assert field_message in response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert not deletion.is_deleted(db.session.get(User, agent.id))


def test_deletion_logs_out_and_the_account_cannot_log_in_again(client, db, agent):
    email = agent.email
    sign_in(client, agent)
    response = client.post_form("/compte/supprimer", {"password": PASSWORD, "understood": "y"},
                                token_from="/compte/supprimer")
    assert response.status_code == 302
    assert client.get("/compte/profil").status_code == 302  # logged out
    response = client.post_form("/compte/connexion", {"email": email, "password": PASSWORD})
    assert response.status_code == 200  # refused: no such account any more
    db.session.expire_all()
    assert deletion.is_deleted(db.session.get(User, agent.id))


def test_register_is_for_administrators_and_shows_configured_periods(client, db, agent, make_user, app):
    sign_in(client, agent)
    assert client.get("/admin/registre").status_code == 403
    admin = make_user(name="Admin", roles=["admin"])
    client.post_form("/compte/deconnexion", token_from="/compte/profil")
    sign_in(client, admin)
    app.config["PRIVACY_ACCOUNT_RETENTION_MONTHS"] = 24
    assert "/admin/registre" in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/registre").get_data(as_text=True)
    for item in register.load_register(app.config).processings:
        assert f'id="traitement-{item.id}"' in page
    assert "supprimé après 24 mois sans connexion" in page
    privacy_page = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "24 mois" in privacy_page  # the public page shows the same figure


def test_register_file_is_complete_and_matches_the_privacy_page(app):
    loaded = register.load_register(app.config)
    assert len(loaded.processings) >= 6 and loaded.version
    assert all("{" not in item.retention for item in loaded.processings)  # every placeholder filled
    assert len({item.id for item in loaded.processings}) == len(loaded.processings)


def test_rights_are_linked_from_the_privacy_page_and_the_profile(client, db, agent):
    public = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "/compte/mes-donnees" in public and "/compte/supprimer" in public
    sign_in(client, agent)
    profile = client.get("/compte/profil").get_data(as_text=True)
    assert "/compte/mes-donnees" in profile and "/compte/supprimer" in profile
    assert re.search(r"Mes données personnelles", profile)
