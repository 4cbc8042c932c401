"""Practice pages: roles allowed and refused, editing with conflicts, Markdown, resources."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from tests.tools.sessions import sign_in, sign_out  # noqa: F401

from marketplace.models import PracticeAttachment, PracticeRevision, PracticeSheet
from marketplace.practices.services import editing
from tests.fixtures.practices.helpers import (  # noqa: F401 (alice, place: fixtures)
    EXE, PDF, alice, form_data, make_sheet, place, sheet_data)



@pytest.fixture
def sheet(alice, place):
    return make_sheet(alice, place)


@pytest.fixture
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


ROLES = {
    "agent": lambda place: ("agent", place),
    "representative": lambda place: ("representative", place),
    "approver": lambda place: ("approver", place),
    "coordinator": lambda place: ("coordinator", {"departements": ["69"]}),
    "admin": lambda place: "admin",
}


def test_login_through_the_real_form(client, login, alice):
    login(alice)
    assert client.get("/pratiques/nouvelle").status_code == 200


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_member_role_may_create_and_edit(client, db, make_user, place, sheet, role):
    user = make_user(roles=[ROLES[role](place)])
    sign_in(client, user)
    assert client.get(f"/pratiques/{sheet.id}/modifier").status_code == 200
    response = client.post_form(f"/pratiques/{sheet.id}/modifier",
                                form_data(place, summary=f"Relu par {role}", base_revision="1"),
                                token_from="/pratiques/")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.get(PracticeSheet, sheet.id).summary == f"Relu par {role}"


def test_anonymous_is_sent_to_login(client, sheet):
    response = client.get(f"/pratiques/{sheet.id}/modifier")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize("inactive", [False, True])
def test_non_member_cannot_edit(client, db, make_user, place, sheet, inactive):
    if inactive:
        user = make_user(roles=[("agent", place)])
        user.roles[0].active = False  # a requested role not yet granted
        db.session.commit()
    else:
        user = make_user(roles=())
    sign_in(client, user)
    assert client.get(f"/pratiques/{sheet.id}/modifier").status_code == 403
    assert client.get("/pratiques/nouvelle").status_code == 403
    response = client.post_form(f"/pratiques/{sheet.id}/modifier",
                                form_data(place, title="Vandalisme", base_revision="1"),
                                token_from="/pratiques/")
    assert response.status_code == 403
    assert db.session.get(PracticeSheet, sheet.id).title != "Vandalisme"


def test_create_sheet_through_the_form(client, db, alice, place):
    sign_in(client, alice)
    response = client.post_form("/pratiques/nouvelle", form_data(place, comment="Première version"),
                                token_from="/pratiques/")
    assert response.status_code == 302
    sheet = db.session.query(PracticeSheet).one()
    assert sheet.tags == ["cantine", "circuits courts"] and sheet.status == "published"
    page = client.get(f"/pratiques/{sheet.id}").get_data(as_text=True)
    assert "Cantine 100 % bio et locale" in page and "Première version" not in page


def test_invalid_form_keeps_what_was_typed(client, db, alice, place):
    sign_in(client, alice)
    response = client.post_form("/pratiques/nouvelle",
                                form_data(place, title="", summary="Mon long résumé", days="-3"),
                                token_from="/pratiques/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Donnez un titre à la fiche." in page and "Mon long résumé" in page
    assert "Indiquez un nombre de jours entre 0 et 10 000." in page
    assert db.session.query(PracticeSheet).count() == 0


def test_two_people_saving_at_once(client, app, db, make_user, place, sheet):
    """Both open the form on version 1; the first save wins, the second gets a conflict,
    sees both versions and keeps their text."""
    bruno = make_user(name="Bruno", roles=[("agent", place)])
    editing.save_sheet(sheet, bruno, sheet_data(place, summary="Texte de Bruno"), 1, "Bruno")
    alice_client = client
    sign_in(alice_client, sheet.created_by)
    response = alice_client.post_form(
        f"/pratiques/{sheet.id}/modifier",
        form_data(place, summary="Texte d'Alice, long et précieux", base_revision="1"),
        token_from="/pratiques/")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "pendant que vous la modifiiez" in page
    assert "Texte d&#39;Alice, long et précieux" in page  # still in the form
    assert "Texte de Bruno" in page  # the saved version is shown next to it
    assert 'name="base_revision" type="hidden" value="2"' in page
    assert db.session.get(PracticeSheet, sheet.id).summary == "Texte de Bruno"
    # Having seen both, Alice saves on the new base: nothing is lost.
    response = alice_client.post_form(
        f"/pratiques/{sheet.id}/modifier",
        form_data(place, summary="Texte de Bruno et d'Alice", base_revision="2"), token_from="/pratiques/")
    assert response.status_code == 302
    assert db.session.query(PracticeRevision).filter_by(sheet_id=sheet.id).count() == 3


def test_script_injection_is_not_rendered(client, alice, place):
    evil = make_sheet(alice, place, summary='<script>alert("x")</script>Bonjour',
                      problem='<img src=x onerror="alert(1)"> [lien](javascript:alert(1))',
                      results="[data](data:text/html;base64,PHNjcmlwdD4=)")
    page = client.get(f"/pratiques/{evil.id}").get_data(as_text=True)
    body = page.split('id="contenu"')[1].split("</main>")[0]
    assert "<script" not in body and "onerror" not in body
    assert "javascript:" not in body and "data:text" not in body
    assert "Bonjour" in body


def test_history_diff_and_revert(client, db, make_user, place, alice, sheet):
    bruno = make_user(name="Bruno", roles=[("agent", place)])
    editing.save_sheet(sheet, bruno, sheet_data(place, results="<b>99 %</b> local"), 1, "résultats")
    sign_in(client, alice)
    history = client.get(f"/pratiques/{sheet.id}/historique").get_data(as_text=True)
    assert "résultats" in history and "Bruno" in history
    diff = client.get(f"/pratiques/{sheet.id}/comparer?de=1&a=2").get_data(as_text=True)
    assert "&lt;b&gt;99 %&lt;/b&gt; local" in diff and "<ins>" in diff
    first = editing.get_revision(sheet, 1)
    response = client.post_form(f"/pratiques/{sheet.id}/retablir",
                                {"item_id": first.id, "base_revision": "2"}, token_from="/pratiques/")
    assert response.status_code == 302
    db.session.refresh(sheet)
    assert sheet.results == "60 % de produits locaux." and sheet.revision_number == 3


def test_diff_and_revert_refuse_another_sheets_revision(client, db, alice, place, sheet):
    other = make_sheet(alice, place, title="Autre")
    sign_in(client, alice)
    assert client.get(f"/pratiques/{sheet.id}/comparer?de=1&a=2").status_code == 404
    assert client.get(f"/pratiques/{sheet.id}/comparer?de=x&a=1").status_code == 404
    foreign = editing.current_revision(other)
    response = client.post_form(f"/pratiques/{sheet.id}/retablir",
                                {"item_id": foreign.id, "base_revision": "1"}, token_from="/pratiques/")
    assert response.status_code == 404
    assert db.session.query(PracticeRevision).filter_by(sheet_id=sheet.id).count() == 1


def test_drafts_hidden_from_outsiders(client, make_user, alice, place):
    draft = make_sheet(alice, place, status="draft", title="Brouillon secret")
    assert client.get(f"/pratiques/{draft.id}").status_code == 404
    assert "Brouillon secret" not in client.get("/pratiques/").get_data(as_text=True)
    sign_in(client, alice)
    assert client.get(f"/pratiques/{draft.id}").status_code == 200


def test_upload_and_download(client, db, upload_dir, alice, sheet):
    sign_in(client, alice)
    response = client.post_form(f"/pratiques/{sheet.id}/ressources",
                                {"file": (io.BytesIO(PDF), "guide.pdf"), "title": "Guide"},
                                token_from="/pratiques/", content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.query(PracticeAttachment).one()
    download = client.get(f"/pratiques/ressources/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"


def test_executable_renamed_pdf_refused_with_message(client, db, upload_dir, alice, sheet):
    sign_in(client, alice)
    response = client.post_form(f"/pratiques/{sheet.id}/ressources",
                                {"file": (io.BytesIO(EXE), "rapport.pdf")}, token_from="/pratiques/",
                                content_type="multipart/form-data", follow_redirects=True)
    assert "programme exécutable" in response.get_data(as_text=True)
    assert db.session.query(PracticeAttachment).count() == 0


def test_oversize_upload_refused_with_message(client, app, db, upload_dir, alice, sheet):
    app.config["PRACTICE_UPLOAD_MAX_BYTES"] = 1024
    sign_in(client, alice)
    response = client.post_form(f"/pratiques/{sheet.id}/ressources",
                                {"file": (io.BytesIO(PDF + b"0" * 2048), "gros.pdf")}, token_from="/pratiques/",
                                content_type="multipart/form-data", follow_redirects=True)
    assert "dépasse la taille maximale" in response.get_data(as_text=True)
    assert db.session.query(PracticeAttachment).count() == 0


def test_non_member_cannot_upload(client, db, make_user, upload_dir, sheet):
    sign_in(client, make_user(roles=()))
    response = client.post_form(f"/pratiques/{sheet.id}/ressources",
                                {"file": (io.BytesIO(PDF), "a.pdf")}, token_from="/pratiques/",
                                content_type="multipart/form-data")
    assert response.status_code == 403


def test_javascript_link_refused(client, db, alice, sheet):
    sign_in(client, alice)
    response = client.post_form(f"/pratiques/{sheet.id}/liens",
                                {"url": "javascript://alert(1)", "link_title": "x"},
                                token_from="/pratiques/", follow_redirects=True)
    assert "http:// ou https://" in response.get_data(as_text=True)
    assert db.session.query(PracticeAttachment).count() == 0


def test_coordinator_without_collectivity_names_one_by_code(client, db, make_user, make_collectivity):
    brest = make_collectivity("Brest", code="29019", departements=("29",), regions=("53",))
    sign_in(client, make_user(roles=[("coordinator", {"regions": ["53"]})]))
    data = form_data(brest, collectivity_id="", collectivity_query="00000")
    page = client.post_form("/pratiques/nouvelle", data, token_from="/pratiques/").get_data(as_text=True)
    assert "Collectivité introuvable" in page
    assert db.session.query(PracticeSheet).count() == 0
    data["collectivity_query"] = "29019"
    assert client.post_form("/pratiques/nouvelle", data, token_from="/pratiques/").status_code == 302
    assert db.session.query(PracticeSheet).one().collectivity_id == brest.id


def test_missing_collectivity_is_said(client, db, make_user):
    sign_in(client, make_user(roles=["admin"]))
    data = form_data(SimpleNamespace(id=""), collectivity_query="")  # an admin has no collectivity
    page = client.post_form("/pratiques/nouvelle", data, token_from="/pratiques/").get_data(as_text=True)
    assert "Choisissez la collectivité où la pratique a été menée." in page
    assert db.session.query(PracticeSheet).count() == 0
