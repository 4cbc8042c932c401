"""Withdrawing a resource of a sheet (issue 10 §6): who may, what the pages show afterwards.

Finding reproduced: after a resource listed in a collection was removed, the collection page
answered 500 to everyone.
"""
from __future__ import annotations

import io

import pytest

from tests.tools.sessions import sign_in, sign_out  # noqa: F401

from marketplace.models import PracticeAttachment, PracticeRevision
from marketplace.practices.services import collections, editing, uploads
from tests.fixtures.practices.helpers import PDF, alice, make_sheet, place  # noqa: F401 (fixtures)






@pytest.fixture
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def sheet(alice, place):
    return make_sheet(alice, place)


@pytest.fixture
def guide(upload_dir, alice, sheet):
    return uploads.add_file(sheet, alice, io.BytesIO(PDF), "guide.pdf", "Guide pratique")


@pytest.fixture
def kit(make_user, sheet, guide):
    coordinator = make_user(roles=[("coordinator", {"regions": ["84"]})])
    kit = collections.create_collection(coordinator, "Kit essaimage")
    collections.add_item(kit, coordinator, attachment_id=guide.id)
    collections.add_item(kit, coordinator, sheet_id=sheet.id)
    return kit


def remove(client, attachment):
    return client.post_form(f"/pratiques/ressources/{attachment.id}/supprimer", {}, token_from="/pratiques/")


def test_collection_page_keeps_working_after_a_resource_is_removed(client, make_user, alice, guide, kit):
    sign_in(client, alice)
    assert remove(client, guide).status_code == 302
    # Everyone: a visitor, a member, the curator.
    sign_out(client)
    visitor = client.get(f"/pratiques/collections/{kit.id}")
    assert visitor.status_code == 200
    assert "Ressource retirée de sa fiche" in visitor.get_data(as_text=True)
    assert "Cantine 100 % bio" in visitor.get_data(as_text=True)
    for user in (alice, make_user(roles=["admin"])):
        sign_in(client, user)
        assert client.get(f"/pratiques/collections/{kit.id}").status_code == 200
        sign_out(client)
    assert client.get("/pratiques/collections").status_code == 200


def test_removed_resource_is_not_downloadable_and_not_listed(client, alice, sheet, guide):
    sign_in(client, alice)
    assert client.get(f"/pratiques/ressources/{guide.id}").status_code == 200
    remove(client, guide)
    assert client.get(f"/pratiques/ressources/{guide.id}").status_code == 404
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert "Guide pratique" not in page.split('id="ressources"')[1]


@pytest.mark.parametrize("who, allowed", [
    ("uploader", True),
    ("editor_same_collectivity", True),
    ("admin", True),
    ("editor_other_collectivity", False),
    ("member_same_collectivity_never_edited", False),
    ("member_elsewhere", False),
])
def test_who_may_remove_a_resource(client, db, make_user, make_collectivity, alice, place, sheet, guide,
                                   who, allowed):
    elsewhere = make_collectivity("Rennes", departements=("35",), regions=("53",))
    users = {
        "uploader": alice,
        "editor_same_collectivity": make_user(roles=[("representative", place)]),
        "admin": make_user(roles=["admin"]),
        "editor_other_collectivity": make_user(roles=[("agent", elsewhere)]),
        "member_same_collectivity_never_edited": make_user(roles=[("agent", place)]),
        "member_elsewhere": make_user(roles=[("representative", elsewhere)]),
    }
    user = users[who]
    if who.startswith("editor"):
        editing.save_sheet(sheet, user, editing.current_revision(sheet).content | {"results": f"par {who}"},
                           sheet.revision_number)
    sign_in(client, user)
    detail = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert (f"/pratiques/ressources/{guide.id}/supprimer" in detail) is allowed
    response = remove(client, guide)
    assert response.status_code == (302 if allowed else 403)
    db.session.expire_all()
    assert (db.session.get(PracticeAttachment, guide.id).removed_at is not None) is allowed


def test_visitor_cannot_remove(client, db, guide):
    response = remove(client, guide)
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(PracticeAttachment, guide.id).removed_at is None


def test_removal_is_a_revision_that_the_history_page_reverts(client, db, alice, sheet, guide):
    sign_in(client, alice)
    remove(client, guide)
    history = client.get(f"/pratiques/{sheet.id}/historique").get_data(as_text=True)
    assert "Ressource « Guide pratique » retirée" in history
    before = db.session.query(PracticeRevision).filter_by(sheet_id=sheet.id, number=1).one()
    response = client.post_form(f"/pratiques/{sheet.id}/retablir",
                                {"item_id": before.id, "base_revision": "2"}, token_from="/pratiques/")
    assert response.status_code == 302
    assert client.get(f"/pratiques/ressources/{guide.id}").data == PDF
    assert "Guide pratique" in client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)


def test_diff_shows_the_withdrawn_resource(client, alice, sheet, guide):
    sign_in(client, alice)
    remove(client, guide)
    page = client.get(f"/pratiques/{sheet.id}/comparer?de=1&a=2").get_data(as_text=True)
    assert "Ressources retirées" in page and "<ins>Guide pratique</ins>" in page
    assert "Aucune différence" not in page


def test_bad_removals_get_a_clear_answer(client, alice, guide):
    sign_in(client, alice)
    assert client.post_form("/pratiques/ressources/999999/supprimer", {}, token_from="/pratiques/").status_code == 404
    remove(client, guide)
    again = client.post_form(f"/pratiques/ressources/{guide.id}/supprimer", {}, token_from="/pratiques/",
                             follow_redirects=True)
    assert again.status_code == 200 and "Cette ressource a déjà été retirée." in again.get_data(as_text=True)
