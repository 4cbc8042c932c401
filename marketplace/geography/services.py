"""Import of the reference geography (régions, départements, EPCI, communes), versioned by vintage.

The import is idempotent: rows are matched on (kind, official code), updated in place when they
changed, inserted when new, and never duplicated. It writes in bulk (executemany) inside one
transaction, so the ~35,000 communes take seconds and a failure leaves nothing half-saved.
Collectivities absent from a newer vintage (merged communes...) are kept, since accounts may point
at them, and keep their older vintage.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam, delete, func, insert, select, update

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import unit_of_work
from marketplace.models import (
    Collectivity,
    CollectivityDepartement,
    CollectivityRegion,
    Departement,
    GeoImport,
    Region,
)
from marketplace.models.base import utcnow
from marketplace.models.geography import CollectivityPostalCode
from marketplace.geography import sources as geo_sources
from marketplace.geography.plan import Plan, build_plan, is_valid_siren, normalise_name  # noqa: F401 (re-exported)

COLUMNS = ("name", "search_name", "nature", "insee_code", "siren", "postal_codes", "population",
           "latitude", "longitude", "coordinates_source", "vintage")
BATCH = 2000


def current_vintage() -> str | None:
    """The vintage of the latest import, None when the geography was never imported."""
    return db.session.scalar(select(GeoImport.vintage).order_by(GeoImport.id.desc()).limit(1))


def import_geography(reference: dict, coordinates: dict, *, vintage: str, source: str,
                     coordinates_label: str = geo_sources.COORDINATES_SOURCE_LABEL,
                     progress: Callable[[int], None] | None = None) -> GeoImport:
    """Store one vintage of the official lists, with coordinates; returns the GeoImport recorded."""
    plan = build_plan(reference, coordinates, vintage, coordinates_label)
    progress = progress or (lambda n: None)
    # One transaction for the whole vintage: a failure half-way leaves the previous one intact.
    with unit_of_work():
        _upsert_simple(Region, plan.regions)
        _upsert_simple(Departement, plan.departements)
        stats = {"inserted": 0, "updated": 0, "unchanged": 0}
        others = [row for row in plan.collectivities if row["kind"] != "commune"]
        ids = _upsert_collectivities(others, {}, stats, progress)
        epci_ids = {code: cid for (kind, code), cid in ids.items() if kind == "epci"}
        ids.update(_upsert_collectivities(plan.communes, epci_ids, stats, progress))
        _sync_links(CollectivityDepartement, "departement_code",
                    {(ids[(r["kind"], r["code"])], d) for r in plan.collectivities for d in r["departements"]}, ids)
        _sync_links(CollectivityRegion, "region_code",
                    {(ids[(r["kind"], r["code"])], g) for r in plan.collectivities for g in r["regions"]}, ids)
        _sync_links(CollectivityPostalCode, "postal_code",
                    {(ids[(r["kind"], r["code"])], p) for r in plan.collectivities for p in r["postal_codes"]}, ids)
        kinds = {}
        for row in plan.collectivities:
            key = "ept" if row["nature"] == "EPT" else row["kind"]
            kinds[key] = kinds.get(key, 0) + 1
        record = GeoImport(vintage=vintage, source=source[:200], counts={
            "regions": len(plan.regions), "departements": len(plan.departements), "collectivities": kinds,
            **stats, "obsolete": _count_obsolete(ids), "coordinates": dict(plan.coordinates),
            "coverage": round(plan.coverage(), 4), "invalid_sirens": len(plan.invalid_sirens),
        })
        db.session.add(record)
    return record


def _upsert_simple(model, rows: list[dict]) -> None:
    """Régions and départements: a hundred rows, matched on their code."""
    table = model.__table__
    existing = {code for (code,) in db.session.execute(select(table.c.code))}
    new = [r for r in rows if r["code"] not in existing]
    old = [{"b_code": r["code"], **r} for r in rows if r["code"] in existing]
    if new:
        db.session.execute(insert(table), new)
    if old:
        columns = {k: bindparam(k) for k in rows[0] if k != "code"}
        db.session.execute(update(table).where(table.c.code == bindparam("b_code")).values(columns), old)


def _upsert_collectivities(rows, epci_ids, stats, progress) -> dict[tuple[str, str], int]:
    """Insert or update collectivities, comparing with what is stored to write only what changed."""
    table = Collectivity.__table__
    kinds = sorted({r["kind"] for r in rows})
    stored = {
        (row.kind, row.code): row
        for row in db.session.execute(
            select(table.c.id, table.c.kind, table.c.code, table.c.epci_id, *(table.c[c] for c in COLUMNS))
            .where(table.c.kind.in_(kinds))
        )
    }
    now = utcnow()
    inserts, updates, unchanged = [], [], 0
    for row in rows:
        values = {c: row[c] for c in COLUMNS}
        if row["kind"] == "commune":
            values["epci_id"] = epci_ids.get(row.get("epci_code"))
        current = stored.get((row["kind"], row["code"]))
        if current is None:
            inserts.append({"kind": row["kind"], "code": row["code"], "created_at": now, "updated_at": now,
                            "epci_id": None, **values})
        elif any(getattr(current, c) != v for c, v in values.items()):
            updates.append({"b_id": current.id, "updated_at": now, **values})
        else:
            stats["unchanged"] += 1
            unchanged += 1
    for start in range(0, len(inserts), BATCH):
        db.session.execute(insert(table), inserts[start:start + BATCH])
        progress(len(inserts[start:start + BATCH]))
    if updates:
        columns = {k: bindparam(k) for k in updates[0] if k != "b_id"}
        statement = update(table).where(table.c.id == bindparam("b_id")).values(columns)
        for start in range(0, len(updates), BATCH):
            db.session.execute(statement, updates[start:start + BATCH])
            progress(len(updates[start:start + BATCH]))
    stats["inserted"] += len(inserts)
    stats["updated"] += len(updates)
    progress(unchanged)
    wanted = {(r["kind"], r["code"]) for r in rows}
    return {
        (kind, code): cid
        for cid, kind, code in db.session.execute(
            select(table.c.id, table.c.kind, table.c.code).where(table.c.kind.in_(kinds))
        )
        if (kind, code) in wanted
    }


def _sync_links(model, column: str, desired: set[tuple[int, str]], ids: dict) -> None:
    """Make the link rows of the imported collectivities exactly `desired` (adds and removes only)."""
    table = model.__table__
    scope = set(ids.values())
    existing = {
        (cid, value)
        for cid, value in db.session.execute(select(table.c.collectivity_id, table.c[column]))
        if cid in scope
    }
    missing = [{"collectivity_id": cid, column: value} for cid, value in sorted(desired - existing)]
    extra = [{"b_id": cid, "b_value": value} for cid, value in sorted(existing - desired)]
    for start in range(0, len(missing), BATCH):
        db.session.execute(insert(table), missing[start:start + BATCH])
    if extra:
        db.session.execute(
            delete(table).where(table.c.collectivity_id == bindparam("b_id"), table.c[column] == bindparam("b_value")),
            extra,
        )


def _count_obsolete(ids: dict) -> int:
    """Collectivities of the imported kinds that this vintage no longer lists."""
    kinds = {kind for kind, _code in ids}
    total = db.session.scalar(select(func.count()).select_from(Collectivity).where(Collectivity.kind.in_(kinds)))
    return total - len(ids)


def geography_status() -> dict:
    """The vintages imported (latest first) and how many collectivities of each kind are stored."""
    imports = db.session.scalars(select(GeoImport).order_by(GeoImport.id.desc())).all()
    counts = dict(db.session.execute(select(Collectivity.kind, func.count()).group_by(Collectivity.kind)).all())
    return {"imports": imports, "counts": counts,
            "regions": db.session.scalar(select(func.count()).select_from(Region)),
            "departements": db.session.scalar(select(func.count()).select_from(Departement))}
