"""Download my data: a request row, a worker that builds the ZIP, an e-mailed link valid 24 h.

The archive holds `donnees.json` (every row about the user, table by table, see collect.py) and a CSV
per main list. It is written under the instance's exports folder with a random name; only the user
who asked, logged in and holding the signed link, downloads it; a periodic task deletes it when it
expires.
"""
from __future__ import annotations

import logging
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core import outbox, tokens
from marketplace.core.errors import Conflict, NotFound
from marketplace.core.extensions import db
from marketplace.core.task_queue import enqueue_after_commit
from marketplace.core.unit_of_work import transactional
from marketplace.models import DataExport, User
from marketplace.models.base import as_utc, utcnow
from marketplace.models.privacy import EXPORT_EXPIRED, EXPORT_FAILED, EXPORT_PENDING, EXPORT_READY
from marketplace.privacy.services import collect

logger = logging.getLogger(__name__)

BUILD_TASK = "workers.privacy_tasks.build_data_export"
DOWNLOAD_PATH = "/compte/mes-donnees/telecharger/"
# A request still not built after this long is given up, so the person may ask again (its task
# intent retries for about 8.5 h by default; a late run of a given-up request builds nothing).
STALE_AFTER = timedelta(hours=12)


def export_dir() -> Path:
    configured = current_app.config.get("DATA_EXPORT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "exports"


def lifetime() -> timedelta:
    return timedelta(seconds=current_app.config["DATA_EXPORT_MAX_AGE"])


def exports_of(user: User, limit: int = 5) -> list[DataExport]:
    """This user's latest requests, newest first (for the account page)."""
    return list(db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)
                                   .order_by(DataExport.id.desc()).limit(limit)))


@transactional
def request_export(user: User) -> DataExport:
    """Record a request and ask a worker to build it; one request in progress at a time."""
    pending = db.session.scalars(select(DataExport).where(DataExport.user_id == user.id,
                                                          DataExport.status == EXPORT_PENDING)).first()
    if pending is not None and as_utc(pending.requested_at) < utcnow() - STALE_AFTER:
        # Its task failed every retry (see the dead letters): let the person ask again.
        pending.status, pending.error = EXPORT_FAILED, "not built within the time allowed"
    elif pending is not None:
        raise Conflict(_("Votre archive est déjà en préparation : vous recevrez un e-mail dès qu'elle sera prête."))
    export = DataExport(user_id=user.id, status=EXPORT_PENDING, requested_at=utcnow())
    db.session.add(export)
    db.session.flush()
    enqueue_after_commit(BUILD_TASK, export.id)
    return export


def write_archive(user_id: int, path: Path) -> int:
    """Write the ZIP of everything about this user at `path`; its size in bytes."""
    data = collect.collect(user_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.json", collect.to_json(data))
        for name in collect.CSV_TABLES:
            rows = data.get(name) or []
            archive.writestr(f"csv/{name}.csv", collect.to_csv(rows, db.metadata.tables[name]))
        archive.writestr("LISEZMOI.txt", str(_l(
            "donnees.json : toutes les lignes de la base qui vous concernent, table par table. "
            "csv/ : les listes principales, lisibles dans un tableur (séparateur point-virgule). "
            "Les secrets (empreintes de mot de passe et de jetons) sont remplacés par [secret].")))
    partial.replace(path)  # a download never sees a half-written file
    return path.stat().st_size


@transactional
def build_export(export_id: int) -> DataExport | None:
    """Build one requested archive and e-mail its link; a second delivery of the task does nothing."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.status != EXPORT_PENDING:
        return export
    user = db.session.get(User, export.user_id)
    file_name = f"{user.id}-{export.id}-{secrets.token_hex(16)}.zip"
    export.size_bytes = write_archive(user.id, export_dir() / file_name)
    now = utcnow()
    export.file_name = file_name
    export.status = EXPORT_READY
    export.ready_at = now
    export.expires_at = now + lifetime()
    token = tokens.make_token(tokens.DATA_EXPORT, {"uid": user.id, "export": export.id})
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + DOWNLOAD_PATH + token
    outbox.queue_email(to=user.email, kind="account", key=f"data-export:{export.id}", user_id=user.id,
                       subject=_l("Vos données Essaim sont prêtes"), template="data_export_ready",
                       language=user.preferred_language, link=link, user={"id": user.id, "display_name": user.display_name},
                       hours=int(lifetime().total_seconds() // 3600))
    logger.info("data export %s built for user %s (%s bytes)", export.id, user.id, export.size_bytes)
    return export


def file_for_download(user: User, token: str) -> tuple[Path, str]:
    """The archive's path and download name, for its owner holding a valid link.

    Raises TokenExpired/TokenInvalid for a bad link, NotFound for another user's link or a file
    already deleted."""
    payload = tokens.read_token(tokens.DATA_EXPORT, token)
    if payload.get("uid") != user.id:
        raise NotFound(_("Ce lien ne correspond pas à votre compte."))
    export = db.session.get(DataExport, payload.get("export"))
    if export is None or export.user_id != user.id or export.status != EXPORT_READY or not export.file_name:
        raise NotFound(_("Cette archive n'existe plus. Demandez-en une nouvelle."))
    path = export_dir() / export.file_name
    if not path.is_file():
        raise NotFound(_("Cette archive n'existe plus. Demandez-en une nouvelle."))
    return path, f"essaim-mes-donnees-{export.ready_at:%Y-%m-%d}.zip"


def delete_file(export: DataExport) -> None:
    """Remove an archive's file (helper of the caller's unit of work)."""
    if export.file_name:
        (export_dir() / export.file_name).unlink(missing_ok=True)
    export.file_name = None
    export.status = EXPORT_EXPIRED


@transactional
def purge_expired_exports(now=None) -> int:
    """Delete the archives whose link has expired; the number deleted. Idempotent."""
    now = now or utcnow()
    expired = db.session.scalars(select(DataExport).where(DataExport.status == EXPORT_READY,
                                                          DataExport.expires_at <= now)).all()
    for export in expired:
        delete_file(export)
    return len(expired)
