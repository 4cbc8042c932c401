"""Resources of a sheet: files checked by content and size, links http(s) only."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from marketplace.models import PracticeAttachment
from marketplace.practices.services import uploads
from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from tests.fixtures.practices.helpers import EXE, ELF, PDF, PNG, docx_bytes, make_sheet, odt_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "practices"


@pytest.fixture
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def member(make_user, make_collectivity):
    place = make_collectivity("Lyon")
    return make_user(roles=[("agent", place)])


@pytest.fixture
def sheet(member):
    return make_sheet(member, member.roles[0].collectivity)


@pytest.mark.parametrize("content, name, mime", [
    (PDF, "guide.pdf", "application/pdf"),
    (PNG, "photo.png", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.JPG", "image/jpeg"),
    (odt_bytes(), "compte-rendu.odt", "application/vnd.oasis.opendocument.text"),
    (docx_bytes(), "note.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("commune;repas\nLyon;120\n".encode(), "chiffres.csv", "text/csv"),
    ("Notes en français, déjà testées.".encode(), "notes.txt", "text/plain"),
], ids=["pdf", "png", "jpeg", "odt", "docx", "csv", "txt"])  # stable ids: zips carry timestamps
def test_allowed_files_are_stored_with_their_sniffed_type(app, upload_dir, member, sheet,
                                                          content, name, mime):
    attachment = uploads.add_file(sheet, member, io.BytesIO(content), name)
    assert attachment.mime_type == mime
    assert attachment.size == len(content)
    assert attachment.original_name == name
    stored = uploads.file_path(attachment)
    assert stored.parent == upload_dir and stored.name != name
    assert stored.read_bytes() == content


def test_sample_pdf_fixture(app, upload_dir, member, sheet):
    with open(FIXTURES / "sample.pdf", "rb") as handle:
        assert uploads.add_file(sheet, member, handle, "sample.pdf").mime_type == "application/pdf"


@pytest.mark.parametrize("content", [EXE, ELF, b"#!/bin/sh\nrm -rf /\n"], ids=["exe", "elf", "script"])
def test_executable_renamed_pdf_is_refused(app, db, upload_dir, member, sheet, content):
    with pytest.raises(ServiceError) as caught:
        uploads.add_file(sheet, member, io.BytesIO(content), "rapport.pdf")
    assert "exécutable" in caught.value.message
    assert db.session.query(PracticeAttachment).count() == 0
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_executable_fixture_file_is_refused(app, upload_dir, member, sheet):
    with open(FIXTURES / "programme.pdf", "rb") as handle, pytest.raises(ServiceError):
        uploads.add_file(sheet, member, handle, "programme.pdf")


def test_oversize_file_is_refused(app, db, upload_dir, member, sheet):
    too_big = PDF + b"0" * (uploads.DEFAULT_MAX_BYTES)
    with pytest.raises(ServiceError) as caught:
        uploads.add_file(sheet, member, io.BytesIO(too_big), "gros.pdf")
    assert "taille maximale de 10.0 Mo" in caught.value.message
    assert db.session.query(PracticeAttachment).count() == 0


def test_size_limit_follows_the_configuration(app, upload_dir, member, sheet):
    app.config["PRACTICE_UPLOAD_MAX_BYTES"] = 10
    with pytest.raises(ServiceError):
        uploads.add_file(sheet, member, io.BytesIO(PDF), "petit.pdf")


@pytest.mark.parametrize("content, name", [
    (PNG, "image.pdf"),  # content and extension disagree
    (b"\x00\x01\x02binary", "data.txt"),
    (b"PK\x03\x04not really a zip", "x.docx"),
    (b"", "vide.pdf"),
    ("\u00e9".encode("latin-1") * 10, "latin.txt"),
], ids=["png-as-pdf", "binary-txt", "fake-zip", "empty", "latin1-txt"])
def test_unknown_or_mismatched_content_is_refused(app, upload_dir, member, sheet, content, name):
    with pytest.raises(ServiceError):
        uploads.add_file(sheet, member, io.BytesIO(content), name)


def test_path_in_filename_is_dropped(app, upload_dir, member, sheet):
    attachment = uploads.add_file(sheet, member, io.BytesIO(PDF), "../../etc/passwd.pdf")
    assert attachment.original_name == "passwd.pdf"
    assert uploads.file_path(attachment).parent == upload_dir


def test_non_member_cannot_upload(app, upload_dir, make_user, sheet):
    with pytest.raises(NotAllowed):
        uploads.add_file(sheet, make_user(roles=()), io.BytesIO(PDF), "a.pdf")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.fr/a",
                                 "https://", "www.example.fr"])
def test_links_must_be_http(app, member, sheet, url):
    with pytest.raises(ServiceError):
        uploads.add_link(sheet, member, url, "Lien")


def test_link_is_stored(app, member, sheet):
    link = uploads.add_link(sheet, member, "https://www.collectivites-locales.gouv.fr", "Guide")
    assert (link.kind, link.title) == ("link", "Guide")
    with pytest.raises(Exception):
        uploads.file_path(link)


def test_remove_withdraws_but_keeps_the_file_for_a_revert(app, upload_dir, member, sheet):
    attachment = uploads.add_file(sheet, member, io.BytesIO(PDF), "a.pdf")
    path = uploads.file_path(attachment)
    uploads.remove(attachment, member)
    assert path.exists()  # a revert brings it back
    assert attachment.removed_at is not None
    assert uploads.live_attachments(sheet) == []
    with pytest.raises(NotFound):
        uploads.file_path(attachment)
