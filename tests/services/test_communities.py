"""Communities of practice, services: creation, membership, permissions matrix, discussion and
notifications, moderation with its audit log, and the bad inputs each use case refuses."""
from __future__ import annotations

import pytest

from marketplace.communities.services import access, discussion, moderation, spaces
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.models import (
    AuditEntry, CommunityMember, CommunityPost, CommunityThread, Notification, NotificationPreference, OutboxEmail,
)
from marketplace.notifications import services as notifications

DATA = {"name": "Cantines durables", "domain": "alimentation_durable", "theme": "", "departements": "69, 2a",
        "regions": "84", "description": "Échanger sur les marchés bio et locaux.", "is_open": True}


@pytest.fixture
def lyon(make_collectivity):
    return make_collectivity("Lyon")


@pytest.fixture
def creator(make_user, lyon):
    return make_user(name="Claire Créatrice", roles=[("agent", lyon)])


@pytest.fixture
def community(app, creator):
    return spaces.create_community(creator, DATA)


@pytest.fixture
def closed(app, creator):
    return spaces.create_community(creator, dict(DATA, name="Achats groupés", is_open=False))


def test_creator_is_first_moderator_and_territory_is_normalised(db, community, creator):
    assert access.is_moderator(community, creator)
    assert community.departement_codes == ["69", "2A"] and community.region_codes == ["84"]
    row = db.session.query(CommunityMember).filter_by(community_id=community.id).one()
    assert (row.role, row.status, row.following) == ("moderator", "active", True)


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"name": "Nom\x00nul"}, "name"),
    ({"domain": "astrologie"}, "domain"),
    ({"domain": "", "theme": ""}, "theme"),
    ({"departements": "69, 99"}, "departements"),
    ({"departements": "'; DROP TABLE"}, "departements"),
    ({"regions": "8A"}, "regions"),
    ({"description": "   "}, "description"),
    ({"description": "d" * 10_001}, "description"),
], ids=["empty-name", "long-name", "nul", "unknown-domain", "no-theme", "bad-dep", "injection", "bad-region",
        "blank-description", "long-description"])
def test_bad_community_data_is_refused_on_its_field(app, db, creator, changes, field):
    with pytest.raises(ServiceError) as refused:
        spaces.create_community(creator, dict(DATA, **changes))
    assert refused.value.field == field and refused.value.message
    assert db.session.query(CommunityMember).count() == 0


def test_free_theme_and_crlf_in_name_become_one_line(app, creator):
    created = spaces.create_community(creator, dict(DATA, name="Voirie\r\n  rurale", domain="", theme="Ponts"))
    assert created.name == "Voirie rurale" and created.domain is None and created.theme == "Ponts"


def test_names_are_unique_regardless_of_case(app, creator, community):
    with pytest.raises(ServiceError) as refused:
        spaces.create_community(creator, dict(DATA, name="CANTINES DURABLES"))
    assert refused.value.field == "name"


def test_a_user_without_active_role_cannot_create_browse_or_join(app, make_user, community):
    nobody = make_user(roles=())
    for action in (lambda: spaces.create_community(nobody, dict(DATA, name="Autre")),
                   lambda: spaces.list_communities(nobody), lambda: spaces.join(community, nobody)):
        with pytest.raises(NotAllowed):
            action()


def test_open_community_joins_at_once_closed_one_waits_for_a_moderator(app, db, make_user, lyon, community,
                                                                     closed, creator):
    agent = make_user(roles=[("agent", lyon)])
    assert spaces.join(community, agent).status == "active"
    request = spaces.join(closed, agent, "Je travaille sur ce sujet.")
    assert request.status == "pending" and not access.is_member(closed, agent)
    with pytest.raises(Conflict):
        spaces.join(closed, agent)
    with pytest.raises(NotAllowed):
        spaces.decide_request(closed, agent, request.id, True)
    spaces.decide_request(closed, creator, request.id, True)
    assert access.is_member(closed, agent)
    entry = db.session.query(AuditEntry).filter_by(object_type="community", object_id=closed.id).one()
    assert entry.to_state == "member_accepted" and entry.actor_id == creator.id


def test_refused_request_is_removed_and_logged(app, db, make_user, lyon, closed, creator):
    agent = make_user(roles=[("agent", lyon)])
    request = spaces.join(closed, agent)
    spaces.decide_request(closed, creator, request.id, False, "Réservé aux acheteurs publics")
    assert access.membership(closed, agent) is None
    entry = db.session.query(AuditEntry).filter_by(object_id=closed.id, object_type="community").one()
    assert entry.detail["reason"] == "Réservé aux acheteurs publics"
    with pytest.raises(NotFound):
        spaces.decide_request(closed, creator, 999_999, True)


