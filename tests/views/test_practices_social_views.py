"""Practice pages for essaimage, discussion, follows, search and collections."""
from __future__ import annotations

import io

import pytest

from tests.tools.sessions import sign_in, sign_out  # noqa: F401

from marketplace.models import Collection, Follow, Notification, PracticeComment, PracticeReuse
from marketplace.practices.services import collections, essaimage, uploads
from tests.fixtures.practices.helpers import PDF, alice, make_sheet, place  # noqa: F401 (fixtures)




@pytest.fixture
def rennes(make_collectivity):
    return make_collectivity("Rennes", departements=("35",), regions=("53",))


@pytest.fixture
def sheet(alice, place):
    return make_sheet(alice, place)


def test_representative_declares_reuse_and_page_shows_spread(client, db, make_user, sheet, rennes):
    rep = make_user(roles=[("representative", rennes)])
    sign_in(client, rep)
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert "Déclarer la reprise" in page
    response = client.post_form(f"/pratiques/{sheet.id}/reprise",
                                {"collectivity_id": rennes.id, "stage": "implemented"},
                                token_from="/pratiques/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "reprise de cette pratique est enregistrée" in page
    assert "Rennes" in page and "Reprises par région" in page
    assert db.session.query(PracticeReuse).one().stage == "implemented"
    regions = client.get("/pratiques/regions").get_data(as_text=True)
    assert "<th scope=\"row\">53</th>" in regions


@pytest.mark.parametrize("role", ["agent", "approver"])
def test_other_roles_cannot_declare_reuse(client, db, make_user, sheet, rennes, role):
    user = make_user(roles=[(role, rennes)])
    sign_in(client, user)
    assert "Déclarer la reprise" not in client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    response = client.post_form(f"/pratiques/{sheet.id}/reprise",
                                {"collectivity_id": rennes.id, "stage": "inspired"}, token_from="/pratiques/")
    assert response.status_code == 403
    assert db.session.query(PracticeReuse).count() == 0


def test_list_sorted_by_spread_and_filtered(client, make_user, alice, place, rennes, sheet):
    roads = make_sheet(alice, place, title="Voirie partagée", domain="voirie", summary="Routes", tags=["voirie"])
    essaimage.declare_reuse(roads, make_user(roles=[("representative", rennes)]), rennes.id, "inspired")
    page = client.get("/pratiques/?tri=spread").get_data(as_text=True)
    assert page.index("Voirie partagée") < page.index("Cantine 100 % bio")
    page = client.get("/pratiques/?domaine=alimentation_durable").get_data(as_text=True)
    assert "Voirie partagée" not in page and "Cantine 100 % bio" in page
    page = client.get("/pratiques/?q=restauration+scolaire+bio&tri=relevance").get_data(as_text=True)
    assert "Cantine 100 % bio" in page and "Voirie partagée" not in page
    assert "Voirie partagée" in client.get("/pratiques/?essaimage=1").get_data(as_text=True)
    assert "Cantine 100 % bio" not in client.get("/pratiques/?essaimage=1").get_data(as_text=True)


def test_comment_and_follow_reach_the_follower(client, db, make_user, place, sheet):
    follower = make_user(name="Fanny", roles=[("agent", place)])
    sign_in(client, follower)
    response = client.post_form("/pratiques/suivre", {"kind": "sheet", "key": str(sheet.id)},
                                token_from="/pratiques/", follow_redirects=True)
    assert "Vous suivez désormais" in response.get_data(as_text=True)
    assert "Ne plus suivre" in response.get_data(as_text=True)
    commenter = make_user(name="Claude", roles=[("approver", place)])
    sign_in(client, commenter)
    response = client.post_form(f"/pratiques/{sheet.id}/commentaires",
                                {"body": "Bravo <script>alert(1)</script> **merci**"},
                                token_from="/pratiques/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "<strong>merci</strong>" in page and "<script>alert" not in page
    assert db.session.query(PracticeComment).count() == 1
    note = db.session.query(Notification).filter_by(user_id=follower.id).one()
    assert "Claude a commenté" in note.message


def test_empty_comment_refused(client, db, alice, sheet):
    sign_in(client, alice)
    response = client.post_form(f"/pratiques/{sheet.id}/commentaires", {"body": "  "},
                                token_from="/pratiques/", follow_redirects=True)
    assert "Écrivez votre commentaire." in response.get_data(as_text=True)
    assert db.session.query(PracticeComment).count() == 0


def test_follow_territory_and_domain_from_the_follows_page(client, db, alice):
    sign_in(client, alice)
    assert client.get("/pratiques/suivis").status_code == 200
    client.post_form("/pratiques/suivre", {"kind": "departement", "key": "2a"}, token_from="/pratiques/")
    client.post_form("/pratiques/suivre", {"kind": "domain", "key": "voirie"}, token_from="/pratiques/")
    response = client.post_form("/pratiques/suivre", {"kind": "region", "key": "<x>"},
                                token_from="/pratiques/", follow_redirects=True)
    assert "Ce que vous voulez suivre n&#39;existe pas." in response.get_data(as_text=True)
    keys = sorted((f.target_kind, f.target_key) for f in db.session.query(Follow))
    assert keys == [("departement", "2A"), ("domain", "voirie")]
    page = client.get("/pratiques/suivis").get_data(as_text=True)
    assert "Département 2A" in page and "Voirie et bâtiments" in page
    client.post_form("/pratiques/ne-plus-suivre", {"kind": "domain", "key": "voirie"}, token_from="/pratiques/")
    assert db.session.query(Follow).count() == 1


def test_non_member_cannot_comment_or_follow(client, db, make_user, sheet):
    sign_in(client, make_user(roles=()))
    assert client.post_form(f"/pratiques/{sheet.id}/commentaires", {"body": "x"},
                            token_from="/pratiques/").status_code == 403
    assert client.post_form("/pratiques/suivre", {"kind": "sheet", "key": str(sheet.id)},
                            token_from="/pratiques/").status_code == 403
    assert db.session.query(Follow).count() == 0


@pytest.mark.parametrize("role, allowed", [("coordinator", True), ("admin", True), ("agent", False),
                                           ("representative", False)])
def test_collections_for_coordinators_and_admins(client, db, make_user, place, role, allowed):
    target = {"coordinator": {"regions": ["84"]}, "admin": None}.get(role, place)
    sign_in(client, make_user(roles=[(role, target)]))
    assert client.get("/pratiques/collections/nouvelle").status_code == (200 if allowed else 403)
    response = client.post_form("/pratiques/collections/nouvelle",
                                {"title": "Kit essaimage", "description": "Pour les élus"},
                                token_from="/pratiques/")
    assert response.status_code == (302 if allowed else 403)
    assert db.session.query(Collection).count() == (1 if allowed else 0)


def test_collection_page_lists_sheets_and_resources(client, app, db, make_user, alice, sheet, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    coordinator = make_user(roles=[("coordinator", {"regions": ["84"]})])
    kit = collections.create_collection(coordinator, "Kit essaimage")
    guide = uploads.add_file(sheet, alice, io.BytesIO(PDF), "guide.pdf", "Guide pratique")
    sign_in(client, coordinator)
    page = client.get(f"/pratiques/collections/{kit.id}").get_data(as_text=True)
    assert f'value="attachment:{guide.id}"' in page and f'value="sheet:{sheet.id}"' in page
    client.post_form(f"/pratiques/collections/{kit.id}/elements", {"target": f"sheet:{sheet.id}"},
                     token_from="/pratiques/")
    client.post_form(f"/pratiques/collections/{kit.id}/elements",
                     {"target": f"attachment:{guide.id}", "note": "À imprimer"}, token_from="/pratiques/")
    item = db.session.get(Collection, kit.id).items[1]
    client.post_form(f"/pratiques/collections/{kit.id}/elements/monter", {"item_id": item.id},
                     token_from="/pratiques/")
    page = client.get(f"/pratiques/collections/{kit.id}").get_data(as_text=True)
    assert page.index("Guide pratique") < page.index("Cantine 100 % bio")
    assert "À imprimer" in page
    listing = client.get("/pratiques/collections").get_data(as_text=True)
    assert "Kit essaimage" in listing and "2 éléments" in listing


def test_detail_page_shows_resources_and_history_page(client, app, alice, sheet, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    uploads.add_file(sheet, alice, io.BytesIO(PDF), "guide.pdf", "Guide pratique")
    uploads.add_link(sheet, alice, "https://www.banquedesterritoires.fr", "Banque des territoires")
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert "Guide pratique" in page and 'href="https://www.banquedesterritoires.fr"' in page
    assert "Modifier" not in page  # visitors read, members edit
    assert client.get(f"/pratiques/{sheet.id}/historique").status_code == 200


def test_suggested_partial_renders(app, make_user, sheet, rennes):
    from flask import render_template

    from marketplace.models import Need
    from marketplace.practices.services.search import similar_practices_for_need

    need = Need(title="Cantine bio", description="Produits locaux pour la restauration scolaire",
                tags=[], domain="alimentation_durable", modality="remote", status="open",
                collectivity_id=rennes.id, author_id=make_user(roles=[("representative", rennes)]).id,
                estimated_days=3)
    with app.test_request_context():
        html = render_template("practices/_suggested_for_need.html",
                               suggested_practices=similar_practices_for_need(need))
        assert "Cantine 100 % bio" in html and "Rédigée par Alice" in html
        # Included in the listings detail page, it finds `item` and computes the suggestions.
        assert "Rédigée par Alice" in render_template("practices/_suggested_for_need.html", item=need)
        offer_like = type("Offer", (), {"__tablename__": "skill_offers"})()
        assert render_template("practices/_suggested_for_need.html", item=offer_like).strip() == ""


def test_representative_withdraws_declaration(client, db, make_user, sheet, rennes):
    rep = make_user(roles=[("representative", rennes)])
    essaimage.declare_reuse(sheet, rep, rennes.id, "implemented")
    sign_in(client, rep)
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert 'value="implemented" checked' in page and "Retirer la déclaration" in page
    response = client.post_form(f"/pratiques/{sheet.id}/reprise/retirer", {"item_id": rennes.id},
                                token_from="/pratiques/", follow_redirects=True)
    assert "Déclaration retirée." in response.get_data(as_text=True)
    assert db.session.query(PracticeReuse).count() == 0


def test_card_excerpt_is_plain_text(client, alice, place):
    make_sheet(alice, place, summary="Une cantine **100 %** locale <script>alert(1)</script>")
    page = client.get("/pratiques/").get_data(as_text=True)
    assert "Une cantine 100 % locale" in page and "**" not in page.split('id="contenu"')[1]


def test_list_is_paginated_and_keeps_filters(client, app, alice, place):
    app.config["ITEMS_PER_PAGE"] = 2
    for n in range(3):
        make_sheet(alice, place, title=f"Fiche numéro {n}")
    first = client.get("/pratiques/?tri=title&domaine=alimentation_durable").get_data(as_text=True)
    assert "3 fiches" in first and "Fiche numéro 0" in first and "Fiche numéro 2" not in first
    assert "domaine=alimentation_durable" in first and "page=2" in first
    second = client.get("/pratiques/?tri=title&page=2").get_data(as_text=True)
    assert "Fiche numéro 2" in second and "Fiche numéro 0" not in second
    for bad in ("abc", "-1", "999"):
        assert client.get(f"/pratiques/?page={bad}&domaine=inconnu&essaimage=x").status_code == 200
