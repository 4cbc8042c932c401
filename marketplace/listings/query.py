"""Browsing offers and needs: one filter, sort and pagination builder for both kinds.

Filter values come from the query string, so anything may arrive: an unknown value is ignored
with a French notice, never an error page.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from marketplace.core import taxonomy
from marketplace.core.cached import remembered
from marketplace.core.forms import parse_page as parse_page_number
from marketplace.core.extensions import db
from marketplace.models import Collectivity, CollectivityDepartement, CollectivityRegion, Departement, Region
from marketplace.models.listing import fold_text
from marketplace.listings import paging
from marketplace.listings.services import ListingKind

SORTS = ("recent", "title", "days")
QUERY_MAX = 200


@dataclass
class Filters:
    """The filters a visitor chose, already checked."""

    domain: str = ""
    region: str = ""
    departement: str = ""
    modality: str = ""
    q: str = ""
    sort: str = "recent"
    notices: list[str] = field(default_factory=list)

    def query_args(self) -> dict[str, str]:
        """The chosen filters, for links that keep them (pagination)."""
        values = asdict(self)
        values.pop("notices")
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "recent")}

    @property
    def active(self) -> bool:
        return bool(self.domain or self.region or self.departement or self.modality or self.q)


def parse_page(raw) -> int:
    """A page number from the query string; anything that is not a plausible page number (Unicode
    digits, a number beyond what an SQL OFFSET takes) is page 1."""
    return parse_page_number(raw)


def parse_filters(args) -> Filters:
    """Read and check the filters of a query string (a MultiDict or a plain dict)."""
    filters = Filters()

    def pick(name: str, known, message: str) -> str:
        value = (args.get(name) or "").strip()
        if value and value not in known:
            filters.notices.append(message)
            return ""
        return value

    filters.domain = pick("domain", taxonomy.DOMAINS, _("Domaine inconnu : ce filtre est ignoré."))
    filters.modality = pick(
        "modality", taxonomy.MODALITIES, _("Modalité inconnue : ce filtre est ignoré.")
    )
    filters.sort = pick("sort", SORTS, _("Tri inconnu : les plus récents sont affichés.")) or "recent"
    region = (args.get("region") or "").strip()
    if region and db.session.get(Region, region[:3]) is None:
        filters.notices.append(_("Région inconnue : ce filtre est ignoré."))
    else:
        filters.region = region
    departement = (args.get("departement") or "").strip()
    if departement and db.session.get(Departement, departement[:3]) is None:
        filters.notices.append(_("Département inconnu : ce filtre est ignoré."))
    else:
        filters.departement = departement
    text = " ".join((args.get("q") or "").split())
    # NUL and replacement characters cannot be matched and PostgreSQL refuses NUL.
    text = text.replace("\x00", "").replace("\ufffd", "")
    if len(text) > QUERY_MAX:
        filters.notices.append(_("La recherche est limitée à 200 caractères."))
        text = text[:QUERY_MAX]
    filters.q = text
    return filters


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered(kind: ListingKind, filters: Filters, statuses=None):
    """Select statement for the items of a kind matching the filters (statuses: those browsable
    by everyone unless given), in the order the visitor chose."""
    return matching(kind, filters, statuses).order_by(*ordering(kind, filters.sort))


def matching(kind: ListingKind, filters: Filters, statuses=None):
    """The same select statement, unordered (for counting and for pages of ids)."""
    model = kind.model
    # The statuses are written into the SQL (they come from code, never from the visitor) so that
    # PostgreSQL may use an index restricted to them (ix_needs_visible_published) in every plan,
    # including the generic plans of prepared statements.
    visible = bindparam("statuses", tuple(statuses or kind.visible_statuses), expanding=True, literal_execute=True)
    query = select(model).where(model.status.in_(visible))
    if filters.domain:
        query = query.where(model.domain == filters.domain)
    if filters.modality:
        query = query.where(model.modality == filters.modality)
    if filters.region:
        query = query.where(model.collectivity_id.in_(
            select(CollectivityRegion.collectivity_id)
            .where(CollectivityRegion.region_code == filters.region)
        ))
    if filters.departement:
        query = query.where(model.collectivity_id.in_(
            select(CollectivityDepartement.collectivity_id)
            .where(CollectivityDepartement.departement_code == filters.departement)
        ))
    words = fold_text(filters.q).split()
    if words:
        # search_text is already folded: a plain LIKE is accent- and case-insensitive everywhere.
        query = query.where(and_(*(
            model.search_text.like(_like_pattern(word), escape="\\") for word in words
        )))
    return query


def ordering(kind: ListingKind, sort: str):
    """ORDER BY of a list; each ends with the id, so that pages never overlap."""
    model = kind.model
    if sort == "title":
        return (model.title.asc(), model.id.asc())
    if sort == "days":
        return (getattr(model, kind.days_column).desc(), model.id.desc())
    # Most recent publication first: the order of the (status, published_at, id) index, read
    # backwards (browsable items are all published, so published_at is never empty here).
    return (model.published_at.desc(), model.id.desc())


def _per_page() -> int:
    return current_app.config.get("ITEMS_PER_PAGE", 20)


def paginate(query, page: int):
    """One page of a select statement; a page past the end is empty, never an error."""
    return db.paginate(query, page=page, per_page=_per_page(), error_out=False)


def browse(kind: ListingKind, args):
    """The page of browsable items matching a query string, with the checked filters."""
    filters = parse_filters(args)
    # The total may be a minute old (the items are not): one count per filter set a minute.
    count_key = f"listings.count:{kind.name}:{sorted(filters.query_args().items())}"
    page = paging.seek(matching(kind, filters), ordering(kind, filters.sort), kind.model,
                       parse_page(args.get("page")), _per_page(), count_key=count_key,
                       load_options=card_options(kind))
    return page, filters


def card_options(kind: ListingKind) -> tuple:
    """Loader options for what a card shows: its collectivity and that collectivity's
    départements. The owner's account (joined by default, with its roles) and the régions are
    left to be loaded on access: reading them for twenty cards was half a list view's time."""
    model = kind.model
    collectivity = joinedload(model.collectivity)
    return (lazyload(getattr(model, kind.owner_relation)), collectivity.selectinload(Collectivity.departement_links),
            collectivity.lazyload(Collectivity.region_links))


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options of the filter form: domains, modalities, régions and départements by code.

    The régions and départements change once a year (the COG import): they are kept a minute in
    the cache rather than read on every view of a list."""
    regions, departements = remembered("listings.territories", _territories)
    return {
        "domain": [(k, str(v)) for k, v in taxonomy.DOMAINS.items()],
        "modality": [(k, str(v)) for k, v in taxonomy.MODALITIES.items()],
        "region": [(code, name) for code, name in regions],
        "departement": [(code, f"{code} – {name}") for code, name in departements],
        "sort": [
            ("recent", _("Les plus récents")),
            ("title", _("Titre (A à Z)")),
            ("days", _("Nombre de jours (décroissant)")),
        ],
    }


def _territories() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    regions = db.session.execute(select(Region.code, Region.name).order_by(Region.name)).all()
    departements = db.session.execute(select(Departement.code, Departement.name).order_by(Departement.code)).all()
    return [tuple(row) for row in regions], [tuple(row) for row in departements]
