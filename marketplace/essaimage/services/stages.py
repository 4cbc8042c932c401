"""The stage of spreading of a practice, computed from its declared reuses (never declared).

The reach of a sheet is the set of collectivities made of the sheet's own collectivity and of
every collectivity that declared a reuse of it (inspired or implemented), with the départements
and régions those collectivities lie in. The stage is the highest one whose thresholds hold:

- local: the practice has not left its collectivity (no reuse declared);
- several collectivities: at least 2 collectivities (1 reuse);
- départemental: at least 3 collectivities;
- régional: at least 3 collectivities spread over at least 3 départements;
- national: at least 3 collectivities spread over at least 3 régions.

The higher stages also ask for 3 collectivities so that one large collectivity (an EPCI or a
région lying over several départements) does not reach them on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import CollectivityDepartement, CollectivityRegion, PracticeReuse, PracticeSheet

STAGES = ("local", "several", "departemental", "regional", "national")
STAGE_LABELS = {
    "local": _l("Locale"),
    "several": _l("Plusieurs collectivités"),
    "departemental": _l("Départementale"),
    "regional": _l("Régionale"),
    "national": _l("Nationale"),
}
MIN_COLLECTIVITIES_SEVERAL = 2
MIN_COLLECTIVITIES_WIDE = 3  # départemental and above
MIN_DEPARTEMENTS_REGIONAL = 3
MIN_REGIONS_NATIONAL = 3


@dataclass
class Reach:
    """Where a practice is done: collectivities (ids), départements and régions (codes)."""

    collectivities: set[int] = field(default_factory=set)
    departements: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)

    @property
    def stage(self) -> str:
        return stage_of(len(self.collectivities), len(self.departements), len(self.regions))


def stage_of(collectivities: int, departements: int, regions: int) -> str:
    """The stage for these distinct counts (see the module docstring for the thresholds)."""
    if collectivities >= MIN_COLLECTIVITIES_WIDE:
        if regions >= MIN_REGIONS_NATIONAL:
            return "national"
        if departements >= MIN_DEPARTEMENTS_REGIONAL:
            return "regional"
        return "departemental"
    if collectivities >= MIN_COLLECTIVITIES_SEVERAL:
        return "several"
    return "local"


def reaches(sheet_ids=None) -> dict[int, Reach]:
    """The reach of each sheet (all sheets when `sheet_ids` is None), in three queries."""
    origin = select(PracticeSheet.id, PracticeSheet.collectivity_id)
    reused = select(PracticeReuse.sheet_id, PracticeReuse.collectivity_id)
    if sheet_ids is not None:
        ids = list(sheet_ids)
        origin = origin.where(PracticeSheet.id.in_(ids))
        reused = reused.where(PracticeReuse.sheet_id.in_(ids))
    found: dict[int, Reach] = {}
    for sheet_id, collectivity_id in [*db.session.execute(origin), *db.session.execute(reused)]:
        found.setdefault(sheet_id, Reach()).collectivities.add(collectivity_id)
    # Every collectivity's territory when the whole library is asked for: no huge IN list.
    places = None if sheet_ids is None else set().union(set(), *(r.collectivities for r in found.values()))
    departements = _codes(CollectivityDepartement, CollectivityDepartement.departement_code, places)
    regions = _codes(CollectivityRegion, CollectivityRegion.region_code, places)
    for reach in found.values():
        for place in reach.collectivities:
            reach.departements.update(departements.get(place, ()))
            reach.regions.update(regions.get(place, ()))
    return found


def reach_of(sheet: PracticeSheet) -> Reach:
    """The reach of one sheet."""
    return reaches([sheet.id]).get(sheet.id, Reach({sheet.collectivity_id}))


def _codes(model, column, places: set[int] | None) -> dict[int, list[str]]:
    query = select(model.collectivity_id, column)
    if places is not None:
        query = query.where(model.collectivity_id.in_(places))
    codes: dict[int, list[str]] = {}
    if places is None or places:
        for place, code in db.session.execute(query):
            codes.setdefault(place, []).append(code)
    return codes
