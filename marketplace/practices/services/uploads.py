"""Resources of a sheet: uploaded files checked by their content, and web links.

The type is read from the first bytes (magic numbers), never trusted from the name or the browser:
an executable renamed .pdf is refused. Files live under UPLOAD_DIR (instance/uploads by default),
outside static/, under a random name, and are only served as downloads.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import PracticeAttachment, PracticeRevision, PracticeSheet
from marketplace.models.base import utcnow
from marketplace.practices.services.access import require_attachment_remover, require_member
from marketplace.practices.services.editing import record_resource_change
from marketplace.core.forms import clean_file_name

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
}
# OOXML packages are recognised by the main part their [Content_Types].xml declares.
OOXML_PARTS = {
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "ppt/presentation.xml": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)),
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")


def max_bytes() -> int:
    """The largest file accepted (PRACTICE_UPLOAD_MAX_BYTES, 10 MB by default)."""
    return int(current_app.config.get("PRACTICE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_dir() -> Path:
    """Where files are stored (UPLOAD_DIR, else instance/uploads)."""
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def _zip_type(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            if declared in ODF_TYPES:
                return declared, ODF_TYPES[declared]
            return None
        if "[Content_Types].xml" in names:
            for part, found in OOXML_PARTS.items():
                if part in names:
                    return found
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError):
        return None
    return None


def sniff(data: bytes) -> tuple[str, tuple[str, ...]]:
    """(mime type, accepted extensions) read from the content; ServiceError when not allowed."""
    if data.startswith(EXECUTABLE_MAGIC):
        raise ServiceError(_("Ce fichier est un programme exécutable : il est refusé, "
                              "quel que soit son nom."), "file")
    if data.startswith(b"%PDF-"):
        return "application/pdf", (".pdf",)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", (".png",)
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", (".jpg", ".jpeg")
    if data.startswith(b"PK\x03\x04"):
        found = _zip_type(data)
        if found:
            return found
    elif b"\x00" not in data:
        try:
            data.decode("utf-8")
            return "text/plain", (".txt", ".csv", ".md")
        except UnicodeDecodeError:
            pass
    raise ServiceError(_("Type de fichier non accepté. Formats acceptés : PDF, PNG, JPEG, "
                          "documents OpenDocument ou Office, texte ou CSV en UTF-8."), "file")


def read_limited(stream) -> bytes:
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(_("Le fichier dépasse la taille maximale de %(mb)s Mo.",
                              mb=round(limit / 1024 / 1024, 1)), "file")
    if not data:
        raise ServiceError(_("Le fichier est vide."), "file")
    return data


def check_upload(stream, filename: str) -> tuple[bytes, str, str]:
    """Read an upload within the size limit and check its type by content against its extension;
    (data, cleaned file name, mime type), or a ServiceError on the "file" field. Shared by every
    feature that takes files (practice sheets, communities)."""
    data = read_limited(stream)
    mime, extensions = sniff(data)
    name = clean_file_name(filename)
    extension = os.path.splitext(name)[1].lower()
    if extension not in extensions:
        raise ServiceError(_("Le contenu du fichier ne correspond pas à son extension "
                              "(attendu : %(ext)s).", ext=", ".join(extensions)), "file")
    if mime == "text/plain" and extension == ".csv":
        mime = "text/csv"
    return data, name, mime


def store_upload(data: bytes, name: str, mime: str, make_row):
    """Write a checked file under a random name (atomically), then add the row `make_row(**file)`
    builds from its file fields; the file is removed again when the row cannot be saved."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    temporary = directory / f".{stored}.part"
    temporary.write_bytes(data)
    os.replace(temporary, directory / stored)
    try:
        row = make_row(original_name=name, stored_name=stored, mime_type=mime, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest())
        db.session.add(row)
        db.session.flush()
    except Exception:
        (directory / stored).unlink(missing_ok=True)  # no orphan file when the row is not saved
        raise
    return row


@transactional
def add_file(sheet: PracticeSheet, user, stream, filename: str, title: str = "") -> PracticeAttachment:
    """Check and store an uploaded file for a sheet; nothing is kept when it is refused."""
    require_member(user)
    data, name, mime = check_upload(stream, filename)
    return store_upload(data, name, mime, lambda **file: PracticeAttachment(
        sheet_id=sheet.id, kind="file", title=(title or "").strip()[:200] or name, uploader_id=user.id, **file))


@transactional
def add_link(sheet: PracticeSheet, user, url: str, title: str) -> PracticeAttachment:
    """A web resource for a sheet: http or https only."""
    require_member(user)
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 1000:
        raise ServiceError(_("Indiquez une adresse web commençant par http:// ou https://."), "url")
    title = (title or "").strip()[:200]
    if not title:
        raise ServiceError(_("Donnez un titre au lien."), "title")
    link = PracticeAttachment(sheet_id=sheet.id, kind="link", title=title, url=url, uploader_id=user.id)
    db.session.add(link)
    db.session.flush()
    return link


def file_path(attachment: PracticeAttachment) -> Path:
    """Where a stored file is on disk (NotFound when it is a link, withdrawn or missing)."""
    if attachment.kind != "file" or not attachment.stored_name or attachment.removed_at is not None:
        raise NotFound(_("Ce document n'est pas disponible."))
    path = upload_dir() / attachment.stored_name
    if not path.is_file():
        raise NotFound(_("Ce document n'est pas disponible."))
    return path


@transactional
def remove(attachment: PracticeAttachment, user) -> PracticeRevision:
    """Withdraw a resource from its sheet, as a new revision of the sheet that can be reverted.

    Only the uploader, the sheet's editors of its collectivity or an admin may do it. The row and
    the file stay (a revert restores them); collections that point to it show it as withdrawn.
    """
    sheet = db.session.get(PracticeSheet, attachment.sheet_id)
    require_attachment_remover(user, attachment, sheet)
    if attachment.removed_at is not None:
        raise ServiceError(_("Cette ressource a déjà été retirée."))
    attachment.removed_at = utcnow()
    db.session.flush()
    return record_resource_change(sheet, user, _("Ressource « %(t)s » retirée", t=attachment.title))


def live_attachments(sheet: PracticeSheet) -> list[PracticeAttachment]:
    """The sheet's resources that are not withdrawn, in the order they were added."""
    return list(db.session.scalars(select(PracticeAttachment).where(
        PracticeAttachment.sheet_id == sheet.id, PracticeAttachment.removed_at.is_(None))
        .order_by(PracticeAttachment.id)))
