"""Wiki editing: every save is a numbered revision; a stale form is refused, never overwrites.

The edit form carries the number of the revision it was opened on (its base). Saving checks the
base against the sheet's latest number; the row's lock version guards the race where two saves
pass that check at the same moment (the second transaction then updates no row).
"""
from __future__ import annotations

from werkzeug.exceptions import NotFound
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from marketplace.core.extensions import db
from marketplace.models import Collectivity, PracticeRevision, PracticeSheet
from marketplace.models.practices import CONTENT_FIELDS, SHEET_STATUSES
from marketplace.core.taxonomy import DOMAINS
from marketplace.geography.search import resolve_collectivity
from marketplace.practices.services.access import EditConflict, PracticeError, require_member
from marketplace.practices.services.discussion import notify_followers

TEXT_LIMITS = {"title": 200}


def _clean(data: dict) -> dict:
    """The content fields of `data`, checked; raises PracticeError naming the faulty field."""
    content = {name: data.get(name) for name in CONTENT_FIELDS}
    content["title"] = (content["title"] or "").strip()
    if not content["title"]:
        raise PracticeError(_("Donnez un titre à la fiche."), "title")
    if len(content["title"]) > TEXT_LIMITS["title"]:
        raise PracticeError(_("Le titre fait au plus 200 caractères."), "title")
    for name in ("summary", "problem", "actions", "results", "costs", "contacts"):
        content[name] = (content[name] or "").strip()
    if content["domain"] not in DOMAINS:
        raise PracticeError(_("Choisissez un domaine dans la liste."), "domain")
    days = content["days"]
    if days is not None and (days < 0 or days > 10_000):
        raise PracticeError(_("Indiquez un nombre de jours entre 0 et 10 000."), "days")
    content["tags"] = list(content["tags"] or [])
    query = (data.get("collectivity_query") or "").strip()
    if query:
        # A practice may be documented by someone from elsewhere (a coordinator, a partner).
        found = resolve_collectivity(query)
        if found is None:
            raise PracticeError(_("Collectivité introuvable : indiquez le code INSEE de la commune "
                                  "ou le SIREN du groupement."), "collectivity_query")
        content["collectivity_id"] = found.id
    if db.session.get(Collectivity, content["collectivity_id"] or 0) is None:
        raise PracticeError(_("Choisissez la collectivité où la pratique a été menée."), "collectivity_id")
    return content


def _status(data: dict, default: str) -> str:
    status = data.get("status") or default
    if status not in SHEET_STATUSES:
        raise PracticeError(_("Statut inconnu."), "status")
    return status


def _add_revision(sheet: PracticeSheet, author, comment: str, content: dict) -> PracticeRevision:
    sheet.revision_number += 1
    revision = PracticeRevision(
        sheet_id=sheet.id, number=sheet.revision_number, author_id=author.id,
        comment=(comment or "").strip()[:300], content=dict(content),
    )
    db.session.add(revision)
    db.session.flush()
    sheet.current_revision_id = revision.id
    return revision


def create_sheet(author, data: dict, comment: str = "") -> PracticeSheet:
    """A new sheet and its first revision (a draft unless `data["status"]` says otherwise)."""
    require_member(author)
    content = _clean(data)
    sheet = PracticeSheet(created_by_id=author.id, status=_status(data, "draft"), **content)
    db.session.add(sheet)
    db.session.flush()
    revision = _add_revision(sheet, author, comment or _("Création de la fiche"), content)
    _announce(sheet, author, revision)
    db.session.commit()
    return sheet


def save_sheet(sheet: PracticeSheet, author, data: dict, base_number: int, comment: str = "") -> PracticeRevision:
    """Save an edit made from revision `base_number`; EditConflict when someone saved since."""
    require_member(author)
    content = _clean(data)
    status = _status(data, sheet.status)
    if base_number != sheet.revision_number:
        raise EditConflict(current_revision(sheet))
    for name, value in content.items():
        setattr(sheet, name, value)
    sheet.status = status
    try:
        revision = _add_revision(sheet, author, comment, content)
        _announce(sheet, author, revision)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # Another transaction saved between our check and our write: refuse like a stale form.
        db.session.rollback()
        db.session.refresh(sheet)
        raise EditConflict(current_revision(sheet)) from None
    return revision


def current_revision(sheet: PracticeSheet) -> PracticeRevision:
    return get_revision(sheet, sheet.revision_number)


def get_revision(sheet: PracticeSheet, number: int) -> PracticeRevision:
    """Revision `number` of THIS sheet, else 404: a number never reaches another sheet."""
    revision = db.session.scalar(
        select(PracticeRevision).where(
            PracticeRevision.sheet_id == sheet.id, PracticeRevision.number == number
        )
    )
    if revision is None:
        raise NotFound()
    return revision


def history(sheet: PracticeSheet) -> list[PracticeRevision]:
    """The sheet's revisions, newest first."""
    return list(db.session.scalars(
        select(PracticeRevision).where(PracticeRevision.sheet_id == sheet.id)
        .order_by(PracticeRevision.number.desc())
    ))


def revert(sheet: PracticeSheet, author, revision_id: int, base_number: int) -> PracticeRevision:
    """A new revision equal to an older one of the same sheet (404 for another sheet's)."""
    require_member(author)
    older = db.session.get(PracticeRevision, revision_id)
    if older is None or older.sheet_id != sheet.id:
        raise NotFound()
    data = dict(older.content)
    data["status"] = sheet.status  # reverting the text does not unpublish the sheet
    return save_sheet(sheet, author, data, base_number,
                      _("Retour à la version %(n)s", n=older.number))


def _announce(sheet, actor, revision) -> None:
    """Followers hear of a published sheet's new revision, in the same transaction as the save."""
    if sheet.status == "published":
        notify_followers(sheet, "revision", actor, revision=revision)
