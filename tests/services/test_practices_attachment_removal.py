"""Withdrawing a resource is a revision of its sheet: reverted like any edit, guarded by rights."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.models import Collection, CollectionItem, PracticeAttachment
from marketplace.practices.services import collections, editing, uploads
from tests.fixtures.practices.helpers import PDF, alice, make_sheet, place, sheet_data  # noqa: F401 (fixtures)

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py


@pytest.fixture
def sheet(alice, place):
    return make_sheet(alice, place)


@pytest.fixture
def guide(app, tmp_path, alice, sheet):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return uploads.add_file(sheet, alice, io.BytesIO(PDF), "guide.pdf", "Guide pratique")


def test_removal_adds_a_revision_keeping_the_text(app, alice, sheet, guide):
    revision = uploads.remove(guide, alice)
    assert (revision.number, revision.author_id) == (2, alice.id)
    assert revision.comment == "Ressource « Guide pratique » retirée"
    assert revision.content["removed_attachments"] == [guide.id]
    assert {k: revision.content[k] for k in ("title", "summary")} == {"title": sheet.title, "summary": sheet.summary}
    assert uploads.live_attachments(sheet) == []


def test_revert_restores_then_withdraws_again(app, alice, sheet, guide):
    uploads.remove(guide, alice)
    first, second = editing.get_revision(sheet, 1), editing.get_revision(sheet, 2)
    editing.revert(sheet, alice, first.id, 2)
    assert guide.removed_at is None and uploads.file_path(guide).read_bytes() == PDF
    assert editing.current_revision(sheet).content["removed_attachments"] == []
    editing.revert(sheet, alice, second.id, 3)
    assert guide.removed_at is not None
    assert [r.number for r in editing.history(sheet)] == [4, 3, 2, 1]


def test_a_revert_cannot_withdraw_what_the_user_may_not_remove(app, db, make_user, make_collectivity,
                                                               alice, sheet, guide):
    uploads.remove(guide, alice)
    removal = editing.get_revision(sheet, 2)
    editing.revert(sheet, alice, editing.get_revision(sheet, 1).id, 2)
    outsider = make_user(roles=[("agent", make_collectivity("Rennes", departements=("35",), regions=("53",)))])
    with pytest.raises(NotAllowed):
        editing.revert(sheet, outsider, removal.id, 3)
    db.session.expire_all()
    assert db.session.get(PracticeAttachment, guide.id).removed_at is None
    assert sheet.revision_number == 3


def test_removing_twice_is_refused(app, alice, guide):
    uploads.remove(guide, alice)
    with pytest.raises(ServiceError):
        uploads.remove(guide, alice)


def test_non_member_and_outsider_are_refused(app, make_user, make_collectivity, guide):
    elsewhere = make_collectivity("Rennes", departements=("35",), regions=("53",))
    for user in (make_user(roles=()), make_user(roles=[("representative", elsewhere)])):
        with pytest.raises(NotAllowed):
            uploads.remove(guide, user)
    assert guide.removed_at is None


def test_an_open_edit_form_is_not_stale_after_a_removal(app, make_user, place, alice, sheet, guide):
    """Withdrawing a resource changes no text: an editor's form opened before it still saves."""
    bruno = make_user(roles=[("representative", place)])
    uploads.remove(guide, alice)
    revision = editing.save_sheet(sheet, bruno, sheet_data(place, results="75 % local"), 1)
    assert revision.number == 3 and sheet.results == "75 % local"
    assert revision.content["removed_attachments"] == [guide.id]  # the save does not undo the removal


def test_removed_resource_cannot_be_added_to_a_collection(app, make_user, alice, guide):
    admin = make_user(roles=["admin"])
    kit = collections.create_collection(admin, "Kit")
    uploads.remove(guide, alice)
    with pytest.raises(ServiceError):
        collections.add_item(kit, admin, attachment_id=guide.id)


def test_foreign_keys_are_enforced(app, db, make_user):
    """SQLite too refuses a row pointing at nothing (PRAGMA foreign_keys=ON on every connection)."""
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    kit = Collection(title="Kit", created_by_id=make_user().id)
    db.session.add(kit)
    db.session.flush()
    db.session.add(CollectionItem(collection_id=kit.id, attachment_id=424242, position=0))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
