"""The columns of each export and the rows behind them, read in batches.

Column titles are translated when the export is made (the user's language); the rows are the
same whatever the language, with codes beside their labels where a spreadsheet filters on them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from marketplace.core import taxonomy
from marketplace.core.extensions import db
from marketplace.models import CollectivityDepartement

BATCH = 1000


@dataclass(frozen=True)
class Column:
    title: object  # a lazy string, translated at export time
    value: Callable


LISTING_COLUMNS = (
    Column(_l("Identifiant"), lambda item, places: item.id),
    Column(_l("Titre"), lambda item, places: item.title),
    Column(_l("Domaine"), lambda item, places: str(taxonomy.label(taxonomy.DOMAINS, item.domain))),
    Column(_l("Modalité"), lambda item, places: str(taxonomy.label(taxonomy.MODALITIES, item.modality))),
    Column(_l("Collectivité"), lambda item, places: item.collectivity.name),
    Column(_l("SIREN"), lambda item, places: item.collectivity.siren),
    Column(_l("Départements"), lambda item, places: places.get(item.collectivity_id, [])),
    Column(_l("Mots-clés"), lambda item, places: list(item.tags or ())),
    Column(_l("Publié le"), lambda item, places: item.published_at),
    Column(_l("Description"), lambda item, places: item.description),
)
OFFER_COLUMNS = LISTING_COLUMNS + (
    Column(_l("Jours par mois"), lambda item, places: item.days_per_month),
    Column(_l("Disponible du"), lambda item, places: item.available_from),
    Column(_l("Disponible jusqu'au"), lambda item, places: item.available_until),
    Column(_l("Distance maximale (km)"), lambda item, places: item.max_distance_km),
)
NEED_COLUMNS = LISTING_COLUMNS + (
    Column(_l("Jours estimés"), lambda item, places: item.estimated_days),
    Column(_l("Début souhaité"), lambda item, places: item.start_date),
    Column(_l("Échéance"), lambda item, places: item.deadline),
)


def headers(columns) -> list[str]:
    return [str(column.title) for column in columns]


def rows(query: Select, columns) -> Iterator[list]:
    """The rows of `query` (one entity per row), read BATCH at a time; each batch's items leave
    the session once written, so memory holds one batch, not the whole export."""
    places: dict[int, list[str]] = {}
    result = db.session.execute(query.execution_options(yield_per=BATCH)).scalars()
    for batch in result.partitions():
        missing = {item.collectivity_id for item in batch} - places.keys()
        if missing:
            for collectivity_id, code in db.session.execute(
                select(CollectivityDepartement.collectivity_id, CollectivityDepartement.departement_code)
                .where(CollectivityDepartement.collectivity_id.in_(missing))
                .order_by(CollectivityDepartement.departement_code)
            ):
                places.setdefault(collectivity_id, []).append(code)
        for item in batch:
            yield [column.value(item, places) for column in columns]
            db.session.expunge(item)
