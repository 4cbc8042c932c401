"""The open data of /api/v1/: published practice sheets with their reuses, the collectivity
directory, and the public statistics. Read-only; nothing personal leaves through here."""
from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from marketplace.core.extensions import db
from marketplace.core.paging import Page
from marketplace.core.text import normalise_name
from marketplace.models import Collectivity, CollectivityDepartement, PracticeReuse, PracticeSheet
from marketplace.statistics.filters import Scope, parse_filters
from marketplace.statistics.services import Overview, known_territories, overview

# Open data published under Etalab's Licence Ouverte (French public-sector open licence).
LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PUBLIC_SCOPE = Scope(everything=True, public=True)
CODE = re.compile(r"[0-9AB]{2,9}", re.IGNORECASE)


def paginate(statement, page: int, per_page: int) -> Page:
    """Run a select for one page, with the count of the whole result."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(rows), total or 0, page, per_page)


def published_sheets(page: int, per_page: int, domain: str | None = None, departement: str | None = None) -> Page:
    """Published practice sheets, newest first, with their reuses loaded."""
    statement = (select(PracticeSheet).where(PracticeSheet.status == "published")
                 .order_by(PracticeSheet.created_at.desc(), PracticeSheet.id.desc()))
    if domain:
        statement = statement.where(PracticeSheet.domain == domain)
    if departement:
        statement = statement.where(PracticeSheet.collectivity_id.in_(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code == departement.upper())))
    return paginate(statement, page, per_page)


def reuses_of(sheet_ids: list[int]) -> dict[int, list[PracticeReuse]]:
    """The reuses of these sheets, oldest first, by sheet id."""
    found: dict[int, list[PracticeReuse]] = {sheet_id: [] for sheet_id in sheet_ids}
    if sheet_ids:
        for reuse in db.session.scalars(select(PracticeReuse).where(PracticeReuse.sheet_id.in_(sheet_ids))
                                        .order_by(PracticeReuse.inspired_at, PracticeReuse.id)):
            found[reuse.sheet_id].append(reuse)
    return found


def directory(page: int, per_page: int, query: str | None = None, kind: str | None = None,
              departement: str | None = None) -> Page:
    """Collectivities by name (any part of it, accents and case ignored) or by an official code
    (INSEE, SIREN, territory code), most populated first."""
    statement = select(Collectivity)
    text = (query or "").strip()
    compact = re.sub(r"\s+", "", text)
    if compact and CODE.fullmatch(compact):
        code = compact.upper()
        name = normalise_name(text)
        statement = statement.where(or_(Collectivity.insee_code == code, Collectivity.siren == code,
                                        Collectivity.code == code,
                                        Collectivity.search_name.like(f"%{_escape_like(name)}%", escape="\\")))
    elif text:
        name = normalise_name(text)
        statement = statement.where(Collectivity.search_name.like(f"%{_escape_like(name)}%", escape="\\"))
    if kind:
        statement = statement.where(Collectivity.kind == kind)
    if departement:
        statement = statement.where(Collectivity.id.in_(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code == departement.upper())))
    statement = statement.order_by(func.coalesce(Collectivity.population, -1).desc(), Collectivity.name,
                                   Collectivity.id)
    return paginate(statement, page, per_page)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def public_statistics(args: dict) -> tuple[Overview, dict]:
    """The aggregate figures everyone may see (no names, no free-text reasons), for the filters in
    `args` (du, au, domaine, departement, region); raises ServiceError with the faulty field."""
    departements, regions = known_territories()
    filters = parse_filters(args, set(departements), set(regions))
    return overview(filters, PUBLIC_SCOPE), filters.as_args()
