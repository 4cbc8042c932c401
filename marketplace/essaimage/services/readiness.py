"""The readiness checklist of a practice sheet: is it ready for another collectivity to replicate?

Four items (documentation, costs, contacts, conditions of success), each "todo", "partial" or
"done" with a comment. Only the sheet's authors and editors (people who wrote a revision of it,
see practices.services.access.is_editor) and administrators fill it in. The readiness score is
the share of the way done, in percent: "done" counts 1, "partial" ½, "todo" or an item never
filled 0, over the four items, rounded half up.
"""
from __future__ import annotations

import math

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import PracticeSheet, ReadinessItem
from marketplace.models.base import utcnow
from marketplace.models.essaimage import READINESS_COMMENT_MAX, READINESS_ITEMS, READINESS_STATUSES
from marketplace.practices.services.access import can_view, is_editor

ITEM_LABELS = {
    "documentation": _l("Documentation"),
    "costs": _l("Coûts"),
    "contacts": _l("Contacts"),
    "conditions": _l("Conditions de réussite"),
}
ITEM_QUESTIONS = {
    "documentation": _l("Les étapes, les documents types (cahier des charges, délibération, convention) "
                        "sont-ils joints ou décrits ?"),
    "costs": _l("Les coûts d'investissement et de fonctionnement, les jours de travail et les "
                "financements obtenus sont-ils chiffrés ?"),
    "contacts": _l("Une personne joignable, qui a mené le projet, accepte-t-elle d'être contactée ?"),
    "conditions": _l("Ce qui a rendu la réussite possible (portage politique, partenaires, taille de la "
                     "collectivité) et les écueils à éviter sont-ils dits ?"),
}
STATUS_LABELS = {"todo": _l("À faire"), "partial": _l("En partie"), "done": _l("Prêt")}
STATUS_WEIGHTS = {"todo": 0.0, "partial": 0.5, "done": 1.0}


def can_edit(user, sheet: PracticeSheet) -> bool:
    """The sheet's authors and editors, and administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("admin") or is_editor(user, sheet)


def editable_checklist(sheet_id: int, user) -> tuple[PracticeSheet, list[dict]]:
    """The sheet and its checklist for the edit page: NotFound for a sheet this user cannot see,
    NotAllowed for someone who may not fill it in."""
    sheet = db.session.get(PracticeSheet, sheet_id)
    if sheet is None or not can_view(user, sheet):
        raise NotFound(_("Cette fiche n'existe pas ou n'est pas publiée."))
    if not can_edit(user, sheet):
        raise NotAllowed(_("Seuls les rédacteurs de la fiche et les administrateurs remplissent sa "
                           "liste de préparation."))
    return sheet, checklist(sheet)


def checklist(sheet: PracticeSheet) -> list[dict]:
    """Every item, filled or not: {item, label, question, status, comment, updated_by, updated_at}."""
    saved = {row.item: row for row in db.session.scalars(
        select(ReadinessItem).where(ReadinessItem.sheet_id == sheet.id))}
    rows = []
    for item in READINESS_ITEMS:
        row = saved.get(item)
        rows.append({"item": item, "label": ITEM_LABELS[item], "question": ITEM_QUESTIONS[item],
                     "status": row.status if row else "todo", "comment": row.comment if row else "",
                     "updated_by": row.updated_by if row else None, "updated_at": row.updated_at if row else None})
    return rows


def score_of(statuses) -> int:
    """The readiness score in percent for the statuses of the filled items, rounded half up
    (round() would round 12.5 down and 37.5 up: a reader sees no rule in that)."""
    total = sum(STATUS_WEIGHTS.get(status, 0.0) for status in statuses)
    return math.floor(100 * total / len(READINESS_ITEMS) + 0.5)


def scores(sheet_ids=None) -> dict[int, int]:
    """The readiness score of each sheet that has a filled item (the others score 0)."""
    query = select(ReadinessItem.sheet_id, ReadinessItem.status)
    if sheet_ids is not None:
        query = query.where(ReadinessItem.sheet_id.in_(list(sheet_ids)))
    statuses: dict[int, list[str]] = {}
    for sheet_id, status in db.session.execute(query):
        statuses.setdefault(sheet_id, []).append(status)
    return {sheet_id: score_of(found) for sheet_id, found in statuses.items()}


def score(sheet: PracticeSheet) -> int:
    return scores([sheet.id]).get(sheet.id, 0)


@transactional
def save_checklist(sheet: PracticeSheet, user, entries: dict[str, dict]) -> int:
    """Store the items' status and comment ({item: {"status", "comment"}}); returns the new score."""
    if not can_edit(user, sheet):
        raise NotAllowed(_("Seuls les rédacteurs de la fiche et les administrateurs remplissent sa "
                           "liste de préparation."))
    unknown = set(entries) - set(READINESS_ITEMS)
    if unknown:
        raise ServiceError(_("Élément de la liste inconnu : %(i)s.", i=", ".join(sorted(unknown))))
    saved = {row.item: row for row in db.session.scalars(
        select(ReadinessItem).where(ReadinessItem.sheet_id == sheet.id))}
    for item, entry in entries.items():
        status, comment = entry.get("status"), (entry.get("comment") or "").strip()
        if status not in READINESS_STATUSES:
            raise ServiceError(_("Choisissez « À faire », « En partie » ou « Prêt »."), f"status_{item}")
        if len(comment) > READINESS_COMMENT_MAX:
            raise ServiceError(_("Le commentaire fait au plus %(n)s caractères.", n=READINESS_COMMENT_MAX),
                               f"comment_{item}")
        row = saved.get(item)
        if row is None:
            row = ReadinessItem(sheet_id=sheet.id, item=item)
            db.session.add(row)
        row.status, row.comment, row.updated_by_id, row.updated_at = status, comment, user.id, utcnow()
    db.session.flush()
    return score(sheet)