def test_last_moderator_cannot_leave_but_can_after_naming_another(app, make_user, lyon, community, creator):
    with pytest.raises(ServiceError):
        spaces.leave(community, creator)
    agent = make_user(roles=[("agent", lyon)])
    row = spaces.join(community, agent)
    spaces.set_moderator(community, creator, row.id, True)
    spaces.leave(community, creator)
    assert access.is_moderator(community, agent) and not access.is_member(community, creator)


# --- the permissions matrix ---------------------------------------------------------------------

def _people(make_user, lyon, community, closed):
    outsider = make_user(roles=[("agent", lyon)])
    member = make_user(roles=[("agent", lyon)])
    spaces.join(community, member)
    request = spaces.join(closed, member)
    spaces.decide_request(closed, community.created_by, request.id, True)
    pending = make_user(roles=[("agent", lyon)])
    spaces.join(closed, pending)
    admin = make_user(roles=["admin"])
    return {"outsider": outsider, "member": member, "pending": pending, "admin": admin,
            "moderator": community.created_by, "norole": make_user(roles=())}


@pytest.mark.parametrize("who, read_open, read_closed, post, moderate", [
    ("norole", False, False, False, False),
    ("outsider", True, False, False, False),
    ("pending", True, False, False, False),
    ("member", True, True, True, False),
    ("moderator", True, True, True, True),
    ("admin", True, True, False, True),
])
def test_permissions_matrix(app, make_user, lyon, community, closed, who, read_open, read_closed, post, moderate):
    person = _people(make_user, lyon, community, closed)[who]
    assert access.can_read(community, person) is read_open
    assert access.can_read(closed, person) is read_closed
    thread = discussion.create_thread(closed, community.created_by, "Ordre du jour", "Proposez vos sujets.")
    if post:
        discussion.reply(closed, thread, person, "Je propose les clauses sociales.")
    else:
        with pytest.raises(NotAllowed):
            discussion.reply(closed, thread, person, "Je propose les clauses sociales.")
    if moderate:
        moderation.moderate_thread(closed, thread, person, "pin", "Sujet de la réunion")
        assert thread.pinned
    else:
        with pytest.raises(NotAllowed):
            moderation.moderate_thread(closed, thread, person, "pin", "Sujet de la réunion")
    if not read_closed:
        with pytest.raises(NotAllowed):
            discussion.threads(closed, person)


# --- discussion and notifications ---------------------------------------------------------------

def test_new_thread_and_reply_notify_followers_not_the_author(app, db, make_user, lyon, community, creator):
    member = make_user(roles=[("agent", lyon)])
    spaces.join(community, member)
    quiet = make_user(roles=[("agent", lyon)])
    spaces.join(community, quiet)
    spaces.set_following(community, quiet, False)
    thread = discussion.create_thread(community, creator, "Clauses bio", "Vos modèles de CCTP ?")
    discussion.reply(community, thread, member, "Voici le nôtre.")
    to_member = db.session.query(Notification).filter_by(user_id=member.id, kind="community").one()
    assert "a ouvert la discussion" in to_member.message
    assert to_member.link == f"/communautes/{community.id}/discussions/{thread.id}"
    to_creator = db.session.query(Notification).filter_by(user_id=creator.id, kind="community").one()
    assert "a répondu" in to_creator.message
    assert db.session.query(Notification).filter_by(user_id=quiet.id).count() == 0
    emails = db.session.query(OutboxEmail).filter_by(kind="community").all()
    assert {e.user_id for e in emails} == {member.id, creator.id}
    assert all(e.template == "community_update" for e in emails)


def test_daily_and_none_preferences_are_respected(app, db, make_user, lyon, community, creator):
    daily = make_user(roles=[("agent", lyon)])
    silent = make_user(roles=[("agent", lyon)])
    for person in (daily, silent):
        spaces.join(community, person)
    notifications.set_preferences(daily, {"community": "daily"})
    db.session.add(NotificationPreference(user_id=silent.id, kind="community", frequency="none"))
    db.session.commit()
    discussion.create_thread(community, creator, "Réunion de rentrée", "Quelle date ?")
    assert db.session.query(OutboxEmail).filter(OutboxEmail.user_id.in_([daily.id, silent.id])).count() == 0
    assert db.session.query(Notification).filter_by(user_id=silent.id).count() == 1
    assert notifications.send_daily_digests() == 1
    digest = db.session.query(OutboxEmail).filter_by(user_id=daily.id, kind="digest").one()
    assert "Réunion de rentrée" in digest.context["items"][0]["message"]


