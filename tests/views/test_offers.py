"""Offer pages: who may see and change what, and every bad input refused next to its field."""
from datetime import date, timedelta
import re

import pytest
from sqlalchemy import func, select

from marketplace.models import SkillOffer
from marketplace.listings import services as listings


@pytest.fixture
def people(make_collectivity, make_user):
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    return {
        "lyon": lyon,
        "rennes": rennes,
        "owner": make_user(roles=[("agent", lyon)]),
        "other_agent": make_user(roles=[("agent", rennes)]),
        "rep": make_user(roles=[("representative", rennes)]),
        "admin": make_user(roles=["admin"]),
    }


def valid_form(collectivity, **fields):
    data = {"collectivity_id": str(collectivity.id), "title": "Accompagnement SIG",
            "description": "Je sais monter un SIG.", "tags": "SIG, cartographie",
            "domain": "numerique", "modality": "hybrid", "days_per_month": "2,5",
            "available_from": "", "available_until": "", "max_distance_km": "80",
            "action": "draft"}
    data.update(fields)
    return data


def make_offer(people, status="published", **fields):
    data = {"collectivity_id": people["lyon"].id, "title": "Offre existante", "description": "Texte",
            "tags": [], "domain": "numerique", "modality": "remote", "days_per_month": 2.0}
    data.update(fields)
    offer = listings.create_offer(people["owner"], data)
    if status != "draft":
        listings.change_offer_status(offer, "published", people["owner"])
    if status in ("paused", "archived"):
        listings.change_offer_status(offer, status, people["owner"])
    return offer


def post(client, url, data, **kwargs):
    """Post a form as a logged-in browser: the CSRF token comes from a page it may see."""
    return client.post_form(url, data, token_from="/offres/", **kwargs)


def count(db):
    return db.session.scalar(select(func.count()).select_from(SkillOffer))


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/offres/mes", "/offres/nouveau", "/offres/{id}/modifier", "/offres/export.csv"])
def test_anonymous_visitors_are_sent_to_login(client, people, path):
    offer = make_offer(people)
    response = client.get(path.format(id=offer.id))
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


def test_anonymous_visitors_browse_published_offers_without_personal_data(client, people):
    offer = make_offer(people, title="Offre publique de cartographie")
    listing = client.get("/offres/").get_data(as_text=True)
    assert "Offre publique de cartographie" in listing
    page = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert "Offre publique de cartographie" in page and "Lyon" in page
    assert people["owner"].display_name not in page  # the agent's name only after sign-in
    assert "Connectez-vous pour voir le nom et le contact" in page
    assert '<meta name="description" content="Offre publique de cartographie — Lyon' in page


def test_anonymous_visitors_do_not_see_drafts(client, people):
    draft = make_offer(people, status="draft")
    assert client.get(f"/offres/{draft.id}").status_code == 404


def test_anonymous_status_change_is_refused(client, people, db):
    offer = make_offer(people, status="draft")
    response = client.post_form(f"/offres/{offer.id}/statut", {"status": "published"})
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    db.session.refresh(offer)
    assert offer.status == "draft"


@pytest.mark.parametrize("who", ["owner", "other_agent", "rep", "admin"])
def test_any_logged_in_user_browses_published_offers(client, login, people, who):
    make_offer(people, title="Offre publiée visible")
    make_offer(people, status="draft", title="Brouillon secret")
    login(people[who])
    page = client.get("/offres/").get_data(as_text=True)
    assert "Offre publiée visible" in page
    assert "Brouillon secret" not in page


@pytest.mark.parametrize("status", ["draft", "paused", "archived"])
@pytest.mark.parametrize("who,code", [("owner", 200), ("admin", 200), ("other_agent", 404), ("rep", 404)])
def test_unpublished_offers_exist_only_for_owner_and_admin(client, login, people, status, who, code):
    offer = make_offer(people, status=status)
    login(people[who])
    assert client.get(f"/offres/{offer.id}").status_code == code


def test_detail_shows_collectivity_departements_and_owner_actions(client, login, people):
    offer = make_offer(people)
    login(people["owner"])
    page = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert "Lyon" in page and "69" in page
    assert "Mettre en pause" in page and f"/offres/{offer.id}/modifier" in page


def test_others_see_no_owner_actions(client, login, people):
    offer = make_offer(people)
    login(people["other_agent"])
    page = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert "Mettre en pause" not in page and "/modifier" not in page


