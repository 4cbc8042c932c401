"""Essaimage (reuse declarations, spread), comments, follows, notifications and collections."""
from __future__ import annotations

import pytest

from marketplace.models import Notification, NotificationPreference, OutboxEmail, PracticeReuse
from marketplace.notifications import services as notifications
from marketplace.practices.services import collections, discussion, editing, essaimage, uploads
from marketplace.core.errors import NotAllowed, ServiceError
from tests.fixtures.practices.helpers import make_sheet, sheet_data


@pytest.fixture
def lyon(make_collectivity):
    return make_collectivity("Lyon", departements=("69",), regions=("84",))


@pytest.fixture
def rennes(make_collectivity):
    return make_collectivity("Rennes", departements=("35",), regions=("53",))


@pytest.fixture
def brest(make_collectivity):
    return make_collectivity("Brest", departements=("29",), regions=("53",))


@pytest.fixture
def author(make_user, lyon):
    return make_user(name="Alice", roles=[("agent", lyon)])


@pytest.fixture
def sheet(author, lyon):
    return make_sheet(author, lyon)


def representative(make_user, place):
    return make_user(roles=[("representative", place)])


# --- essaimage --------------------------------------------------------------------------------

def test_representative_declares_then_implements(app, make_user, sheet, rennes):
    rep = representative(make_user, rennes)
    reuse = essaimage.declare_reuse(sheet, rep, rennes.id, "inspired")
    assert (reuse.stage, reuse.implemented_at) == ("inspired", None)
    again = essaimage.declare_reuse(sheet, rep, rennes.id, "implemented")
    assert again.id == reuse.id and again.stage == "implemented" and again.implemented_at
    assert [r.collectivity.name for r in essaimage.reuses(sheet)] == ["Rennes"]


@pytest.mark.parametrize("role", ["agent", "approver", "coordinator", "admin"])
def test_only_a_representative_of_that_collectivity_declares(app, make_user, sheet, rennes, role):
    target = {"coordinator": {"regions": ["53"]}, "admin": None}.get(role, rennes)
    user = make_user(roles=[(role, target)])
    with pytest.raises(NotAllowed):
        essaimage.declare_reuse(sheet, user, rennes.id, "inspired")


def test_representative_of_another_collectivity_refused(app, make_user, sheet, rennes, brest):
    with pytest.raises(NotAllowed):
        essaimage.declare_reuse(sheet, representative(make_user, brest), rennes.id, "inspired")


def test_origin_collectivity_and_drafts_and_bad_stage_refused(app, make_user, author, lyon, rennes):
    sheet = make_sheet(author, lyon)
    with pytest.raises(ServiceError):
        essaimage.declare_reuse(sheet, representative(make_user, lyon), lyon.id, "inspired")
    with pytest.raises(ServiceError):
        essaimage.declare_reuse(sheet, representative(make_user, rennes), rennes.id, "copied")
    draft = make_sheet(author, lyon, status="draft")
    with pytest.raises(ServiceError):
        essaimage.declare_reuse(draft, representative(make_user, rennes), rennes.id, "inspired")


def test_withdraw(app, db, make_user, sheet, rennes):
    rep = representative(make_user, rennes)
    essaimage.declare_reuse(sheet, rep, rennes.id, "inspired")
    essaimage.withdraw_reuse(sheet, rep, rennes.id)
    assert db.session.query(PracticeReuse).count() == 0


def test_spread_per_region_and_region_table(app, make_user, sheet, rennes, brest, make_collectivity):
    essaimage.declare_reuse(sheet, representative(make_user, rennes), rennes.id, "implemented")
    essaimage.declare_reuse(sheet, representative(make_user, brest), brest.id, "inspired")
    nice = make_collectivity("Nice", departements=("06",), regions=("93",))
    essaimage.declare_reuse(sheet, representative(make_user, nice), nice.id, "inspired")
    by_region = {row["code"]: row for row in essaimage.spread_by_region(sheet)}
    assert by_region["53"]["implemented"] == 1 and by_region["53"]["inspired"] == 1
    assert by_region["93"]["inspired"] == 1 and "84" not in by_region
    table = {row["code"]: row for row in essaimage.region_table()}
    assert table["84"]["sheets"] == 1 and table["53"]["implemented"] == 1
    assert essaimage.region_table()[0]["code"] == "53"


# --- comments, follows, notifications -------------------------------------------------------

def test_comment_needs_text_and_membership(app, make_user, sheet):
    with pytest.raises(ServiceError):
        discussion.add_comment(sheet, sheet.created_by, "   ")
    with pytest.raises(NotAllowed):
        discussion.add_comment(sheet, make_user(roles=()), "Bonjour")
    discussion.add_comment(sheet, sheet.created_by, "Merci pour le retour")
    assert [c.body for c in discussion.comments(sheet)] == ["Merci pour le retour"]


@pytest.mark.parametrize("kind, key", [("domain", "inconnu"), ("sheet", "999"), ("planet", "x"),
                                       ("departement", "../"), ("region", "")])
def test_follow_unknown_target_refused(app, author, kind, key):
    with pytest.raises(ServiceError):
        discussion.follow(author, kind, key)


def test_followers_of_sheet_domain_and_territory(app, make_user, sheet, rennes):
    by_sheet = make_user(roles=[("agent", rennes)])
    by_domain = make_user(roles=[("agent", rennes)])
    by_dep = make_user(roles=[("coordinator", {"departements": ["69"]})])
    by_region = make_user(roles=[("agent", rennes)])
    elsewhere = make_user(roles=[("agent", rennes)])
    discussion.follow(by_sheet, "sheet", str(sheet.id))
    discussion.follow(by_sheet, "sheet", str(sheet.id))  # twice is harmless
    discussion.follow(by_domain, "domain", "alimentation_durable")
    discussion.follow(by_dep, "departement", "69")
    discussion.follow(by_region, "region", "84")
    discussion.follow(elsewhere, "region", "53")
    discussion.follow(sheet.created_by, "sheet", str(sheet.id))
    got = discussion.followers(sheet, exclude_user_id=sheet.created_by.id)
    assert {u.id for u in got} == {by_sheet.id, by_domain.id, by_dep.id, by_region.id}


