"""What a practice sheet's page shows of the kit: its stage, the map of its reuses, its readiness
and who to contact to replicate it."""
from __future__ import annotations

import json

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.essaimage.services import readiness, stages
from marketplace.models import Departement, PracticeSheet
from marketplace.practices.services import essaimage, search
from marketplace.practices.services.access import is_member


def reuse_map(sheet: PracticeSheet, reuses) -> list[dict]:
    """Per département: the sheet's own collectivity if it lies there and the collectivities that
    reuse it, for the map (coloured by how many collectivities do the practice) and its table."""
    rows: dict[str, dict] = {}

    def row(code: str) -> dict:
        return rows.setdefault(code, {"code": code, "origin": False, "reuses": []})

    for code in sheet.collectivity.departement_codes:
        row(code)["origin"] = True
    for reuse in reuses:
        for code in reuse.collectivity.departement_codes:
            row(code)["reuses"].append(reuse)
    names = dict(db.session.execute(select(Departement.code, Departement.name)
                                    .where(Departement.code.in_(list(rows)))).all()) if rows else {}
    for code, found in rows.items():
        found["name"] = names.get(code, code)
        found["count"] = len(found["reuses"]) + (1 if found["origin"] else 0)
    return sorted(rows.values(), key=lambda r: (not r["origin"], -r["count"], r["code"]))


# The 101 départements (COG 2026): the map colours those without a reuse too, so that the ones with
# one stand out even when the official geography was not imported (as in the demo).
DEPARTEMENT_CODES = tuple([f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"])


def map_data(places: list[dict]) -> str:
    """The map's data: every département, 0 where nobody does the practice."""
    known = db.session.scalars(select(Departement.code)).all() or DEPARTEMENT_CODES
    values = dict.fromkeys(known, 0)
    values.update({place["code"]: place["count"] for place in places})
    return json.dumps(values, sort_keys=True)


def contacts(sheet: PracticeSheet, user, checklist: list[dict]) -> dict:
    """Who to contact to replicate the practice: the sheet's collectivity, the authors who act for
    it (e-mail addresses for members only: a visitor sees names), and the checklist's contact note."""
    own = [a for a in search.authors(sheet)
           if any(role.collectivity_id == sheet.collectivity_id for role in a.active_roles())]
    note = next((row["comment"] for row in checklist if row["item"] == "contacts"), "")
    return {"collectivity": sheet.collectivity, "people": own, "show_emails": is_member(user), "note": note}


def sheet_block(sheet: PracticeSheet, user) -> dict:
    """Everything the sheet's essaimage block shows."""
    reach = stages.reach_of(sheet)
    places = reuse_map(sheet, essaimage.reuses(sheet))
    checklist = readiness.checklist(sheet)
    return {
        "stage": reach.stage, "stage_label": stages.STAGE_LABELS[reach.stage], "reach": reach,
        "places": places, "map_data": map_data(places),
        "score": readiness.score_of(row["status"] for row in checklist), "checklist": checklist,
        "can_edit": readiness.can_edit(user, sheet), "contacts": contacts(sheet, user, checklist),
        "status_labels": readiness.STATUS_LABELS,
    }
