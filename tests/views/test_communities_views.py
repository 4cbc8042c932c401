"""Communities of practice, pages: the journey (create, join, discuss, share, moderate), the
rights of each kind of visitor, and bad inputs answered by French messages next to their field."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest

from tests.tools.sessions import sign_in

from marketplace.communities.services import discussion, spaces
from marketplace.models import Community, CommunityMeeting, CommunityPost, CommunityResource, CommunityThread
from tests.fixtures.practices.helpers import EXE, PDF
from tests.views.test_i18n import english  # noqa: F401 (fixture: the English catalogue compiled for the test)

FORM = {"name": "Numérique rural", "domain": "numerique", "theme": "Inclusion numérique",
        "departements": "23, 87", "regions": "75", "description": "France services et médiateurs.",
        "is_open": "y"}




@pytest.fixture
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def place(make_collectivity):
    return make_collectivity("Guéret", departements=("23",), regions=("75",))


@pytest.fixture
def creator(make_user, place):
    return make_user(name="Claire Créatrice", roles=[("agent", place)])


@pytest.fixture
def community(app, creator):
    return spaces.create_community(creator, {k: v for k, v in FORM.items() if k != "is_open"} | {"is_open": True})


def post(client, url, data=None, **kwargs):
    return client.post_form(url, data or {}, token_from="/communautes/", **kwargs)


def test_journey_create_join_discuss_share(client, db, make_user, place, upload_dir):
    creator = make_user(roles=[("agent", place)])
    sign_in(client, creator)
    assert "Communautés" in client.get("/communautes/").get_data(as_text=True)
    response = post(client, "/communautes/nouvelle", FORM)
    assert response.status_code == 302
    community = db.session.query(Community).one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Numérique rural" in page and "Vous êtes modérateur" in page

    joiner = make_user(name="Jules Membre", roles=[("representative", place)])
    sign_in(client, joiner)
    assert "Rejoindre la communauté" in client.get(f"/communautes/{community.id}").get_data(as_text=True)
    post(client, f"/communautes/{community.id}/adhesion")
    response = post(client, f"/communautes/{community.id}/discussions/nouvelle",
                    {"title": "Conseillers numériques", "body": "Comment les financez-vous ?"})
    assert response.status_code == 302
    thread = db.session.query(CommunityThread).one()

    sign_in(client, creator)
    response = post(client, f"/communautes/{community.id}/discussions/{thread.id}/repondre",
                    {"body": "Avec le pacte numérique de la région."}, follow_redirects=True)
    assert "Réponse publiée" in response.get_data(as_text=True)
    response = post(client, f"/communautes/{community.id}/ressources/fichier",
                    {"file": (io.BytesIO(PDF), "bilan.pdf"), "title": "Bilan 2026"},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    resource = db.session.query(CommunityResource).one()
    download = client.get(f"/communautes/{community.id}/ressources/{resource.id}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert "Bilan 2026" in client.get(f"/communautes/{community.id}").get_data(as_text=True)

    sign_in(client, joiner)
    page = client.get(f"/communautes/{community.id}/discussions/{thread.id}").get_data(as_text=True)
    assert "Avec le pacte numérique" in page
    assert "a répondu à la discussion" in client.get("/notifications/").get_data(as_text=True)
    assert "Conseillers numériques" in client.get("/communautes/?q=financement+conseillers").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in_and_role_less_users_refused(client, make_user, community):
    assert client.get("/communautes/").status_code == 302
    assert client.get(f"/communautes/{community.id}").status_code == 302
    sign_in(client, make_user(roles=()))
    assert client.get("/communautes/").status_code == 403
    assert client.get(f"/communautes/{community.id}").status_code == 403
    assert post(client, f"/communautes/{community.id}/adhesion").status_code == 403


def test_closed_community_hides_its_space_until_approval(client, db, make_user, place, creator):
    closed = spaces.create_community(creator, {"name": "Achats", "domain": "marches_publics",
                                               "description": "Groupements de commandes.", "is_open": False})
    thread = discussion.create_thread(closed, creator, "Secret", "Nos prix négociés")
    visitor = make_user(roles=[("agent", place)])
    sign_in(client, visitor)
    page = client.get(f"/communautes/{closed.id}").get_data(as_text=True)
    assert "Demander à rejoindre" in page and "Secret" not in page
    assert client.get(f"/communautes/{closed.id}/discussions/{thread.id}").status_code == 403
    post(client, f"/communautes/{closed.id}/adhesion", {"message": "Acheteuse publique à Guéret"})
    assert "attend la réponse" in client.get(f"/communautes/{closed.id}").get_data(as_text=True)
    assert post(client, f"/communautes/{closed.id}/discussions/{thread.id}/repondre",
                {"body": "Bonjour"}).status_code == 403

    sign_in(client, creator)
    page = client.get(f"/communautes/{closed.id}/membres").get_data(as_text=True)
    assert "Acheteuse publique à Guéret" in page
    row = spaces.members(closed, creator)[1][0]
    post(client, f"/communautes/{closed.id}/membres/{row.id}/accepter")
    sign_in(client, visitor)
    assert "Nos prix négociés" in client.get(f"/communautes/{closed.id}/discussions/{thread.id}").get_data(as_text=True)


def test_members_cannot_moderate_and_moderators_lock_with_a_reason(client, db, make_user, place, community, creator):
    member = make_user(roles=[("agent", place)])
    spaces.join(community, member)
    thread = discussion.create_thread(community, member, "Débat", "Ouvert à tous")
    sign_in(client, member)
    url = f"/communautes/{community.id}/discussions/{thread.id}"
    assert post(client, f"{url}/lock", {"reason": "Je veux"}).status_code == 403
    assert client.get(f"/communautes/{community.id}/moderation").status_code == 403
    sign_in(client, creator)
    response = post(client, f"{url}/lock", {"reason": ""})
    assert response.status_code == 400 and "Indiquez la raison" in response.get_data(as_text=True)
    assert post(client, f"{url}/lock", {"reason": "Hors sujet"}).status_code == 302
    log = client.get(f"/communautes/{community.id}/moderation").get_data(as_text=True)
    assert "Discussion verrouillée" in log and "Hors sujet" in log
    sign_in(client, member)
    response = post(client, f"{url}/repondre", {"body": "Encore un mot"})
    assert response.status_code == 400
    assert "verrouillée par la modération" in response.get_data(as_text=True)
    assert db.session.query(CommunityPost).count() == 1


def test_report_and_hide_a_post(client, db, make_user, place, community, creator):
    author = make_user(name="Auteur Fâcheux", roles=[("agent", place)])
    reader = make_user(roles=[("agent", place)])
    for person in (author, reader):
        spaces.join(community, person)
    thread = discussion.create_thread(community, author, "Offre", "Achetez mon logiciel")
    message = discussion.posts(community, thread, author)[0]
    sign_in(client, reader)
    response = post(client, f"/communautes/{community.id}/messages/{message.id}/signaler", {"reason": ""})
    assert response.status_code == 400 and "Indiquez la raison" in response.get_data(as_text=True)
    post(client, f"/communautes/{community.id}/messages/{message.id}/signaler", {"reason": "Démarchage"})
    assert post(client, f"/communautes/{community.id}/messages/{message.id}/masquer",
                {"reason": "x"}).status_code == 403
    sign_in(client, creator)
    assert "Démarchage" in client.get(f"/communautes/{community.id}/moderation").get_data(as_text=True)
    post(client, f"/communautes/{community.id}/messages/{message.id}/masquer", {"reason": "Publicité"})
    sign_in(client, reader)
    page = client.get(f"/communautes/{community.id}/discussions/{thread.id}").get_data(as_text=True)
    assert "Message masqué par la modération : Publicité" in page and "Achetez mon logiciel" not in page


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Donnez un nom à la communauté."),
    ({"name": "n" * 121}, "Ce texte fait au plus 120 caractères."),
    ({"departements": "99"}, "pas un code de département"),
    ({"domain": "inconnu"}, "Choisissez un domaine dans la liste"),
    ({"domain": "", "theme": ""}, "Choisissez un domaine ou décrivez le thème"),
    ({"description": ""}, "Décrivez la communauté"),
    ({"description": "a\x00b"}, "caractères de contrôle"),
])
def test_bad_community_form_gets_french_messages(client, db, creator, changes, message):
    sign_in(client, creator)
    response = post(client, "/communautes/nouvelle", FORM | changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "fr-message--error" in page
    assert db.session.query(Community).count() == 0


@pytest.mark.parametrize("data, message", [
    ({"url": "javascript:alert(1)", "title": "x"}, "commençant par http:// ou https://"),
    ({"url": "https://ok.fr", "title": ""}, "Donnez un titre au lien."),
])
def test_bad_links_stay_on_the_page_with_a_message(client, db, community, creator, data, message):
    sign_in(client, creator)
    response = post(client, f"/communautes/{community.id}/ressources/lien", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_refused_file_gets_the_wiki_message(client, db, community, creator, upload_dir):
    sign_in(client, creator)
    response = post(client, f"/communautes/{community.id}/ressources/fichier",
                    {"file": (io.BytesIO(EXE), "guide.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "programme exécutable" in response.get_data(as_text=True)
    assert db.session.query(CommunityResource).count() == 0


@pytest.mark.parametrize("starts_at, message", [
    ("pas une date", "Indiquez une date et une heure valides"),
    ("2027-02-30T10:00", "Indiquez une date et une heure valides"),
    ("2001-01-01T10:00", "dans le futur"),
    ("", "Indiquez une date et une heure valides"),
])
def test_bad_meeting_dates_get_french_messages(client, db, community, creator, starts_at, message):
    sign_in(client, creator)
    response = post(client, f"/communautes/{community.id}/reunions/nouvelle",
                    {"title": "Réunion", "starts_at": starts_at, "place": "Guéret"})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.query(CommunityMeeting).count() == 0


def test_meeting_page_and_minutes(client, db, community, creator, make_user, place):
    sign_in(client, creator)
    when = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = post(client, f"/communautes/{community.id}/reunions/nouvelle",
                    {"title": "Atelier médiation", "starts_at": when, "video_url": "https://visio.gouv.fr/a",
                     "agenda": "1. Bilan\r\n2. Perspectives"})
    assert response.status_code == 302
    meeting = db.session.query(CommunityMeeting).one()
    page = client.get(f"/communautes/{community.id}/reunions/{meeting.id}").get_data(as_text=True)
    assert "Atelier médiation" in page and "Rejoindre la visioconférence" in page
    response = post(client, f"/communautes/{community.id}/reunions/{meeting.id}", {"minutes": "Trop tôt"})
    assert response.status_code == 400 and "après le début de la réunion" in response.get_data(as_text=True)
    member = make_user(roles=[("agent", place)])
    spaces.join(community, member)
    sign_in(client, member)
    assert post(client, f"/communautes/{community.id}/reunions/{meeting.id}", {"minutes": "x"}).status_code == 403


@pytest.mark.parametrize("url", ["/communautes/999", "/communautes/999/discussions/1", "/communautes/1/discussions/999",
                                 "/communautes/1/reunions/999", "/communautes/1/ressources/999"])
def test_unknown_ids_answer_404(client, community, creator, url):
    sign_in(client, creator)
    assert client.get(url).status_code == 404


def test_long_search_text_and_crlf_never_500(client, community, creator):
    sign_in(client, creator)
    discussion.create_thread(community, creator, "Fibre optique", "Déploiement en zone rurale")
    assert client.get("/communautes/?q=" + "fibre%0D%0A" * 50).status_code == 200
    assert client.get("/communautes/?q=" + "a" * 5000).status_code == 200


def test_a_refused_lock_shows_its_message_on_the_lock_form(client, community, creator):
    thread = discussion.create_thread(community, creator, "Sujet", "Texte")
    sign_in(client, creator)
    response = post(client, f"/communautes/{community.id}/discussions/{thread.id}/lock", {"reason": "r" * 501})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="reason-thread-lock-{thread.id}-messages"' in page
    assert f'id="reason-thread-{thread.id}-messages"' not in page


def test_moderator_edits_the_community_and_members_cannot(client, db, make_user, place, community, creator):
    member = make_user(roles=[("agent", place)])
    spaces.join(community, member)
    sign_in(client, member)
    assert client.get(f"/communautes/{community.id}/modifier").status_code == 403
    sign_in(client, creator)
    page = client.get(f"/communautes/{community.id}/modifier").get_data(as_text=True)
    assert 'value="23, 87"' in page and "Numérique rural" in page
    response = post(client, f"/communautes/{community.id}/modifier", FORM | {"name": "Numérique en Creuse",
                                                                              "is_open": ""})
    assert response.status_code == 302
    db.session.refresh(community)
    assert community.name == "Numérique en Creuse" and not community.is_open


def test_follow_leave_and_name_a_moderator_from_the_pages(client, db, make_user, place, community, creator):
    member = make_user(name="Mona Membre", roles=[("agent", place)])
    row = spaces.join(community, member)
    sign_in(client, member)
    post(client, f"/communautes/{community.id}/suivi/0")
    db.session.refresh(row)
    assert row.following is False
    sign_in(client, creator)
    response = post(client, f"/communautes/{community.id}/quitter", follow_redirects=True)
    assert "dernier modérateur" in response.get_data(as_text=True)
    post(client, f"/communautes/{community.id}/membres/{row.id}/moderateur/1")
    assert "Mona Membre" in client.get(f"/communautes/{community.id}/membres").get_data(as_text=True)
    response = post(client, f"/communautes/{community.id}/quitter", follow_redirects=True)
    assert "Vous avez quitté la communauté." in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.role == "moderator"


def test_english_readers_get_english_pages(english, client, make_user, place, community):
    reader = make_user(roles=[("agent", place)], preferred_language="en")
    sign_in(client, reader)
    page = client.get(f"/communautes/{community.id}").get_data(as_text=True)
    assert "Join the community" in page and "Rejoindre la communauté" not in page
