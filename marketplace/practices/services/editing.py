"""Wiki editing: every save is a numbered revision; a stale form is refused, never overwrites.

The edit form carries the number of the revision it was opened on (its base). Saving checks the
base against the sheet's latest number; the row's lock version guards the race where two saves
pass that check at the same moment (the second transaction then updates no row).
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from marketplace.core import task_queue
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.unit_of_work import transactional
from marketplace.geography.search import resolve_collectivity
from marketplace.models import Collectivity, PracticeAttachment, PracticeRevision, PracticeSheet
from marketplace.models.base import utcnow
from marketplace.models.practices import CONTENT_FIELDS, SHEET_STATUSES
from marketplace.practices.services.access import EditConflict, require_attachment_remover, require_member
from marketplace.practices.services.discussion import notify_followers

# The task that brings a sheet's entry in the shared practices index up to date (workers/tasks.py).
INDEX_TASK = "workers.tasks.index_practice"
# A revision also records which resources were withdrawn then, so that a revert restores them.
# Revisions written before this key existed leave the resources as they are.
REMOVED_KEY = "removed_attachments"

TEXT_LIMITS = {"title": 200}


def _clean(data: dict) -> dict:
    """The content fields of `data`, checked; raises ServiceError naming the faulty field."""
    content = {name: data.get(name) for name in CONTENT_FIELDS}
    content["title"] = (content["title"] or "").strip()
    if not content["title"]:
        raise ServiceError(_("Donnez un titre à la fiche."), "title")
    if len(content["title"]) > TEXT_LIMITS["title"]:
        raise ServiceError(_("Le titre fait au plus 200 caractères."), "title")
    for name in ("summary", "problem", "actions", "results", "costs", "contacts"):
        content[name] = (content[name] or "").strip()
    if content["domain"] not in DOMAINS:
        raise ServiceError(_("Choisissez un domaine dans la liste."), "domain")
    days = content["days"]
    if days is not None and (days < 0 or days > 10_000):
        raise ServiceError(_("Indiquez un nombre de jours entre 0 et 10 000."), "days")
    content["tags"] = list(content["tags"] or [])
    query = (data.get("collectivity_query") or "").strip()
    if query:
        # A practice may be documented by someone from elsewhere (a coordinator, a partner).
        found = resolve_collectivity(query)
        if found is None:
            raise ServiceError(_("Collectivité introuvable : indiquez le code INSEE de la commune "
                                  "ou le SIREN du groupement."), "collectivity_query")
        content["collectivity_id"] = found.id
    if db.session.get(Collectivity, content["collectivity_id"] or 0) is None:
        raise ServiceError(_("Choisissez la collectivité où la pratique a été menée."), "collectivity_id")
    return content


def _status(data: dict, default: str) -> str:
    status = data.get("status") or default
    if status not in SHEET_STATUSES:
        raise ServiceError(_("Statut inconnu."), "status")
    return status


def removed_attachment_ids(sheet: PracticeSheet) -> list[int]:
    """The ids of the sheet's resources withdrawn so far (kept for a revert), in id order."""
    return list(db.session.scalars(select(PracticeAttachment.id).where(
        PracticeAttachment.sheet_id == sheet.id, PracticeAttachment.removed_at.is_not(None))
        .order_by(PracticeAttachment.id)))


def _add_revision(sheet: PracticeSheet, author, comment: str, content: dict) -> PracticeRevision:
    sheet.revision_number += 1
    revision = PracticeRevision(
        sheet_id=sheet.id, number=sheet.revision_number, author_id=author.id,
        comment=(comment or "").strip()[:300],
        content={**{name: content[name] for name in CONTENT_FIELDS}, REMOVED_KEY: removed_attachment_ids(sheet)},
    )
    db.session.add(revision)
    db.session.flush()
    sheet.current_revision_id = revision.id
    return revision


@transactional
def create_sheet(author, data: dict, comment: str = "") -> PracticeSheet:
    """A new sheet and its first revision (a draft unless `data["status"]` says otherwise)."""
    require_member(author)
    content = _clean(data)
    sheet = PracticeSheet(created_by_id=author.id, status=_status(data, "draft"), **content)
    db.session.add(sheet)
    db.session.flush()
    revision = _add_revision(sheet, author, comment or _("Création de la fiche"), content)
    _announce(sheet, author, revision)
    if sheet.status == "published":
        task_queue.enqueue_after_commit(INDEX_TASK, sheet.id)
    return sheet


