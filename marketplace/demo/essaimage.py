"""Demo data for the essaimage kit: readiness checklists on most demo sheets, and one more reuse so
that the demo shows every stage of spreading (the planned reuses already reach local, several,
départemental and national; this adds a régional one).

`seed_essaimage_kit()` runs inside `seed.seed_demo`'s unit of work, after the sheets and their
reuses exist; rows are written directly, as the rest of the demo does (services commit).
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.demo.people import DEMO_DOMAIN
from marketplace.essaimage.services import stages
from marketplace.models import PracticeReuse, PracticeSheet, ReadinessItem, RoleAssignment, User
from marketplace.models.essaimage import READINESS_ITEMS

# One pattern per sheet, in title order; a sheet past the list keeps an empty checklist (score 0).
CHECKLISTS = (
    ("done", "done", "done", "done"),
    ("done", "done", "partial", "done"),
    ("done", "partial", "done", "todo"),
    ("partial", "partial", "done", "partial"),
    ("done", "todo", "done", "todo"),
    ("partial", "todo", "partial", "todo"),
    ("done", "done", "done", "partial"),
    ("todo", "partial", "todo", "todo"),
)
COMMENTS = {
    "documentation": "Le cahier des charges et la délibération sont joints à la fiche.",
    "costs": "Coûts détaillés par année, subventions comprises.",
    "contacts": "Le service qui a porté le projet répond aux collectivités intéressées.",
    "conditions": "Un portage politique fort et un binôme technique-élu dès le départ.",
}


def demo_sheets() -> list[PracticeSheet]:
    """The published sheets written by demo accounts, in title order."""
    return list(db.session.scalars(
        select(PracticeSheet).join(User, User.id == PracticeSheet.created_by_id)
        .where(PracticeSheet.status == "published", User.email.like(f"%@{DEMO_DOMAIN}"))
        .order_by(PracticeSheet.title)))


def seed_essaimage_kit() -> None:
    """Fill the checklists and add the régional reuse (a second run changes nothing)."""
    sheets = demo_sheets()
    # Seeded once: later demo steps (the calls' retour d'expérience) add sheets that would shift
    # the patterns along the title order.
    if db.session.scalar(select(ReadinessItem.id).where(ReadinessItem.sheet_id.in_([s.id for s in sheets])).limit(1)):
        _add_regional_reuse(sheets)
        return
    for sheet, pattern in zip(sheets, CHECKLISTS):
        done = {row.item for row in db.session.scalars(select(ReadinessItem).where(ReadinessItem.sheet_id == sheet.id))}
        for item, status in zip(READINESS_ITEMS, pattern):
            if item not in done:
                db.session.add(ReadinessItem(sheet_id=sheet.id, item=item, status=status,
                                             comment=COMMENTS[item] if status != "todo" else "",
                                             updated_by_id=sheet.created_by_id))
    db.session.flush()
    _add_regional_reuse(sheets)


def _add_regional_reuse(sheets: list[PracticeSheet]) -> None:
    """Make one sheet at the "several" stage régional: a representative's collectivity in a new
    département of a région the sheet already reached (so that it does not become national)."""
    reach = stages.reaches([s.id for s in sheets])
    if any(r.stage == "regional" for r in reach.values()):
        return
    representatives = db.session.scalars(
        select(RoleAssignment).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.role == "representative", RoleAssignment.collectivity_id.is_not(None),
               User.email.like(f"%@{DEMO_DOMAIN}")).order_by(RoleAssignment.id)).all()
    for sheet in sheets:
        found = reach[sheet.id]
        if found.stage != "several" or len(found.departements) < stages.MIN_DEPARTEMENTS_REGIONAL - 1:
            continue
        for role in representatives:
            place = role.collectivity
            if (role.active and place.id not in found.collectivities
                    and set(place.departement_codes) - found.departements
                    and set(place.region_codes) <= found.regions):
                db.session.add(PracticeReuse(sheet_id=sheet.id, collectivity_id=place.id,
                                             declared_by_id=role.user_id, stage="inspired"))
                db.session.flush()
                return
