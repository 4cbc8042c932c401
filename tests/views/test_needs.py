"""Need pages: representatives post for their collectivity; bad input refused next to the field."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.models import Need
from marketplace.listings import services as listings


@pytest.fixture
def people(make_collectivity, make_user):
    rennes = make_collectivity("Rennes Métropole", kind="epci", code="243500139",
                               departements=("35",), regions=("53",))
    redon = make_collectivity("Redon Agglomération", kind="epci", code="200065317",
                              departements=("35", "44", "56"), regions=("52", "53"))
    return {
        "rennes": rennes,
        "redon": redon,
        "owner": make_user(roles=[("representative", rennes)]),
        "other_rep": make_user(roles=[("representative", redon)]),
        "agent": make_user(roles=[("agent", rennes)]),
        "admin": make_user(roles=["admin"]),
    }


def valid_form(collectivity, **fields):
    data = {"collectivity_id": str(collectivity.id), "title": "Révision du PLUi",
            "description": "Nous cherchons un urbaniste.\nDeux jours par mois.", "tags": "PLUi",
            "domain": "urbanisme", "modality": "on_site", "estimated_days": "12",
            "start_date": "", "deadline": "", "action": "draft"}
    data.update(fields)
    return data


def make_need(people, status="open", owner="owner", place="rennes", **fields):
    data = {"collectivity_id": people[place].id, "title": "Besoin existant", "description": "Texte",
            "tags": [], "domain": "urbanisme", "modality": "remote", "estimated_days": 5.0}
    data.update(fields)
    need = listings.create_need(people[owner], data, publish=status != "draft")
    if status in ("in_progress", "closed", "cancelled"):
        listings.change_need_status(need, status, people[owner])
    return need


def post(client, url, data, **kwargs):
    return client.post_form(url, data, token_from="/besoins/", **kwargs)


def count(db):
    return db.session.scalar(select(func.count()).select_from(Need))


def test_anonymous_visitors_are_sent_to_login(client, people):
    need = make_need(people)
    for path in ("/besoins/mes", "/besoins/nouveau", f"/besoins/{need.id}/modifier"):
        response = client.get(path)
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_anonymous_visitors_browse_open_needs_without_personal_data(client, people):
    need = make_need(people, title="Besoin public en urbanisme")
    assert "Besoin public en urbanisme" in client.get("/besoins/").get_data(as_text=True)
    page = client.get(f"/besoins/{need.id}").get_data(as_text=True)
    assert "Besoin public en urbanisme" in page and people["owner"].display_name not in page
    draft = make_need(people, status="draft", title="Brouillon privé")
    assert client.get(f"/besoins/{draft.id}").status_code == 404


@pytest.mark.parametrize("who", ["owner", "other_rep", "agent", "admin"])
def test_any_logged_in_user_browses_open_and_in_progress_needs(client, login, people, who):
    make_need(people, title="Besoin ouvert")
    make_need(people, status="in_progress", title="Besoin en cours")
    make_need(people, status="draft", title="Besoin brouillon")
    make_need(people, status="closed", title="Besoin clos")
    login(people[who])
    page = client.get("/besoins/").get_data(as_text=True)
    assert "Besoin ouvert" in page and "Besoin en cours" in page
    assert "Besoin brouillon" not in page and "Besoin clos" not in page


@pytest.mark.parametrize("status", ["draft", "closed", "cancelled"])
@pytest.mark.parametrize("who,code", [("owner", 200), ("admin", 200), ("other_rep", 404), ("agent", 404)])
def test_hidden_needs_exist_only_for_author_and_admin(client, login, people, status, who, code):
    need = make_need(people, status=status)
    login(people[who])
    assert client.get(f"/besoins/{need.id}").status_code == code


def test_detail_lists_every_departement_of_the_collectivity(client, login, people):
    need = make_need(people, owner="other_rep", place="redon")
    login(people["agent"])
    page = client.get(f"/besoins/{need.id}").get_data(as_text=True)
    assert "Redon Agglomération" in page and "35, 44, 56" in page and "Départements" in page


@pytest.mark.parametrize("who", ["agent", "admin"])
def test_only_representatives_post_needs(client, login, people, db, who):
    login(people[who])
    assert client.get("/besoins/nouveau").status_code == 403
    assert post(client, "/besoins/nouveau", valid_form(people["rennes"])).status_code == 403
    assert count(db) == 0


def test_representative_posts_and_opens_a_need(client, login, people, db):
    login(people["owner"])
    start = (date.today() + timedelta(days=7)).isoformat()
    response = post(client, "/besoins/nouveau", valid_form(
        people["rennes"], action="publish", start_date=start, deadline=start))
    assert response.status_code == 302
    need = db.session.scalar(select(Need))
    assert need.status == "open" and need.published_at is not None
    assert need.collectivity_id == people["rennes"].id and need.author_id == people["owner"].id
    detail = client.get(f"/besoins/{need.id}").get_data(as_text=True)
    assert "Nous cherchons un urbaniste.<br>Deux jours par mois." in detail


def test_another_collectivity_cannot_be_chosen(client, login, people, db):
    login(people["owner"])
    page = post(client, "/besoins/nouveau", valid_form(people["redon"])).get_data(as_text=True)
    assert "Choisissez une collectivité pour laquelle vous avez ce rôle" in page
    assert count(db) == 0


PAST = (date.today() - timedelta(days=1)).isoformat()
SOON = (date.today() + timedelta(days=5)).isoformat()
LATER = (date.today() + timedelta(days=50)).isoformat()


@pytest.mark.parametrize("fields,message", [
    ({"title": "T" * 10_000}, "Le titre doit faire entre 5 et 200 caractères."),
    ({"estimated_days": "-2"}, "Indiquez entre 0,5 et 660 jours"),
    ({"estimated_days": "10000"}, "Indiquez entre 0,5 et 660 jours"),
    ({"estimated_days": "0"}, "Indiquez entre 0,5 et 660 jours"),
    ({"estimated_days": "inf"}, "Saisissez un nombre"),
    ({"estimated_days": ""}, "Indiquez un nombre de jours."),
    ({"start_date": PAST}, "La date ne peut pas être dans le passé."),
    ({"deadline": PAST}, "La date ne peut pas être dans le passé."),
    ({"start_date": LATER, "deadline": SOON}, "L'échéance doit suivre la date de début."),
    ({"description": "ligne\x00"}, "caractères de contrôle"),
    ({"description": "mot \ufffd illisible"}, "caractères illisibles"),
    ({"tags": "ok\x00"}, "caractères de contrôle"),
])
def test_bad_input_is_refused_keeps_the_form_and_saves_nothing(client, login, people, db, fields, message):
    login(people["owner"])
    response = post(client, "/besoins/nouveau", valid_form(people["rennes"], **fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "fr-message--error" in page
    typed = fields.get("estimated_days", "12")
    assert f'value="{typed}"' in page
    assert count(db) == 0


def test_estimated_days_accepts_a_french_decimal(client, login, people, db):
    login(people["owner"])
    post(client, "/besoins/nouveau", valid_form(people["rennes"], estimated_days="1,5"))
    assert db.session.scalar(select(Need)).estimated_days == 1.5


def test_script_in_description_is_shown_escaped(client, login, people, db):
    need = make_need(people, description="<script>alert(1)</script>", title="Besoin <i>urgent</i>")
    login(people["agent"])
    for url in (f"/besoins/{need.id}", "/besoins/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<i>urgent</i>" not in page
    page = client.get(f"/besoins/{need.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("status,who,code", [
    ("open", "other_rep", 403), ("open", "agent", 403), ("draft", "other_rep", 404),
])
def test_another_collectivity_representative_cannot_change_a_need(client, login, people, db,
                                                                   status, who, code):
    need = make_need(people, status=status)
    login(people[who])
    assert post(client, f"/besoins/{need.id}/modifier", valid_form(people["rennes"], title="Détourné")).status_code == code
    assert post(client, f"/besoins/{need.id}/statut", {"status": "cancelled"}).status_code == code
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.title == "Besoin existant" and need.status == status


def test_admin_edits_any_need(client, login, people, db):
    need = make_need(people)
    login(people["admin"])
    response = post(client, f"/besoins/{need.id}/modifier", valid_form(people["rennes"], title="Revu par l'admin"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Need, need.id).title == "Revu par l'admin"


def test_author_moves_the_need_to_in_progress_then_closed(client, login, people, db):
    need = make_need(people)
    login(people["owner"])
    for target in ("in_progress", "closed"):
        post(client, f"/besoins/{need.id}/statut", {"status": target})
        db.session.expire_all()
        assert db.session.get(Need, need.id).status == target
    response = post(client, f"/besoins/{need.id}/statut", {"status": "open"}, follow_redirects=True)
    assert "Passage impossible du statut « Clos » au statut « Ouvert »." in response.get_data(as_text=True)
    response = client.get(f"/besoins/{need.id}/modifier", follow_redirects=True)
    assert "ne peut plus être modifié" in response.get_data(as_text=True)


def test_mine_lists_every_status(client, login, people):
    for status in ("draft", "open", "cancelled"):
        make_need(people, status=status, title=f"Mon besoin {status}")
    make_need(people, owner="other_rep", place="redon", title="Besoin de Redon")
    login(people["owner"])
    page = client.get("/besoins/mes").get_data(as_text=True)
    assert all(f"Mon besoin {s}" in page for s in ("draft", "open", "cancelled"))
    assert "Besoin de Redon" not in page
    assert 'value="in_progress"' in page  # the open need can be marked in progress


def test_filter_by_departement_finds_a_collectivity_spanning_several(client, login, people, db):
    from marketplace.models import Departement, Region

    db.session.add_all([Region(code="52", name="Pays de la Loire", vintage="2025"),
                        Departement(code="44", name="Loire-Atlantique", region_code="52", vintage="2025")])
    db.session.commit()
    make_need(people, owner="other_rep", place="redon", title="Besoin à Redon")
    make_need(people, title="Besoin à Rennes")
    login(people["agent"])
    page = client.get("/besoins/?departement=44").get_data(as_text=True)
    assert "Besoin à Redon" in page and "Besoin à Rennes" not in page
    page = client.get("/besoins/?region=52&page=abc").get_data(as_text=True)
    assert "Besoin à Redon" in page and "Besoin à Rennes" not in page
    page = client.get("/besoins/?departement=99").get_data(as_text=True)
    assert "Département inconnu : ce filtre est ignoré." in page and "Besoin à Rennes" in page
