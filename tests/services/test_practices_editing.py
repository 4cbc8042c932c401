"""Wiki editing of practice sheets: revisions, conflicts, history, diff, revert, rendering."""
from __future__ import annotations

import pytest
from marketplace.core.errors import NotAllowed, NotFound, ServiceError

from marketplace.models import PracticeRevision
from marketplace.practices.services import editing
from marketplace.practices.services.access import EditConflict
from marketplace.practices.services.diff import diff_table, field_changes
from marketplace.practices.services.render import render_markdown
from tests.fixtures.practices.helpers import alice, make_sheet, place, sheet_data  # noqa: F401 (fixtures)


@pytest.fixture
def bruno(make_user, place):
    return make_user(name="Bruno", roles=[("representative", place)])


def test_create_makes_first_revision(app, alice, place):
    sheet = make_sheet(alice, place)
    revisions = editing.history(sheet)
    assert [r.number for r in revisions] == [1]
    assert revisions[0].author_id == alice.id
    assert revisions[0].content["title"] == sheet.title
    assert sheet.current_revision_id == revisions[0].id


def test_each_save_is_a_revision_with_author_and_comment(app, alice, bruno, place):
    sheet = make_sheet(alice, place)
    editing.save_sheet(sheet, bruno, sheet_data(place, results="75 % local"), 1, "chiffres 2025")
    latest = editing.current_revision(sheet)
    assert (latest.number, latest.author_id, latest.comment) == (2, bruno.id, "chiffres 2025")
    assert sheet.results == "75 % local"


def test_stale_base_is_a_conflict_and_nothing_is_overwritten(app, alice, bruno, place):
    sheet = make_sheet(alice, place)
    editing.save_sheet(sheet, alice, sheet_data(place, summary="Version d'Alice"), 1)
    with pytest.raises(EditConflict) as caught:
        editing.save_sheet(sheet, bruno, sheet_data(place, summary="Version de Bruno"), 1)
    assert caught.value.current.number == 2
    assert "pendant que vous la modifiiez" in caught.value.message
    assert sheet.summary == "Version d'Alice"
    assert len(editing.history(sheet)) == 2


def test_concurrent_transactions_cannot_both_save(app, db, alice, bruno, place):
    """Two saves that both passed the base check: the row lock version refuses the second."""
    from sqlalchemy import update

    from marketplace.models import PracticeSheet

    sheet = make_sheet(alice, place)
    # Another process saved meanwhile: the row changed under our loaded object.
    db.session.execute(update(PracticeSheet).where(PracticeSheet.id == sheet.id)
                       .values(lock_version=PracticeSheet.lock_version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(EditConflict):
        editing.save_sheet(sheet, bruno, sheet_data(place, summary="Bruno"), 1)
    assert db.session.query(PracticeRevision).count() == 1


def test_non_member_cannot_create_or_edit(app, make_user, alice, place):
    outsider = make_user(roles=())
    with pytest.raises(NotAllowed):
        editing.create_sheet(outsider, sheet_data(place))
    sheet = make_sheet(alice, place)
    with pytest.raises(NotAllowed):
        editing.save_sheet(sheet, outsider, sheet_data(place, title="Vandalisme"), 1)
    assert sheet.title != "Vandalisme"


@pytest.mark.parametrize("field, value", [
    ("title", ""), ("title", "x" * 201), ("domain", "inconnu"), ("days", -1.0),
    ("collectivity_id", 999999),
])
def test_bad_input_names_the_field(app, alice, place, field, value):
    with pytest.raises(ServiceError) as caught:
        editing.create_sheet(alice, sheet_data(place, **{field: value}))
    assert caught.value.field == field


def test_bad_status_refused(app, alice, place):
    with pytest.raises(ServiceError):
        editing.create_sheet(alice, sheet_data(place, status="deleted"))


def test_revert_creates_a_new_revision_equal_to_the_old(app, alice, bruno, place):
    sheet = make_sheet(alice, place)
    first = editing.current_revision(sheet)
    editing.save_sheet(sheet, bruno, sheet_data(place, summary="Moins bien"), 1)
    revision = editing.revert(sheet, alice, first.id, 2)
    assert revision.number == 3
    assert sheet.summary == first.content["summary"]
    assert revision.content == first.content
    assert "version 1" in revision.comment


def test_revert_to_another_sheets_revision_is_refused(app, alice, place):
    sheet = make_sheet(alice, place)
    other = make_sheet(alice, place, title="Autre fiche")
    foreign = editing.current_revision(other)
    with pytest.raises(NotFound):
        editing.revert(sheet, alice, foreign.id, 1)
    assert sheet.title == "Cantine 100 % bio et locale"
    assert len(editing.history(sheet)) == 1


def test_get_revision_stays_within_the_sheet(app, alice, place):
    sheet = make_sheet(alice, place)
    make_sheet(alice, place, title="Autre")
    with pytest.raises(NotFound):
        editing.get_revision(sheet, 2)


def test_diff_shows_changed_fields_escaped(app, alice, place):
    old = sheet_data(place)
    new = sheet_data(place, summary="<script>alert(1)</script>", tags=["bio"])
    names = [name for name, _rows in field_changes(old, new)]
    assert names == ["summary", "tags"]
    html = str(diff_table(old, new, "v1", "v2"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<del>" in html and "<ins>" in html


def test_diff_of_identical_versions(app, place):
    assert "Aucune différence" in str(diff_table(sheet_data(place), sheet_data(place), "a", "b"))


@pytest.mark.parametrize("source, forbidden", [
    ("<script>alert(1)</script>texte", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<p onclick="alert(1)">clic</p>', "onclick"),
    ("[piège](javascript:alert(1))", "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ('<iframe src="https://mal.example"></iframe>', "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
])
def test_markdown_is_sanitised(app, source, forbidden):
    html = str(render_markdown(source)).lower()
    assert forbidden.lower() not in html


def test_markdown_keeps_safe_formatting_and_links(app):
    html = str(render_markdown("## Titre\n\n**gras** [site](https://example.fr) [mail](mailto:a@b.fr)"))
    assert "<h2>Titre</h2>" in html and "<strong>gras</strong>" in html
    assert 'href="https://example.fr"' in html and 'href="mailto:a@b.fr"' in html
    assert 'rel="noopener noreferrer"' in html


def test_plain_text_excerpt_drops_markup_and_scripts(app):
    from marketplace.practices.services.render import plain_text

    text = plain_text("**Cantine** [bio](https://x.fr)\n\n<script>alert(1)</script>\n\n<b onclick=x>ok</b>")
    assert text == "Cantine bio ok"
    assert plain_text(None) == ""
