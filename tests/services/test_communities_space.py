"""Communities of practice, services: shared files and links (the wiki's upload checks), curated
practice sheets, meetings with minutes, and the cached search over threads."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest

from marketplace.communities.services import discussion, meetings, moderation, resources, search, spaces
from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.models import CommunityResource
from tests.fixtures.practices.helpers import EXE, PDF, make_sheet

DATA = {"name": "Eau et territoires", "domain": "eau_assainissement", "description": "Réseaux d'eau.",
        "is_open": True}


@pytest.fixture
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def lyon(make_collectivity):
    return make_collectivity("Lyon")


@pytest.fixture
def creator(make_user, lyon):
    return make_user(roles=[("agent", lyon)])


@pytest.fixture
def community(app, creator):
    return spaces.create_community(creator, DATA)


@pytest.fixture
def member(make_user, lyon, community):
    person = make_user(roles=[("agent", lyon)])
    spaces.join(community, person)
    return person


# --- files and links ----------------------------------------------------------------------------

def test_a_member_shares_a_checked_file(app, upload_dir, community, member):
    resource = resources.add_file(community, member, io.BytesIO(PDF), "guide.pdf", "Guide")
    assert (resource.mime_type, resource.title, resource.original_name) == ("application/pdf", "Guide", "guide.pdf")
    path = resources.file_path(resource)
    assert path.parent == upload_dir and path.read_bytes() == PDF


@pytest.mark.parametrize("content, name", [
    (EXE, "guide.pdf"), (PDF, "guide.exe"), (b"", "vide.txt"), (b"\x00\x01\x02binaire", "x.bin"),
], ids=["executable", "wrong-extension", "empty", "binary"])
def test_refused_files_leave_nothing(app, db, upload_dir, community, member, content, name):
    with pytest.raises(ServiceError) as refused:
        resources.add_file(community, member, io.BytesIO(content), name)
    assert refused.value.field == "file" and refused.value.message
    assert db.session.query(CommunityResource).count() == 0
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_too_large_files_are_refused_with_the_wiki_limit(app, upload_dir, community, member):
    app.config["PRACTICE_UPLOAD_MAX_BYTES"] = 10
    with pytest.raises(ServiceError) as refused:
        resources.add_file(community, member, io.BytesIO(b"a" * 11), "notes.txt")
    assert "taille maximale" in refused.value.message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.fr/x", "http://", "example.fr",
                                 "https://exa mple.fr", "https://example.fr/\r\nSet-Cookie: x", "https://e.fr/" + "a" * 1000])
def test_links_must_be_http_or_https(app, community, member, url):
    with pytest.raises(ServiceError) as refused:
        resources.add_link(community, member, url, "Lien")
    assert refused.value.field == "url"


def test_outsiders_cannot_share_and_only_uploader_or_moderator_remove(app, db, upload_dir, make_user, lyon,
                                                                       community, member, creator):
    outsider = make_user(roles=[("agent", lyon)])
    with pytest.raises(NotAllowed):
        resources.add_link(community, outsider, "https://eau.fr", "Eau")
    link = resources.add_link(community, member, "https://www.eaufrance.fr", "Portail de l'eau")
    other = make_user(roles=[("agent", lyon)])
    spaces.join(community, other)
    with pytest.raises(NotAllowed):
        resources.remove_resource(community, link.id, other)
    shared = resources.add_file(community, member, io.BytesIO(PDF), "guide.pdf")
    path = resources.file_path(shared)
    resources.remove_resource(community, shared.id, creator)
    assert not path.exists()
    resources.remove_resource(community, link.id, member)
    assert db.session.query(CommunityResource).count() == 0
    with pytest.raises(NotFound):
        resources.get_resource(community, link.id, member)


# --- curated sheets -----------------------------------------------------------------------------

def test_curated_sheets_show_published_ones_only(app, community, creator, lyon, member):
    published = make_sheet(creator, lyon, title="Télérelève des compteurs")
    draft = make_sheet(creator, lyon, status="draft", title="Brouillon")
    resources.add_sheet(community, creator, str(published.id))
    with pytest.raises(ServiceError) as refused:
        resources.add_sheet(community, creator, draft.id)
    assert refused.value.field == "sheet_id"
    for bad in ("abc", "", "-1", "99999999999", "424242"):
        with pytest.raises(ServiceError):
            resources.add_sheet(community, creator, bad)
    with pytest.raises(ServiceError):
        resources.add_sheet(community, creator, published.id)
    with pytest.raises(NotAllowed):
        resources.add_sheet(community, member, published.id)
    assert resources.curated_sheets(community) == [published]
    published.status = "archived"
    assert resources.curated_sheets(community) == []
    resources.remove_sheet(community, creator, published.id)
    assert community.sheet_ids == []


# --- meetings -----------------------------------------------------------------------------------

def _meeting(**changes):
    data = {"title": "Réunion trimestrielle", "starts_at": datetime.now() + timedelta(days=10),
            "place": "Hôtel de la Métropole, Lyon", "video_url": "", "agenda": "1. Tour de table"}
    data.update(changes)
    return data


def test_moderators_schedule_meetings_and_write_minutes_after_them(app, db, community, creator, member):
    meeting = meetings.schedule(community, creator, _meeting(video_url="https://visio.example.fr/salle"))
    upcoming, past = meetings.meetings(community, member)
    assert upcoming == [meeting] and past == []
    with pytest.raises(ServiceError) as refused:
        meetings.write_minutes(community, meeting, creator, "Trop tôt")
    assert refused.value.field == "minutes"
    meeting.starts_at = meetings.as_utc(datetime.now() - timedelta(hours=2))
    db.session.commit()
    meetings.write_minutes(community, meeting, creator, "Présents : 12.\r\nDécisions : 3.")
    assert meeting.minutes == "Présents : 12.\nDécisions : 3."
    assert meetings.meetings(community, member) == ([], [meeting])
    with pytest.raises(NotAllowed):
        meetings.schedule(community, member, _meeting())


@pytest.mark.parametrize("changes, field", [
    ({"starts_at": None}, "starts_at"),
    ({"starts_at": "2027-13-45"}, "starts_at"),
    ({"starts_at": datetime(2020, 1, 1, 10)}, "starts_at"),
    ({"starts_at": datetime(1, 1, 1, 0, 30)}, "starts_at"),
    ({"starts_at": datetime(9999, 12, 31, 23, 0)}, "starts_at"),
    ({"place": "", "video_url": ""}, "place"),
    ({"video_url": "javascript:alert(1)"}, "video_url"),
    ({"title": ""}, "title"),
    ({"place": "p" * 301}, "place"),
])
def test_bad_meetings_are_refused_on_their_field(app, community, creator, changes, field):
    with pytest.raises(ServiceError) as refused:
        meetings.schedule(community, creator, _meeting(**changes))
    assert refused.value.field == field


def test_meeting_times_are_paris_time(app, community, creator):
    meeting = meetings.schedule(community, creator, _meeting(starts_at=datetime(2030, 7, 1, 10, 0)))
    assert meetings.local_time(meeting.starts_at).hour == 10
    assert meetings._aware(meeting.starts_at).hour == 8  # summer time: UTC+2


# --- search -------------------------------------------------------------------------------------

def test_search_finds_threads_of_readable_communities_only(app, make_user, lyon, community, creator, member):
    closed = spaces.create_community(creator, dict(DATA, name="Réseau fermé", is_open=False))
    discussion.create_thread(community, creator, "Fuites sur le réseau d'eau potable",
                             "Comment détecter les fuites avec la sectorisation ?")
    discussion.create_thread(closed, creator, "Fuites confidentielles", "Détection des fuites, données sensibles")
    titles = [hit.thread.title for hit in search.search_threads(member, "détection des fuites")]
    assert titles == ["Fuites sur le réseau d'eau potable"]
    both = {hit.thread.title for hit in search.search_threads(creator, "détection des fuites")}
    assert both == {"Fuites sur le réseau d'eau potable", "Fuites confidentielles"}
    assert search.search_threads(member, "   ") == []
    assert search.search_threads(member, "x" * 10_000) == []


def test_hidden_posts_are_not_searchable(app, community, creator, member):
    thread = discussion.create_thread(community, member, "Achat de compteurs", "Fournisseur zorglubien recommandé")
    assert search.search_threads(creator, "zorglubien")
    moderation.set_post_hidden(community, discussion.posts(community, thread, creator)[0], creator, True, "Publicité")
    assert search.search_threads(creator, "zorglubien") == []


def test_search_reuses_the_fitted_engine_until_something_changes(app, community, creator, member):
    thread = discussion.create_thread(community, creator, "Assainissement non collectif", "Contrôles des SPANC")
    search.search_threads(member, "assainissement")
    fits = search.fit_count()
    for _ in range(3):
        assert search.search_threads(member, "contrôles SPANC")
    assert search.fit_count() == fits
    discussion.reply(community, thread, member, "Nous mutualisons les contrôles à l'échelle de l'EPCI.")
    assert search.search_threads(member, "mutualisons")
    assert search.fit_count() == fits + 1
