"""Essaimage: collectivities declare that they reuse a practice; where each practice spread.

A reuse is "inspired" ("je m'en inspire") then "implemented" ("mis en place"). The spread score
of a sheet counts distinct collectivities, an implementation weighing twice an inspiration.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import CollectivityRegion, PracticeReuse, PracticeSheet, Region
from marketplace.models.base import utcnow
from marketplace.models.practices import REUSE_STAGES

IMPLEMENTED_WEIGHT = 2


def spread_score_column():
    """SQL expression: the weighted count of a sheet's reuses (use with GROUP BY sheet)."""
    return func.coalesce(func.sum(case((PracticeReuse.stage == "implemented", IMPLEMENTED_WEIGHT),
                                       else_=1)), 0)


def spread_subquery():
    """(sheet_id, reuses, score) for every sheet with at least one reuse."""
    return (select(PracticeReuse.sheet_id, func.count(PracticeReuse.id).label("reuses"),
                   spread_score_column().label("score"))
            .group_by(PracticeReuse.sheet_id).subquery())


def declarable_collectivities(user, sheet: PracticeSheet) -> list:
    """The collectivities this user represents that may declare a reuse of this sheet."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [r.collectivity for r in user.active_roles("representative")
            if r.collectivity is not None and r.collectivity_id != sheet.collectivity_id]


@transactional
def declare_reuse(sheet: PracticeSheet, user, collectivity_id: int, stage: str) -> PracticeReuse:
    """Record (or move forward) a collectivity's reuse; only its representatives may declare it."""
    if stage not in REUSE_STAGES:
        raise ServiceError(_("Choisissez « je m'en inspire » ou « mis en place »."), "stage")
    if sheet.status != "published":
        raise ServiceError(_("Seules les fiches publiées peuvent être reprises."))
    if collectivity_id == sheet.collectivity_id:
        raise ServiceError(_("La collectivité qui a mené la pratique ne peut pas déclarer la reprendre."))
    if collectivity_id not in {c.id for c in declarable_collectivities(user, sheet)}:
        raise NotAllowed(_("Seul un référent de la collectivité peut déclarer qu'elle reprend "
                           "cette pratique."))
    reuse = _find(sheet.id, collectivity_id)
    if reuse is None:
        reuse = PracticeReuse(sheet_id=sheet.id, collectivity_id=collectivity_id,
                              declared_by_id=user.id, stage=stage)
        try:
            with db.session.begin_nested():  # a savepoint: the race below must not undo the rest
                db.session.add(reuse)
        except IntegrityError:  # declared at the same moment from another session
            reuse = _find(sheet.id, collectivity_id)
    reuse.stage = stage
    reuse.declared_by_id = user.id
    if stage == "implemented" and reuse.implemented_at is None:
        reuse.implemented_at = utcnow()
    if stage == "inspired":
        reuse.implemented_at = None
    return reuse


@transactional
def withdraw_reuse(sheet: PracticeSheet, user, collectivity_id: int) -> None:
    """Remove a collectivity's declaration (its representatives only)."""
    if collectivity_id not in {c.id for c in declarable_collectivities(user, sheet)}:
        raise NotAllowed(_("Seul un référent de la collectivité peut retirer cette déclaration."))
    reuse = _find(sheet.id, collectivity_id)
    if reuse is not None:
        db.session.delete(reuse)


def _find(sheet_id: int, collectivity_id: int) -> PracticeReuse | None:
    return db.session.scalar(select(PracticeReuse).where(
        PracticeReuse.sheet_id == sheet_id, PracticeReuse.collectivity_id == collectivity_id))


def reuses(sheet: PracticeSheet) -> list[PracticeReuse]:
    """Where the sheet spread: its reuses, implementations first."""
    rows = db.session.scalars(select(PracticeReuse).where(PracticeReuse.sheet_id == sheet.id)
                              .order_by(PracticeReuse.id))
    return sorted(rows, key=lambda r: (r.stage != "implemented", r.collectivity.name))


def _region_names() -> dict[str, str]:
    return dict(db.session.execute(select(Region.code, Region.name)).all())


def spread_by_region(sheet: PracticeSheet) -> list[dict]:
    """Per région: how many collectivities took inspiration from the sheet and how many did it."""
    rows = db.session.execute(
        select(CollectivityRegion.region_code, PracticeReuse.stage, func.count(PracticeReuse.id))
        .join(PracticeReuse, PracticeReuse.collectivity_id == CollectivityRegion.collectivity_id)
        .where(PracticeReuse.sheet_id == sheet.id)
        .group_by(CollectivityRegion.region_code, PracticeReuse.stage)
    ).all()
    return _table(rows)


def region_table() -> list[dict]:
    """For every région: reuses of published sheets by its collectivities, by stage, and how
    many published sheets were born there."""
    rows = db.session.execute(
        select(CollectivityRegion.region_code, PracticeReuse.stage, func.count(PracticeReuse.id))
        .join(PracticeReuse, PracticeReuse.collectivity_id == CollectivityRegion.collectivity_id)
        .join(PracticeSheet, PracticeSheet.id == PracticeReuse.sheet_id)
        .where(PracticeSheet.status == "published")
        .group_by(CollectivityRegion.region_code, PracticeReuse.stage)
    ).all()
    born = dict(db.session.execute(
        select(CollectivityRegion.region_code, func.count(PracticeSheet.id))
        .join(PracticeSheet, PracticeSheet.collectivity_id == CollectivityRegion.collectivity_id)
        .where(PracticeSheet.status == "published")
        .group_by(CollectivityRegion.region_code)
    ).all())
    table = {row["code"]: row for row in _table(rows)}
    names = _region_names()
    for code, count in born.items():
        table.setdefault(code, _row(code, names))["sheets"] = count
    return sorted(table.values(), key=lambda r: (-r["implemented"], -r["inspired"], r["name"]))


def _row(code: str, names: dict) -> dict:
    return {"code": code, "name": names.get(code, code), "inspired": 0, "implemented": 0, "sheets": 0}


def _table(rows) -> list[dict]:
    names = _region_names()
    table: dict[str, dict] = {}
    for code, stage, count in rows:
        table.setdefault(code, _row(code, names))[stage] += count
    return sorted(table.values(), key=lambda r: (-r["implemented"], -r["inspired"], r["name"]))
