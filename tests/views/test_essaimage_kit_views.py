"""The /essaimage/ page, its filters and PDF, the checklist form, and the sheet's kit block."""
from __future__ import annotations

import html
import io
import json
import re

import pytest
from pypdf import PdfReader

from marketplace.essaimage.services import readiness
from marketplace.models import ReadinessItem
from marketplace.practices.services import essaimage
from tests.fixtures.practices.helpers import alice, make_sheet, place  # noqa: F401 (fixtures)
from tests.tools.sessions import sign_in


@pytest.fixture
def sheet(alice, place):
    return make_sheet(alice, place, title="Cantine bio et locale")


def checklist_form(**changes) -> dict:
    data = {}
    for item in readiness.READINESS_ITEMS:
        data[f"status_{item}"] = "done"
        data[f"comment_{item}"] = ""
    data.update(changes)
    return data


def test_kit_page_explains_and_lists_sheets_by_stage(client, make_user, make_collectivity, alice, place, sheet):
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    essaimage.declare_reuse(sheet, make_user(roles=[("representative", rennes)]), rennes.id, "inspired")
    make_sheet(alice, place, title="Covoiturage rural")
    page = client.get("/essaimage/").get_data(as_text=True)
    assert "Ce qui rend une pratique transférable" in page
    assert "au moins 3 collectivités, situées dans au moins 3 régions" in page
    assert page.index("Plusieurs collectivités") < page.index("Cantine bio et locale") < page.index("Covoiturage rural")
    assert "/essaimage/kit.pdf" in page
    filtered = client.get("/essaimage/?etape=local").get_data(as_text=True)
    assert "Covoiturage rural" in filtered and "Cantine bio et locale" not in filtered


@pytest.mark.parametrize("query, message", [
    ("etape=mondial", "Choisissez une étape dans la liste."),
    ("etape=" + "x" * 5000, "Choisissez une étape dans la liste."),
    ("preparation=42", "Choisissez un seuil dans la liste."),
    ("preparation=%3Cscript%3Ealert(1)%3C/script%3E", "Choisissez un seuil dans la liste."),
])
def test_bad_filters_get_a_message_not_a_500(client, sheet, query, message):
    response = client.get(f"/essaimage/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "<script>alert(1)" not in page


def test_readiness_filter(client, alice, place, sheet):
    readiness.save_checklist(sheet, alice, {i: {"status": "done", "comment": ""} for i in readiness.READINESS_ITEMS})
    make_sheet(alice, place, title="Covoiturage rural")
    page = client.get("/essaimage/?preparation=100").get_data(as_text=True)
    assert "Cantine bio et locale" in page and "Covoiturage rural" not in page


def test_kit_pdf_downloads_with_current_titles(client, sheet):
    response = client.get("/essaimage/kit.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Cantine bio et locale" in text


def test_author_fills_the_checklist(client, db, alice, sheet):
    sign_in(client, alice)
    url = f"/essaimage/fiches/{sheet.id}/preparation"
    assert "Documentation" in client.get(url).get_data(as_text=True)
    response = client.post_form(url, checklist_form(status_costs="partial", comment_costs="Budget 2025 joint"),
                                token_from=url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "la fiche est prête à 88 %" in page
    assert "Budget 2025 joint" in page and "Préparation : 88 %" in page
    assert db.session.query(ReadinessItem).filter_by(sheet_id=sheet.id).count() == 4


@pytest.mark.parametrize("changes, field, message", [
    ({"status_costs": "fini"}, "status_costs", "Choisissez « À faire »"),
    ({"status_costs": ""}, "status_costs", "Choisissez « À faire »"),
    ({"comment_contacts": "x" * 1001}, "comment_contacts", "1000 caractères"),
])
def test_bad_checklist_input_is_shown_next_to_the_field(client, db, alice, sheet, changes, field, message):
    sign_in(client, alice)
    url = f"/essaimage/fiches/{sheet.id}/preparation"
    response = client.post_form(url, checklist_form(**changes), token_from=url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-messages"' in page and message in page
    assert db.session.query(ReadinessItem).count() == 0


def test_html_in_a_comment_is_escaped(client, alice, sheet):
    sign_in(client, alice)
    url = f"/essaimage/fiches/{sheet.id}/preparation"
    client.post_form(url, checklist_form(comment_conditions="<script>alert(1)</script>"), token_from=url)
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_who_may_open_the_checklist(client, make_user, alice, place, sheet):
    url = f"/essaimage/fiches/{sheet.id}/preparation"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    sign_in(client, make_user(roles=[("agent", place)]))  # a member who never wrote the sheet
    assert client.get(url).status_code == 403
    assert client.post_form(url, checklist_form(), token_from="/essaimage/").status_code == 403
    sign_in(client, make_user(verified=True))  # no role: a draft does not exist, a sheet is not theirs
    assert client.get(url).status_code == 403
    assert client.get("/essaimage/fiches/999999/preparation").status_code == 404
    draft = make_sheet(alice, place, status="draft")
    assert client.get(f"/essaimage/fiches/{draft.id}/preparation").status_code == 404


def test_sheet_page_shows_stage_map_table_and_contact(client, make_user, make_collectivity, alice, sheet):
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    essaimage.declare_reuse(sheet, make_user(roles=[("representative", rennes)]), rennes.id, "implemented")
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert "Étape : Plusieurs collectivités" in page
    data = json.loads(html.unescape(re.search(r"<map-chart data='([^']*)'", page).group(1)))
    assert (data["35"], data["69"], data["2A"], data["971"]) == (1, 1, 0, 0)  # every département coloured
    assert len(data) == 101
    assert 'id="kit-map-table"' in page and "Rennes (mise en place)" in page
    assert "La pratique a été menée par Lyon" in page and "Alice" in page
    assert alice.email not in page  # visitors see names, not addresses
    assert "Remplir la liste de préparation" not in page
    sign_in(client, alice)
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert f"mailto:{alice.email}" in page and "Remplir la liste de préparation" in page