def test_missing_offer_is_404(client, login, people):
    login(people["admin"])
    assert client.get("/offres/4242").status_code == 404


# --- create --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rep", "admin"])
def test_only_agents_create_offers(client, login, people, db, who):
    login(people[who])
    assert client.get("/offres/nouveau").status_code == 403
    response = post(client, "/offres/nouveau", valid_form(people["lyon"]))
    assert response.status_code == 403
    assert count(db) == 0


def test_agent_creates_a_draft(client, login, people, db):
    login(people["owner"])
    response = post(client, "/offres/nouveau", valid_form(people["lyon"]))
    assert response.status_code == 302
    offer = db.session.scalar(select(SkillOffer))
    assert offer.status == "draft" and offer.days_per_month == 2.5
    assert offer.tags == ["SIG", "cartographie"] and offer.max_distance_km == 80
    assert response.headers["Location"].endswith(f"/offres/{offer.id}")


def test_agent_creates_and_publishes_at_once(client, login, people, db):
    login(people["owner"])
    post(client, "/offres/nouveau", valid_form(people["lyon"], action="publish"))
    offer = db.session.scalar(select(SkillOffer))
    assert offer.status == "published" and offer.published_at is not None


def test_remote_offer_drops_the_distance(client, login, people, db):
    login(people["owner"])
    post(client, "/offres/nouveau", valid_form(people["lyon"], modality="remote"))
    assert db.session.scalar(select(SkillOffer)).max_distance_km is None