def test_new_revision_and_comment_reach_followers_not_the_actor(app, db, make_user, sheet, lyon):
    follower = make_user(roles=[("agent", lyon)])
    discussion.follow(follower, "sheet", str(sheet.id))
    editor = make_user(roles=[("agent", lyon)])
    discussion.follow(editor, "sheet", str(sheet.id))
    editing.save_sheet(sheet, editor, sheet_data(lyon, summary="Mieux"), 1, "précision")
    discussion.add_comment(sheet, editor, "Qu'en pensez-vous ?")
    mine = db.session.query(Notification).filter_by(user_id=follower.id, kind="practices").order_by(Notification.id).all()
    assert len(mine) == 2
    assert "a modifié la fiche" in mine[0].message and mine[0].link == f"/pratiques/{sheet.id}"
    assert db.session.query(Notification).filter_by(user_id=editor.id).count() == 0
    emails = db.session.query(OutboxEmail).filter_by(user_id=follower.id, kind="practices").order_by(OutboxEmail.id).all()
    assert len(emails) == 2 and emails[0].template == "practice_update"


def test_daily_preference_goes_to_the_digest(app, db, make_user, sheet, lyon):
    follower = make_user(roles=[("agent", lyon)])
    notifications.set_preferences(follower, {"practices": "daily"})
    discussion.follow(follower, "domain", "alimentation_durable")
    discussion.add_comment(sheet, sheet.created_by, "Nouvelle étape")
    assert db.session.query(OutboxEmail).filter_by(user_id=follower.id).count() == 0
    assert notifications.send_daily_digests() == 1
    digest = db.session.query(OutboxEmail).filter_by(user_id=follower.id, kind="digest").one()
    assert "commenté" in digest.context["items"][0]["message"]


def test_none_preference_keeps_it_in_the_app_only(app, db, make_user, sheet, lyon):
    follower = make_user(roles=[("agent", lyon)])
    db.session.add(NotificationPreference(user_id=follower.id, kind="practices", frequency="none"))
    db.session.commit()
    discussion.follow(follower, "sheet", str(sheet.id))
    discussion.add_comment(sheet, sheet.created_by, "Note")
    assert db.session.query(Notification).filter_by(user_id=follower.id).count() == 1
    assert db.session.query(OutboxEmail).filter_by(user_id=follower.id).count() == 0


def test_drafts_notify_nobody(app, db, make_user, author, lyon):
    draft = make_sheet(author, lyon, status="draft")
    follower = make_user(roles=[("agent", lyon)])
    discussion.follow(follower, "region", "84")
    editing.save_sheet(draft, author, sheet_data(lyon, status="draft", summary="x"), 1)
    assert db.session.query(Notification).count() == 0


def test_unfollow(app, make_user, sheet, lyon):
    follower = make_user(roles=[("agent", lyon)])
    discussion.follow(follower, "sheet", str(sheet.id))
    discussion.unfollow(follower, "sheet", str(sheet.id))
    assert discussion.followers(sheet) == []


# --- collections ------------------------------------------------------------------------------

@pytest.mark.parametrize("role, allowed", [("coordinator", True), ("admin", True), ("agent", False),
                                           ("representative", False), ("approver", False)])
def test_who_curates(app, make_user, lyon, role, allowed):
    target = {"coordinator": {"regions": ["84"]}, "admin": None}.get(role, lyon)
    user = make_user(roles=[(role, target)])
    if allowed:
        assert collections.create_collection(user, "Kit essaimage").id
    else:
        with pytest.raises(NotAllowed):
            collections.create_collection(user, "Kit essaimage")


def test_collection_items_ordered(app, make_user, author, lyon, sheet, tmp_path):
    import io

    from tests.fixtures.practices.helpers import PDF

    app.config["UPLOAD_DIR"] = str(tmp_path)
    admin = make_user(roles=["admin"])
    kit = collections.create_collection(admin, "Kit essaimage", "Pour convaincre les élus")
    other = make_sheet(author, lyon, title="Légumerie")
    guide = uploads.add_file(sheet, author, io.BytesIO(PDF), "guide.pdf")
    first = collections.add_item(kit, admin, sheet_id=sheet.id)
    collections.add_item(kit, admin, sheet_id=other.id, note="à lire")
    third = collections.add_item(kit, admin, attachment_id=guide.id)
    with pytest.raises(ServiceError):
        collections.add_item(kit, admin, sheet_id=sheet.id)
    collections.move_item(kit, admin, third.id, -1)
    assert [(i.sheet_id, i.attachment_id) for i in kit.items] == [
        (sheet.id, None), (None, guide.id), (other.id, None)]
    collections.remove_item(kit, admin, first.id)
    assert [i.position for i in kit.items] == [0, 1]


def test_collection_refuses_drafts_and_empty_title(app, make_user, author, lyon):
    admin = make_user(roles=["admin"])
    with pytest.raises(ServiceError):
        collections.create_collection(admin, "  ")
    kit = collections.create_collection(admin, "Kit")
    draft = make_sheet(author, lyon, status="draft")
    for kwargs in ({"sheet_id": draft.id}, {}, {"sheet_id": 999}, {"attachment_id": 999}):
        with pytest.raises(ServiceError):
            collections.add_item(kit, admin, **kwargs)
