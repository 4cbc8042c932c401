"""Raw exports of the offer and need lists: CSV and XLSX, filtered like the page, headers in the
reader's language, ISO dates, formulas neutralised, streamed in batches."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from marketplace.core.extensions import db as _db
from marketplace.exports import datasets
from tests.pairing_world import offer, w  # noqa: F401 (fixture)
from tests.views.test_i18n import english  # noqa: F401 (fixture)


def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_lists_what_the_page_lists(client, login, w):
    offer(w["agent"], w["home"], title="Cartographie des réseaux", domain="urbanisme")
    login(w["representative"])
    response = client.get("/offres/export.csv?domain=urbanisme")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="essaim-offres-')
    assert response.headers["Cache-Control"] == "no-store"
    table = read_csv(response)
    assert table[0][:3] == ["Identifiant", "Titre", "Domaine"]
    assert [row[1] for row in table[1:]] == ["Cartographie des réseaux"]  # the filter applied
    assert table[1][8][:10] == date.today().isoformat()  # published_at in ISO 8601


def test_xlsx_export_reads_back_with_english_headers(english, client, login, w):
    w["agent"].preferred_language = "en"
    _db.session.commit()
    login(w["agent"])
    response = client.get("/besoins/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["Identifier", "Title", "Field"]
    assert values[1][1] == "Refonte de nos marchés"
    assert values[1][6] == "69"


def test_formulas_are_neutralised(client, login, w):
    offer(w["agent"], w["home"], title="=HYPERLINK(\"http://x\")")
    login(w["agent"])
    table = read_csv(client.get("/offres/export.csv"))
    assert any(row[1].startswith("'=") for row in table[1:])


@pytest.mark.parametrize("url", ["/offres/export.pdf", "/offres/export.", "/besoins/export.csv%00"])
def test_unknown_formats_are_404(client, login, w, url):
    login(w["agent"])
    assert client.get(url).status_code == 404


def test_export_requires_login(client, w):
    assert client.get("/offres/export.csv").status_code in (302, 401)


def test_bad_filters_are_ignored_like_on_the_page(client, login, w):
    login(w["agent"])
    response = client.get("/offres/export.csv?domain=%FF&page=99999999999999999999&departement=ZZ")
    assert response.status_code == 200


def test_rows_leave_the_session_batch_by_batch(app, w, monkeypatch):
    from marketplace.listings import query as listing_query
    from marketplace.listings.services import OFFER

    for n in range(5):
        offer(w["agent"], w["home"], title=f"Offre numéro {n}")
    monkeypatch.setattr(datasets, "BATCH", 2)
    rows = datasets.rows(listing_query.filtered(OFFER, listing_query.parse_filters({})), datasets.OFFER_COLUMNS)
    first = next(rows)
    held = {obj.id for obj in _db.session.identity_map.values() if type(obj).__name__ == "SkillOffer"}
    assert first[1] and len(held - {w["offer"].id}) <= 2  # one batch, plus the offer the fixture holds
    assert len(list(rows)) == 5  # 6 offers in all


def test_practice_sheets_export_follows_the_list_filters(app, client, db, make_collectivity, make_user):
    from tests.fixtures.practices.helpers import make_sheet

    lyon = make_collectivity("Lyon")
    author = make_user(roles=[("agent", lyon)])
    make_sheet(author, lyon, title="Cantine sans gaspillage", domain="education")
    make_sheet(author, lyon, title="Marchés publics simplifiés", domain="marches_publics")
    page = client.get("/pratiques/?domaine=education").get_data(as_text=True)
    assert "/pratiques/export.csv?domaine=education" in page
    table = read_csv(client.get("/pratiques/export.csv?domaine=education"))
    assert table[0][:2] == ["Identifiant", "Titre"]
    assert [row[1] for row in table[1:]] == ["Cantine sans gaspillage"]
    assert client.get("/pratiques/export.pdf").status_code == 404


def test_pairings_export_lists_the_parties_pairings_with_days_and_feedback(client, login, w):
    from marketplace.pairings.services import queue

    queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    login(w["agent"])
    assert "/rapprochements/export.xlsx" in client.get("/rapprochements/").get_data(as_text=True)
    table = read_csv(client.get("/rapprochements/export.csv"))
    assert table[0][:3] == ["Identifiant", "Besoin", "Collectivité d'accueil"]
    assert [row[1] for row in table[1:]] == ["Refonte de nos marchés"]
    assert table[1][2] == "Lyon" and table[1][4] == "Camille Martin"
    assert client.get("/rapprochements/export.odt").status_code == 404


def test_pairings_export_shows_nothing_of_others(client, login, w):
    from marketplace.pairings.services import queue

    queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    login(w["other_rep"])  # a référent of Lille, no party to the Lyon pairing
    assert read_csv(client.get("/rapprochements/export.csv"))[1:] == []


def test_suggestions_export_follows_the_queue_filters_and_scope(app, client, login, w):
    login(w["coordinator"])
    assert "/coordination/export.csv" in client.get("/coordination/").get_data(as_text=True)
    table = read_csv(client.get("/coordination/export.csv?departement=69"))
    assert table[0][:2] == ["Suggestion", "Pertinence"]
    assert [row[3] for row in table[1:]] == ["Refonte de nos marchés"]
    assert read_csv(client.get("/coordination/export.csv?departement=59"))[1:] == []
    assert client.get("/coordination/export.csv?min_score=abc").status_code == 400
    from tests.conftest import FormClient
    from tests.tools.sessions import sign_in

    other = FormClient(app.test_client())
    sign_in(other, w["far_coordinator"])  # the Nord's coordinator does not see the Rhône's queue
    assert read_csv(other.get("/coordination/export.csv"))[1:] == []
