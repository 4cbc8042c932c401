"""Public, read-only endpoints of /api/v1/: open data, no token needed."""
from __future__ import annotations

from flask import url_for

from marketplace.api_v1 import schemas
from marketplace.api_v1.services import public
from marketplace.api_v1.views_common import bp, envelope

SheetPage = schemas.page_of(schemas.PracticeSheetSchema, "PracticeSheetPage")
CollectivityPage = schemas.page_of(schemas.CollectivitySchema, "CollectivityPage")


def _collectivity_ref(item) -> dict:
    return {"id": item.id, "name": item.name, "kind": item.kind}


def _sheet(sheet, reuses) -> dict:
    return {
        "id": sheet.id, "title": sheet.title, "summary": sheet.summary, "problem": sheet.problem,
        "actions": sheet.actions, "results": sheet.results, "costs": sheet.costs, "days": sheet.days,
        "domain": sheet.domain, "tags": list(sheet.tags or []), "collectivity": _collectivity_ref(sheet.collectivity),
        "created_at": sheet.created_at, "updated_at": sheet.updated_at,
        "url": url_for("practices.detail", sheet_id=sheet.id, _external=True),
        "reuses": [{"collectivity": _collectivity_ref(r.collectivity), "stage": r.stage,
                    "inspired_at": r.inspired_at, "implemented_at": r.implemented_at} for r in reuses],
    }


@bp.get("/fiches-pratiques")
@bp.arguments(schemas.PracticeQuery, location="query", as_kwargs=True)
@bp.response(200, SheetPage)
def practice_sheets(page: int, per_page: int, domain: str | None = None, departement: str | None = None):
    """Fiches pratiques publiées, avec leurs réutilisations

    Les plus récentes d'abord. Licence Ouverte 2.0.
    """
    result = public.published_sheets(page, per_page, domain, departement)
    reuses = public.reuses_of([sheet.id for sheet in result.items])
    return envelope(result, [_sheet(sheet, reuses[sheet.id]) for sheet in result.items])


@bp.get("/collectivites")
@bp.arguments(schemas.CollectivityQuery, location="query", as_kwargs=True)
@bp.response(200, CollectivityPage)
def collectivities(page: int, per_page: int, q: str | None = None, kind: str | None = None,
                   departement: str | None = None):
    """Annuaire des collectivités

    Recherche par nom (ou partie du nom, sans tenir compte des accents) ou par code officiel :
    code INSEE de commune, SIREN, code de département ou de région. Les plus peuplées d'abord.
    """
    result = public.directory(page, per_page, q, kind, departement)
    return envelope(result, [{
        "id": c.id, "name": c.name, "kind": c.kind, "nature": c.nature, "code": c.code,
        "insee_code": c.insee_code, "siren": c.siren, "departements": c.departement_codes,
        "regions": c.region_codes, "population": c.population,
    } for c in result.items])


@bp.get("/statistiques")
@bp.arguments(schemas.StatisticsQuery, location="query")
@bp.response(200, schemas.StatisticsSchema)
def statistics(args: dict):
    """Statistiques agrégées par territoire (données ouvertes)

    Les chiffres publics de la page Statistiques : offres, besoins, suggestions, rapprochements,
    jours partagés, fiches pratiques et réutilisations, par mois, domaine, département et région.
    Filtres : période (`du`, `au`), `domaine`, `departement`, `region`. Aucune donnée personnelle.
    Licence Ouverte / Open Licence 2.0 : réutilisation libre en citant « Essaim ».
    """
    figures, filters = public.public_statistics(args)
    return {
        "licence": public.LICENCE, "licence_url": public.LICENCE_URL,
        "source": url_for("statistics.index", _external=True),
        "filters": filters, "totals": figures.totals, "pairings_by_status": figures.pairings_by_status,
        "medians": figures.medians, "by_month": figures.by_month, "by_domain": figures.by_domain,
        "by_departement": figures.by_departement, "by_region": figures.by_region,
    }

