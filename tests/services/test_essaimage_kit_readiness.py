"""The readiness checklist: who fills it, what it accepts, the score; the kit list and its PDF."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.essaimage.services import kit, readiness
from marketplace.models import ReadinessItem
from marketplace.practices.services import editing, essaimage
from tests.fixtures.practices.helpers import alice, make_sheet, place, sheet_data  # noqa: F401 (fixtures)


@pytest.fixture
def sheet(alice, place):
    return make_sheet(alice, place)


ALL_DONE = {item: {"status": "done", "comment": ""} for item in readiness.READINESS_ITEMS}


def test_author_fills_the_checklist_and_the_score_follows(app, db, alice, sheet):
    assert readiness.score(sheet) == 0
    assert [row["status"] for row in readiness.checklist(sheet)] == ["todo"] * 4
    score = readiness.save_checklist(sheet, alice, {
        "documentation": {"status": "done", "comment": "Cahier des charges joint"},
        "costs": {"status": "partial", "comment": ""},
    })
    assert score == 38  # (1 + 0.5) / 4 = 37.5 %, rounded half up
    rows = {row["item"]: row for row in readiness.checklist(sheet)}
    assert rows["documentation"]["comment"] == "Cahier des charges joint"
    assert rows["contacts"]["status"] == "todo" and rows["contacts"]["updated_by"] is None
    assert readiness.save_checklist(sheet, alice, ALL_DONE) == 100
    assert db.session.query(ReadinessItem).filter_by(sheet_id=sheet.id).count() == 4


@pytest.mark.parametrize("statuses, expected", [
    ([], 0), (["todo"] * 4, 0), (["partial"], 13), (["partial", "partial"], 25), (["done"], 25),
    (["done", "done", "partial"], 63), (["unknown"], 0), (["done"] * 3 + ["partial"], 88), (["done"] * 4, 100),
])
def test_score_boundaries(statuses, expected):
    assert readiness.score_of(statuses) == expected


def test_an_editor_may_fill_it_but_not_other_members(app, make_user, make_collectivity, alice, sheet, place):
    elsewhere = make_collectivity("Rennes", departements=("35",), regions=("53",))
    editor = make_user(roles=[("agent", elsewhere)])
    stranger = make_user(roles=[("representative", place)])  # same collectivity, never wrote the sheet
    with pytest.raises(NotAllowed):
        readiness.save_checklist(sheet, stranger, ALL_DONE)
    editing.save_sheet(sheet, editor, sheet_data(place, title="Cantine bio, version revue"), sheet.revision_number)
    assert readiness.save_checklist(sheet, editor, ALL_DONE) == 100
    admin = make_user(roles=["admin"])
    assert readiness.can_edit(admin, sheet)


def test_bad_entries_are_refused_with_their_field(app, alice, sheet):
    with pytest.raises(ServiceError) as error:
        readiness.save_checklist(sheet, alice, {"costs": {"status": "fini", "comment": ""}})
    assert error.value.field == "status_costs"
    with pytest.raises(ServiceError) as error:
        readiness.save_checklist(sheet, alice, {"costs": {"status": "done", "comment": "x" * 1001}})
    assert error.value.field == "comment_costs"
    with pytest.raises(ServiceError):
        readiness.save_checklist(sheet, alice, {"budget": {"status": "done", "comment": ""}})
    assert readiness.score(sheet) == 0  # nothing half-saved


def test_editable_checklist_refuses_unknown_drafts_and_outsiders(app, make_user, alice, place, sheet):
    with pytest.raises(NotFound):
        readiness.editable_checklist(10**6, alice)
    draft = make_sheet(alice, place, status="draft")
    with pytest.raises(NotFound):
        readiness.editable_checklist(draft.id, make_user())  # no role: drafts are hidden
    with pytest.raises(NotAllowed):
        readiness.editable_checklist(sheet.id, make_user(roles=[("agent", place)]))
    found, rows = readiness.editable_checklist(sheet.id, alice)
    assert found.id == sheet.id and len(rows) == 4


def test_kit_list_by_stage_most_ready_first_and_filters(app, make_user, make_collectivity, alice, place):
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    spread = make_sheet(alice, place, title="Pratique reprise")
    ready = make_sheet(alice, place, title="Pratique prête")
    plain = make_sheet(alice, place, title="Pratique brute")
    make_sheet(alice, place, title="Brouillon caché", status="draft")
    essaimage.declare_reuse(spread, make_user(roles=[("representative", rennes)]), rennes.id, "implemented")
    readiness.save_checklist(ready, alice, ALL_DONE)
    titles = [e.sheet.title for e in kit.entries()]
    assert titles == ["Pratique reprise", "Pratique prête", "Pratique brute"]
    assert [stage for stage, _items in kit.by_stage(kit.entries())] == ["several", "local"]
    assert [e.sheet.title for e in kit.entries(stage="local")] == ["Pratique prête", "Pratique brute"]
    assert [e.sheet.title for e in kit.entries(min_score=100)] == ["Pratique prête"]
    assert kit.entries(stage="national") == []
    assert plain.id in {e.sheet.id for e in kit.entries(min_score=0)}


def test_kit_pdf_is_a_pdf_with_the_current_titles(app, alice, place):
    make_sheet(alice, place, title="Cantine bio et locale")
    with app.test_request_context():
        first = kit.kit_pdf()
    covoiturage = make_sheet(alice, place, title="Covoiturage rural solidaire")
    with app.test_request_context():
        second = kit.kit_pdf()
    assert first.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(second)).pages)
    flat = " ".join(text.split())
    assert "Cantine bio et locale" in flat and "Covoiturage rural solidaire" in flat
    assert "Les étapes de l'essaimage" in flat
    first_text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(first)).pages).split())
    assert "Covoiturage rural solidaire" not in first_text
    with app.test_request_context():
        assert kit.kit_pdf() is second  # unchanged content: the kept PDF, not a new conversion
    readiness.save_checklist(covoiturage, alice, ALL_DONE)  # its score moves: a new conversion
    with app.test_request_context():
        third = kit.kit_pdf()
    assert third is not second and b"%PDF" in third[:8]