def test_unverified_agent_cannot_publish_and_keeps_the_form(client, login, people, make_user, db):
    login(make_user(roles=[("agent", people["lyon"])], verified=False))
    page = client.get("/offres/nouveau").get_data(as_text=True)
    assert "Vous pouvez déjà enregistrer un brouillon." in page and 'value="publish"' not in page
    response = post(client, "/offres/nouveau", valid_form(people["lyon"], action="publish",
                                                              title="Mon offre à garder"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Confirmez votre adresse e-mail" in page
    assert 'value="Mon offre à garder"' in page
    assert count(db) == 0


def test_agent_with_two_collectivities_chooses_one(client, login, people, make_user, db):
    agent = make_user(roles=[("agent", people["lyon"]), ("agent", people["rennes"])])
    login(agent)
    page = client.get("/offres/nouveau").get_data(as_text=True)
    assert "plusieurs collectivités" in page and "Rennes" in page
    post(client, "/offres/nouveau", valid_form(people["rennes"]))
    assert db.session.scalar(select(SkillOffer)).collectivity_id == people["rennes"].id


def test_offering_for_a_collectivity_not_yours_is_refused(client, login, people, db):
    login(people["owner"])
    response = post(client, "/offres/nouveau", valid_form(people["rennes"]))
    assert response.status_code == 200
    assert "Choisissez une collectivité pour laquelle vous avez ce rôle" in response.get_data(as_text=True)
    assert count(db) == 0


PAST = (date.today() - timedelta(days=1)).isoformat()
SOON = (date.today() + timedelta(days=10)).isoformat()


@pytest.mark.parametrize("field,value,message", [
    ("title", "T" * 10_000, "Le titre doit faire entre 5 et 200 caractères."),
    ("title", "", "Indiquez un titre."),
    ("description", "d" * 10_001, "La description fait au plus 10 000 caractères."),
    ("description", "texte\x00nul", "caractères de contrôle"),
    ("days_per_month", "-3", "Indiquez entre 0,5 et 22 jours par mois."),
    ("days_per_month", "10000", "Indiquez entre 0,5 et 22 jours par mois."),
    ("days_per_month", "beaucoup", "Saisissez un nombre"),
    ("days_per_month", "nan", "Saisissez un nombre"),
    ("max_distance_km", "5000", "entre 0 et 1 000 km"),
    ("max_distance_km", "-1", "entre 0 et 1 000 km"),
    ("available_from", PAST, "La date ne peut pas être dans le passé."),
    ("available_from", "31/02/2027", "Saisissez une date valide"),
    ("domain", "astrologie", "N&#39;est pas un choix valide"),
    ("domain", "", "Choisissez un domaine."),
    ("modality", "teleportation", "N&#39;est pas un choix valide"),
    ("tags", "ok, " + "x" * 41, "Chaque mot-clé fait au plus 40 caractères."),
])
def test_bad_input_is_refused_next_to_the_field_and_saves_nothing(client, login, people, db,
                                                                    field, value, message):
    login(people["owner"])
    response = post(client, "/offres/nouveau", valid_form(
        people["lyon"], **{field: value, "title": value if field == "title" else "Titre gardé"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert f'id="{field}-messages"' in page or field == "modality"
    assert 'value="Titre gardé"' in page or field == "title"
    assert count(db) == 0


def test_until_before_from_is_refused(client, login, people, db):
    login(people["owner"])
    later = (date.today() + timedelta(days=20)).isoformat()
    response = post(client, "/offres/nouveau", valid_form(
        people["lyon"], available_from=later, available_until=SOON))
    page = response.get_data(as_text=True)
    assert "La fin de disponibilité doit suivre son début." in page
    assert f'value="{SOON}"' in page and f'value="{later}"' in page
    assert count(db) == 0


def test_a_typed_bad_number_is_kept_in_the_field(client, login, people):
    login(people["owner"])
    page = post(client, "/offres/nouveau", valid_form(people["lyon"], days_per_month="-3")).get_data(as_text=True)
    assert 'value="-3"' in page


def multipart_body(fields: dict, raw: dict[str, bytes], boundary="essaimtest") -> bytes:
    """A multipart/form-data body, as the offer form posts it, with some raw byte values."""
    parts = [(name, value.encode()) for name, value in fields.items()] + list(raw.items())
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value + b"\r\n"
        for name, value in parts
    ]
    return b"".join(chunks) + f"--{boundary}--\r\n".encode()


def test_a_non_utf8_byte_gets_a_french_message_next_to_the_field(client, login, people, db):
    login(people["owner"])
    fields = valid_form(people["lyon"], title="Titre gardé")
    fields.pop("description")
    fields["csrf_token"] = client.csrf_token("/offres/nouveau")
    response = client.post("/offres/nouveau", data=multipart_body(fields, {"description": b"caf\xff"}),
                           content_type="multipart/form-data; boundary=essaimtest")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r"<h1>(.*?)</h1>", page)
    assert "caractères illisibles" in page and 'id="description-messages"' in page
    assert 'value="Titre gardé"' in page
    assert count(db) == 0


def test_the_form_posts_multipart(client, login, people):
    login(people["owner"])
    assert 'enctype="multipart/form-data"' in client.get("/offres/nouveau").get_data(as_text=True)


def test_html_in_description_is_shown_escaped_everywhere(client, login, people, db):
    login(people["owner"])
    post(client, "/offres/nouveau", valid_form(
        people["lyon"], action="publish", title="<b>Titre</b> gras",
        description="Ligne 1\n<script>alert(1)</script>"))
    offer = db.session.scalar(select(SkillOffer))
    for url in (f"/offres/{offer.id}", "/offres/", "/offres/mes"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "<b>Titre</b>" not in page
        assert "&lt;b&gt;Titre&lt;/b&gt;" in page
    detail = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert "Ligne 1<br>&lt;script&gt;alert(1)&lt;/script&gt;" in detail


# --- edit and status -------------------------------------------------------------------------------


def test_owner_edits_and_form_is_prefilled(client, login, people, db):
    offer = make_offer(people, tags=["SIG", "PLU"])
    login(people["owner"])
    page = client.get(f"/offres/{offer.id}/modifier").get_data(as_text=True)
    assert 'value="Offre existante"' in page and 'value="SIG, PLU"' in page
    response = post(client, f"/offres/{offer.id}/modifier", valid_form(people["lyon"], title="Offre revue"))
    assert response.status_code == 302
    db.session.refresh(offer)
    assert offer.title == "Offre revue"


def test_a_refused_edit_changes_nothing(client, login, people, db):
    offer = make_offer(people)
    login(people["owner"])
    response = post(client, f"/offres/{offer.id}/modifier",
                                valid_form(people["lyon"], title="Nouveau titre", days_per_month="-1"))
    assert response.status_code == 200
    assert 'value="Nouveau titre"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SkillOffer, offer.id).title == "Offre existante"


def test_editing_keeps_a_start_date_already_in_the_past(client, login, people, db):
    offer = make_offer(people)
    offer.available_from = date.today() - timedelta(days=30)
    db.session.commit()
    login(people["owner"])
    response = post(client, f"/offres/{offer.id}/modifier", valid_form(
        people["lyon"], available_from=offer.available_from.isoformat(), title="Toujours valable"))
    assert response.status_code == 302


@pytest.mark.parametrize("status,who,code", [
    ("published", "other_agent", 403), ("published", "rep", 403),
    ("draft", "other_agent", 404), ("draft", "rep", 404),
])
def test_others_cannot_edit(client, login, people, db, status, who, code):
    offer = make_offer(people, status=status)
    login(people[who])
    assert client.get(f"/offres/{offer.id}/modifier").status_code == code
    response = post(client, f"/offres/{offer.id}/modifier", valid_form(people["lyon"], title="Volée"))
    assert response.status_code == code
    response = post(client, f"/offres/{offer.id}/statut", {"status": "archived"})
    assert response.status_code == code
    db.session.expire_all()
    offer = db.session.get(SkillOffer, offer.id)
    assert offer.title == "Offre existante" and offer.status == status


def test_admin_edits_and_archives_any_offer(client, login, people, db):
    offer = make_offer(people, status="draft")
    login(people["admin"])
    assert post(client, f"/offres/{offer.id}/modifier", valid_form(people["lyon"], title="Par l'admin")).status_code == 302
    post(client, f"/offres/{offer.id}/statut", {"status": "archived"})
    db.session.expire_all()
    offer = db.session.get(SkillOffer, offer.id)
    assert offer.title == "Par l'admin" and offer.status == "archived"


def test_owner_moves_through_statuses(client, login, people, db):
    offer = make_offer(people, status="draft")
    login(people["owner"])
    for target in ("published", "paused", "published", "archived"):
        response = post(client, f"/offres/{offer.id}/statut", {"status": target}, follow_redirects=True)
        assert "Statut mis à jour." in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(SkillOffer, offer.id).status == target


def test_a_refused_move_gets_a_french_message(client, login, people, db):
    offer = make_offer(people, status="archived")
    login(people["owner"])
    response = post(client, f"/offres/{offer.id}/statut", {"status": "published"}, follow_redirects=True)
    assert "Passage impossible du statut « Archivée » au statut « Publiée »." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SkillOffer, offer.id).status == "archived"


def test_archived_offer_edit_redirects_with_a_notice(client, login, people):
    offer = make_offer(people, status="archived")
    login(people["owner"])
    response = client.get(f"/offres/{offer.id}/modifier", follow_redirects=True)
    assert "ne peut plus être modifié" in response.get_data(as_text=True)


def test_status_change_goes_back_to_a_safe_next_only(client, login, people):
    offer = make_offer(people)
    login(people["owner"])
    response = post(client, f"/offres/{offer.id}/statut", {"status": "paused", "next": "/offres/mes"})
    assert response.headers["Location"].endswith("/offres/mes")
    response = post(client, f"/offres/{offer.id}/statut", {"status": "published", "next": "https://evil.example"})
    assert response.headers["Location"].endswith(f"/offres/{offer.id}")


# --- lists -------------------------------------------------------------------------------------------


def test_mine_lists_every_status_with_actions_and_nothing_of_others(client, login, people):
    draft = make_offer(people, status="draft", title="Mon brouillon")
    make_offer(people, status="archived", title="Mon archive")
    listings.create_offer(people["other_agent"], {
        "collectivity_id": people["rennes"].id, "title": "Offre de Rennes", "description": "x",
        "tags": [], "domain": "numerique", "modality": "remote", "days_per_month": 1})
    login(people["owner"])
    page = client.get("/offres/mes").get_data(as_text=True)
    assert "Mon brouillon" in page and "Mon archive" in page and "Offre de Rennes" not in page
    assert f"/offres/{draft.id}/modifier" in page and 'name="status" value="published"' in page
    assert page.count('name="status"') == 2  # the archived offer has no move left


def test_filters_are_checked_and_kept_in_pagination(app, client, login, people):
    app.config["ITEMS_PER_PAGE"] = 1
    make_offer(people, title="Plan vélo un", domain="mobilite")
    make_offer(people, title="Plan vélo deux", domain="mobilite")
    login(people["rep"])
    page = client.get("/offres/?domain=mobilite&q=velo").get_data(as_text=True)
    assert "2 résultats" in page
    assert "page=2" in page and "domain=mobilite" in page and "q=velo" in page
    assert 'class="fr-pagination' in page
    page = client.get("/offres/?domain=astrologie&page=abc").get_data(as_text=True)
    assert "Domaine inconnu : ce filtre est ignoré." in page
    assert "2 résultats" in page


def test_search_text_is_escaped_in_the_filter_form(client, login, people):
    login(people["rep"])
    page = client.get('/offres/?q="><script>x</script>').get_data(as_text=True)
    assert "<script>x</script>" not in page