def test_long_titles_still_fit_in_a_notification(app, db, make_user, lyon, creator):
    long_name = spaces.create_community(creator, dict(DATA, name="N" * 120))
    member = make_user(name="M" * 120, roles=[("agent", lyon)])
    spaces.join(long_name, member)
    discussion.create_thread(long_name, member, "T" * 200, "Corps")
    assert len(db.session.query(Notification).filter_by(user_id=creator.id).one().message) <= 500


@pytest.mark.parametrize("title, body, field", [
    ("", "corps", "title"), ("t" * 201, "corps", "title"), ("Titre", "", "body"), ("Titre", "b" * 10_001, "body"),
    ("Titre", "bip\x07", "body"),
])
def test_bad_thread_input_is_refused_and_nothing_is_saved(app, db, community, creator, title, body, field):
    with pytest.raises(ServiceError) as refused:
        discussion.create_thread(community, creator, title, body)
    assert refused.value.field == field
    assert db.session.query(CommunityThread).count() == 0


def test_crlf_in_a_post_is_kept_as_line_breaks(app, community, creator):
    thread = discussion.create_thread(community, creator, "Titre\r\nsur deux lignes", "ligne 1\r\nligne 2\r")
    post = discussion.posts(community, thread, creator)[0]
    assert thread.title == "Titre sur deux lignes" and post.body == "ligne 1\nligne 2"


# --- moderation ---------------------------------------------------------------------------------

def test_locked_thread_refuses_replies_in_french(app, db, make_user, lyon, community, creator):
    member = make_user(roles=[("agent", lyon)])
    spaces.join(community, member)
    thread = discussion.create_thread(community, member, "Débat", "Ouvert")
    moderation.moderate_thread(community, thread, creator, "lock", "Débat clos après la réunion")
    with pytest.raises(ServiceError) as refused:
        discussion.reply(community, thread, member, "Encore un mot")
    assert "verrouillée" in refused.value.message and refused.value.field == "body"
    assert db.session.query(CommunityPost).count() == 1


def test_moderation_needs_a_reason_and_every_act_is_logged(app, db, make_user, lyon, community, creator):
    member = make_user(roles=[("agent", lyon)])
    spaces.join(community, member)
    thread = discussion.create_thread(community, member, "Annonce", "Publicité pour un logiciel")
    post = discussion.posts(community, thread, member)[0]
    with pytest.raises(ServiceError) as refused:
        moderation.set_post_hidden(community, post, creator, True, "  ")
    assert refused.value.field == "reason" and not post.hidden
    with pytest.raises(Conflict):
        moderation.moderate_thread(community, thread, creator, "explode", "pourquoi pas")
    moderation.moderate_thread(community, thread, creator, "pin", "Important")
    moderation.set_post_hidden(community, post, creator, True, "Démarchage commercial")
    assert post.hidden and post.hidden_reason == "Démarchage commercial"
    log = moderation.audit_log(community, creator)
    assert [e.to_state for e in log] == ["post_hidden", "thread_pinned"]
    assert log[0].actor_id == creator.id and log[0].detail == {
        "target": "post", "target_id": post.id, "reason": "Démarchage commercial"}
    assert log[0].at is not None
    with pytest.raises(NotAllowed):
        moderation.audit_log(community, member)


def test_members_report_posts_once_and_moderators_see_the_reports(app, db, make_user, lyon, community, creator):
    author = make_user(roles=[("agent", lyon)])
    reporter = make_user(roles=[("agent", lyon)])
    outsider = make_user(roles=[("agent", lyon)])
    for person in (author, reporter):
        spaces.join(community, person)
    thread = discussion.create_thread(community, author, "Sujet", "Propos déplacés")
    post = discussion.posts(community, thread, author)[0]
    with pytest.raises(ServiceError) as refused:
        moderation.report_post(community, post, reporter, "")
    assert refused.value.field == "reason"
    moderation.report_post(community, post, reporter, "Propos insultants")
    with pytest.raises(Conflict):
        moderation.report_post(community, post, reporter, "Encore")
    with pytest.raises(NotAllowed):
        moderation.report_post(community, post, outsider, "Je ne suis pas membre")
    with pytest.raises(NotAllowed):
        moderation.open_reports(community, reporter)
    reports = moderation.open_reports(community, creator)
    assert [r.reason for r in reports] == ["Propos insultants"]
    moderation.set_post_hidden(community, post, creator, True, "Insultes")
    assert moderation.open_reports(community, creator) == []


def test_unknown_ids_are_not_found(app, community, closed):
    with pytest.raises(NotFound):
        access.get_community(123456)
    with pytest.raises(NotFound):
        access.get_community("1; drop")
    with pytest.raises(NotFound):
        access.get_thread(community, 999)
    thread = discussion.create_thread(closed, closed.created_by, "Ailleurs", "Autre communauté")
    with pytest.raises(NotFound):  # a thread of another community is not reachable through this one
        access.get_thread(community, thread.id)