def _text_changed_since(sheet: PracticeSheet, base_number: int) -> bool:
    """Whether the text differs from revision `base_number` (a missing base counts as changed).

    Withdrawing or restoring a resource is a revision too, but it must not make an open edit
    form stale: only a change of the text is a conflict.
    """
    if base_number == sheet.revision_number:
        return False
    base = db.session.scalar(select(PracticeRevision).where(
        PracticeRevision.sheet_id == sheet.id, PracticeRevision.number == base_number))
    if base is None:
        return True
    return any(base.content.get(name) != value for name, value in current_revision(sheet).content.items()
               if name in CONTENT_FIELDS)


@transactional
def save_sheet(sheet: PracticeSheet, author, data: dict, base_number: int, comment: str = "") -> PracticeRevision:
    """Save an edit made from revision `base_number`; EditConflict when someone saved since."""
    require_member(author)
    content = _clean(data)
    status = _status(data, sheet.status)
    if _text_changed_since(sheet, base_number):
        raise EditConflict(current_revision(sheet))
    was_published = sheet.status == "published"
    for name, value in content.items():
        setattr(sheet, name, value)
    sheet.status = status
    try:
        revision = _add_revision(sheet, author, comment, content)
        _announce(sheet, author, revision)
    except (StaleDataError, IntegrityError):
        # Another transaction saved between our check and our write: refuse like a stale form.
        db.session.rollback()
        db.session.refresh(sheet)
        raise EditConflict(current_revision(sheet)) from None
    if was_published or status == "published":
        # Published, edited or withdrawn: the search and the needs' suggestions follow.
        task_queue.enqueue_after_commit(INDEX_TASK, sheet.id)
    return revision


@transactional
def record_resource_change(sheet: PracticeSheet, author, comment: str) -> PracticeRevision:
    """A revision that keeps the text and records the resources withdrawn now (see REMOVED_KEY).

    The caller has just withdrawn or restored a resource; the sheet's lock version guards the
    race with a concurrent save like any edit.
    """
    try:
        return _add_revision(sheet, author, comment, sheet.content())
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        db.session.refresh(sheet)
        raise EditConflict(current_revision(sheet)) from None


def current_revision(sheet: PracticeSheet) -> PracticeRevision:
    """The sheet's latest revision."""
    return get_revision(sheet, sheet.revision_number)


def get_revision(sheet: PracticeSheet, number: int) -> PracticeRevision:
    """Revision `number` of THIS sheet, else 404: a number never reaches another sheet."""
    revision = db.session.scalar(
        select(PracticeRevision).where(
            PracticeRevision.sheet_id == sheet.id, PracticeRevision.number == number
        )
    )
    if revision is None:
        raise NotFound(_("Cette version de la fiche n'existe pas."))
    return revision


def history(sheet: PracticeSheet) -> list[PracticeRevision]:
    """The sheet's revisions, newest first."""
    return list(db.session.scalars(
        select(PracticeRevision).where(PracticeRevision.sheet_id == sheet.id)
        .order_by(PracticeRevision.number.desc())
    ))


@transactional
def revert(sheet: PracticeSheet, author, revision_id: int, base_number: int) -> PracticeRevision:
    """A new revision equal to an older one of the same sheet (404 for another sheet's): its
    text, and the resources that were withdrawn then (restored or withdrawn again)."""
    require_member(author)
    older = db.session.get(PracticeRevision, revision_id)
    if older is None or older.sheet_id != sheet.id:
        raise NotFound(_("Cette version de la fiche n'existe pas."))
    if REMOVED_KEY in older.content:
        _restore_resources(sheet, author, set(older.content[REMOVED_KEY]))
    data = dict(older.content)
    data["status"] = sheet.status  # reverting the text does not unpublish the sheet
    return save_sheet(sheet, author, data, base_number,
                      _("Retour à la version %(n)s", n=older.number))


def _restore_resources(sheet: PracticeSheet, author, removed_then: set[int]) -> None:
    """Make the withdrawn resources those of `removed_then`; withdrawing again needs the right
    to withdraw (a revert must not be a way around it)."""
    attachments = db.session.scalars(select(PracticeAttachment).where(PracticeAttachment.sheet_id == sheet.id))
    for attachment in attachments:
        removed_now = attachment.removed_at is not None
        if removed_now and attachment.id not in removed_then:
            attachment.removed_at = None
        elif not removed_now and attachment.id in removed_then:
            require_attachment_remover(author, attachment, sheet)
            attachment.removed_at = utcnow()
    db.session.flush()


def _announce(sheet, actor, revision) -> None:
    """Followers hear of a published sheet's new revision, in the same transaction as the save."""
    if sheet.status == "published":
        notify_followers(sheet, "revision", actor, revision=revision)
