"""Issue 15 §5's journey in a real Chromium: an agent party to a signed convention downloads their
data from the e-mailed link, then deletes their account; the host's representative still opens the
pairing and the agent's signed copy, the agent now shown as "Utilisateur supprimé"."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from tests.browser.helpers import PASSWORD, assert_accessible, log_in, mails_to, tick

pytestmark = pytest.mark.browser

AGENT, APPROVER, HOST = "camille@villeurbanne.example.fr", "claire@villeurbanne.example.fr", "sacha@lyon.example.fr"
TIMEOUT = 15_000


def _signed_convention(instance) -> int:
    """The served database gets a pairing whose convention the three parties signed, built by the
    same services the pages call (the browser pairing journey covers those pages)."""
    import io as _io

    from sqlalchemy import select

    from config import TestingConfig
    from marketplace import create_app
    from marketplace.accounts.passwords import hash_password
    from marketplace.core.extensions import db
    from marketplace.models import Collectivity, RoleAssignment, User
    from marketplace.pairings.services import consents, documents, engagement, queue, signatures
    from tests.pairing_world import fill_details, need, offer, signed_pdf, suggestion
    from tests.services.test_pairing_engagement import terms

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'browser.sqlite3'}",
                     UPLOAD_DIR=str(instance / "uploads"), SQLALCHEMY_ENGINE_OPTIONS={})
    with app.app_context():
        def place(name):
            return db.session.scalars(select(Collectivity).where(Collectivity.name == name,
                                                                 Collectivity.kind == "commune")).first()

        home, host = place("Villeurbanne"), place("Lyon")
        home.siren, host.siren = "216902667", "216901231"

        def person(email, name, role, where):
            user = User(email=email, display_name=name, password_hash=hash_password(PASSWORD), email_verified=True,
                        security_stamp="0" * 32)
            user.roles.append(RoleAssignment(role=role, collectivity=where) if where else RoleAssignment(role=role))
            db.session.add(user)
            return user

        agent = person(AGENT, "Camille Martin", "agent", home)
        approver = person(APPROVER, "Claire Dupont", "approver", home)
        representative = person(HOST, "Sacha Accueil", "representative", host)
        coordinator = person("coord@example.fr", "Coordination", "coordinator", None)
        coordinator.roles[0].scope_departements = ["69"]
        approver.roles[0].yearly_day_budget = 20
        db.session.commit()
        world = {"agent": agent, "approver": approver, "representative": representative}
        pairing = queue.decide(coordinator, [suggestion(offer(agent, home), need(representative, host)).id],
                               approve=True)[0]
        for user, party in ((agent, "agent"), (approver, "employer"), (representative, "host")):
            consents.give(user, pairing, party, True)
        eng = engagement.create(representative, pairing, terms())
        fill_details(world, eng)
        version = documents.freeze(representative, documents.latest(eng))
        for user, party in ((approver, "employer"), (representative, "host"), (agent, "agent")):
            signatures.upload(user, version, party, _io.BytesIO(signed_pdf(f"signé {party}")), f"{party}.pdf")
        assert signatures.convention_signed(eng)
        return pairing.id


def _log_in(browser, base_url, email):
    """A browser context of its own, logged in through the form."""
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    log_in(page, base_url, email)
    return page


def test_download_my_data_then_delete_my_account(live_server, browser):
    base_url, instance = live_server
    pairing_id = _signed_convention(instance)
    agent = _log_in(browser, base_url, AGENT)

    # From the profile to "my data": ask for the archive.
    agent.goto(base_url + "/compte/profil")
    agent.get_by_role("link", name="Télécharger mes données").click()
    agent.get_by_role("heading", name="Mes données", level=1).wait_for()
    assert_accessible(agent)
    agent.get_by_role("button", name="Demander mon archive").click()
    agent.get_by_text("Prête : lien envoyé par e-mail").wait_for()
    assert_accessible(agent)

    # The e-mailed link downloads the ZIP, for this logged-in user only.
    [mail] = [text for text in mails_to(instance / "mail", AGENT) if "/compte/mes-donnees/telecharger/" in text]
    link = re.search(r"https?://\S+/compte/mes-donnees/telecharger/\S+", mail).group(0)
    with agent.expect_download() as info:
        agent.evaluate("url => { const a = document.createElement('a'); a.href = url; a.download = '';"
                       " document.body.appendChild(a); a.click(); }", link)
    archive = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    data = json.loads(archive.read("donnees.json"))
    assert data["users"][0]["email"] == AGENT and data["users"][0]["password_hash"] == "[secret]"
    assert [row["id"] for row in data["pairings"]] == [pairing_id]
    assert {row["party"] for row in data["signed_copies"]} == {"agent"}

    # Deletion: the page says what is kept; a wrong password is refused next to the field.
    agent.goto(base_url + "/compte/mes-donnees")
    agent.get_by_role("link", name="Supprimer mon compte").click()
    agent.get_by_role("heading", name="Ce qui est conservé, et pourquoi").wait_for()
    assert_accessible(agent)
    agent.get_by_label("Mot de passe").fill("pas-le-bon")
    tick(agent, "#understood")
    agent.get_by_role("button", name="Supprimer définitivement mon compte").click()
    agent.get_by_text("Mot de passe incorrect.").first.wait_for()
    assert_accessible(agent)
    agent.get_by_label("Mot de passe").fill(PASSWORD)
    assert agent.locator("#understood").is_checked()  # the form kept the box ticked
    agent.get_by_role("button", name="Supprimer définitivement mon compte").click()
    agent.get_by_text("Votre compte est supprimé.").wait_for()
    assert_accessible(agent)
    # Logged out, and the old credentials open nothing.
    agent.goto(base_url + "/compte/connexion")
    agent.get_by_label("Adresse e-mail").fill(AGENT)
    agent.get_by_label("Mot de passe").fill(PASSWORD)
    agent.get_by_role("button", name="Se connecter").click()
    assert "/compte/connexion" in agent.url
    assert any("supprimé" in text for text in mails_to(instance / "mail", AGENT))

    # The host's representative still reads the pairing and the agent's signed copy.
    host = _log_in(browser, base_url, HOST)
    host.goto(f"{base_url}/rapprochements/{pairing_id}")
    host.get_by_text("Utilisateur supprimé").first.wait_for()
    assert "Camille Martin" not in host.content()
    assert_accessible(host)
    response = host.request.get(f"{base_url}/rapprochements/{pairing_id}/documents/convention/1/signe/agent.pdf")
    assert response.status == 200 and response.body()[:4] == b"%PDF"
