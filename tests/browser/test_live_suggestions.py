"""A need's page shows suggestions stored by a worker without a reload (static/js/suggestions.js,
no inline script: the page's CSP stays strict)."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "un-mot-de-passe-solide-2026"


def _world(instance):
    """Write a representative's open need and an agent's offer straight into the server's database."""
    from config import TestingConfig
    from marketplace import create_app
    from marketplace.core.extensions import db
    from marketplace.models import Collectivity, RoleAssignment, User
    from marketplace.accounts.passwords import hash_password
    from tests.workers import factories

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'browser.sqlite3'}",
                     MATCHING_INDEX_DIR=str(instance / "matching"))
    with app.app_context():
        places = []
        for code, name in (("99001", "Essai-sur-Loire"), ("99002", "Prêt-la-Ville")):
            place = Collectivity(kind="commune", code=code, name=name, search_name=name.lower(), insee_code=code)
            place.set_territory(["69"], ["84"])
            db.session.add(place)
            places.append(place)
        people = []
        for email, role, place in (("ref@essai.fr", "representative", places[0]), ("agent@essai.fr", "agent", places[1])):
            user = User(email=email, password_hash=hash_password(PASSWORD), display_name=email.split("@")[0],
                        security_stamp=uuid.uuid4().hex, email_verified=True)
            user.roles.append(RoleAssignment(role=role, collectivity=place))
            db.session.add(user)
            people.append(user)
        db.session.commit()
        need = factories.need(people[0], places[0], subject=0)
        offer = factories.offer(people[1], places[1], subject=0)
        ids = need.id, offer.id, offer.title
        db.session.remove()
        db.engine.dispose()
    return app, ids


def _store_suggestion(app, need_id, offer_id):
    """What the worker does, from another process: one suggestion row for the pair."""
    from marketplace.core.extensions import db
    from marketplace.models import Suggestion

    with app.app_context():
        db.session.add(Suggestion(offer_id=offer_id, need_id=need_id, score=0.42,
                                  reasons={"words": ["urbanisme"], "tags": ["plu"], "distance_km": None}))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_suggestions_appear_without_reload(live_server, browser):
    base_url, instance = live_server
    app, (need_id, offer_id, offer_title) = _world(instance)
    page = browser.new_page(locale="fr-FR")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(base_url + "/compte/connexion")
    page.fill("#email", "ref@essai.fr")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base_url}/besoins/{need_id}")
    section = page.locator("#suggestions")
    expect(section.get_by_text("Les suggestions apparaissent ici")).to_be_visible()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    _store_suggestion(app, need_id, offer_id)
    item = section.locator("[data-suggestions-list] li")
    item.first.wait_for(timeout=15_000)  # the next poll (3 s) draws it
    text = item.first.text_content()  # (inner_text would be upper-cased by the badge's CSS)
    assert offer_title in text and "pertinence 42 %" in text and "mots proches : urbanisme" in text
    assert item.first.locator("a.fr-link").get_attribute("href") == f"/offres/{offer_id}"
    expect(section.get_by_text("Les suggestions apparaissent ici")).to_be_hidden()
    assert navigations == [], "the page reloaded"
    assert not [p for p in problems if "Content Security Policy" in p], problems
