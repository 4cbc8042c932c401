"""The columns of each export and the rows behind them, read in batches.

Column titles are translated when the export is made (the user's language); the rows are the
same whatever the language, with codes beside their labels where a spreadsheet filters on them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, raiseload

from marketplace.core import taxonomy
from marketplace.core.extensions import db
from marketplace.models import CollectivityDepartement

BATCH = 1000


@dataclass(frozen=True)
class Column:
    title: object  # a lazy string, translated at export time
    value: Callable


LISTING_COLUMNS = (
    Column(_l("Identifiant"), lambda item, ctx: item.id),
    Column(_l("Titre"), lambda item, ctx: item.title),
    Column(_l("Domaine"), lambda item, ctx: ctx.label(taxonomy.DOMAINS, item.domain)),
    Column(_l("Modalité"), lambda item, ctx: ctx.label(taxonomy.MODALITIES, item.modality)),
    Column(_l("Collectivité"), lambda item, ctx: item.collectivity.name),
    Column(_l("SIREN"), lambda item, ctx: item.collectivity.siren),
    Column(_l("Départements"), lambda item, ctx: ctx.places.get(item.collectivity_id, [])),
    Column(_l("Mots-clés"), lambda item, ctx: list(item.tags or ())),
    Column(_l("Publié le"), lambda item, ctx: item.published_at),
    Column(_l("Description"), lambda item, ctx: item.description),
)
OFFER_COLUMNS = LISTING_COLUMNS + (
    Column(_l("Jours par mois"), lambda item, ctx: item.days_per_month),
    Column(_l("Disponible du"), lambda item, ctx: item.available_from),
    Column(_l("Disponible jusqu'au"), lambda item, ctx: item.available_until),
    Column(_l("Distance maximale (km)"), lambda item, ctx: item.max_distance_km),
)
NEED_COLUMNS = LISTING_COLUMNS + (
    Column(_l("Jours estimés"), lambda item, ctx: item.estimated_days),
    Column(_l("Début souhaité"), lambda item, ctx: item.start_date),
    Column(_l("Échéance"), lambda item, ctx: item.deadline),
)


# A practice sheet as the list page finds it (practices.services.search.Found).
SHEET_COLUMNS = (
    Column(_l("Identifiant"), lambda found, ctx: found.sheet.id),
    Column(_l("Titre"), lambda found, ctx: found.sheet.title),
    Column(_l("Domaine"), lambda found, ctx: ctx.label(taxonomy.DOMAINS, found.sheet.domain)),
    Column(_l("Collectivité"), lambda found, ctx: found.sheet.collectivity.name),
    Column(_l("SIREN"), lambda found, ctx: found.sheet.collectivity.siren),
    Column(_l("Départements"), lambda found, ctx: found.sheet.collectivity.departement_codes),
    Column(_l("Mots-clés"), lambda found, ctx: list(found.sheet.tags or ())),
    Column(_l("Collectivités qui l'ont réutilisée"), lambda found, ctx: found.reuses),
    Column(_l("Score d'essaimage"), lambda found, ctx: found.spread),
    Column(_l("Mise à jour le"), lambda found, ctx: found.sheet.updated_at),
    Column(_l("Résumé"), lambda found, ctx: found.excerpt),
)


def _days_logged(engagement) -> float | None:
    return round(sum(log.days for log in engagement.day_logs), 2) if engagement else None


# A pairing as "Mes rapprochements" lists it: (pairing, stage, {party: rating}).
PAIRING_COLUMNS = (
    Column(_l("Identifiant"), lambda row, ctx: row[0].id),
    Column(_l("Besoin"), lambda row, ctx: row[0].need.title),
    Column(_l("Collectivité d'accueil"), lambda row, ctx: row[0].need.collectivity.name),
    Column(_l("Offre"), lambda row, ctx: row[0].offer.title),
    Column(_l("Agent"), lambda row, ctx: row[0].offer.agent.display_name),
    Column(_l("Collectivité d'origine"), lambda row, ctx: row[0].offer.collectivity.name),
    Column(_l("Étape"), lambda row, ctx: row[1].title),
    Column(_l("Décidé le"), lambda row, ctx: row[0].decided_at),
    Column(_l("Début"), lambda row, ctx: row[0].engagement.start_date if row[0].engagement else None),
    Column(_l("Fin prévue"), lambda row, ctx: row[0].engagement.end_date if row[0].engagement else None),
    Column(_l("Jours prévus"), lambda row, ctx: row[0].engagement.planned_days if row[0].engagement else None),
    Column(_l("Jours réalisés"), lambda row, ctx: _days_logged(row[0].engagement)),
    Column(_l("Note de l'agent"), lambda row, ctx: row[2].get("agent")),
    Column(_l("Note de la collectivité d'accueil"), lambda row, ctx: row[2].get("host")),
)


# A waiting suggestion as the coordinator's queue shows it (pairings.services.queue_items.QueueItem).
SUGGESTION_COLUMNS = (
    Column(_l("Suggestion"), lambda item, ctx: item.suggestion.id),
    Column(_l("Pertinence"), lambda item, ctx: round(item.suggestion.score, 3)),
    Column(_l("En attente depuis (jours)"), lambda item, ctx: item.age_days),
    Column(_l("Besoin"), lambda item, ctx: item.need.title),
    Column(_l("Collectivité d'accueil"), lambda item, ctx: item.need.collectivity.name),
    Column(_l("Départements"), lambda item, ctx: item.need.collectivity.departement_codes),
    Column(_l("Domaine"), lambda item, ctx: ctx.label(taxonomy.DOMAINS, item.need.domain)),
    Column(_l("Offre"), lambda item, ctx: item.offer.title),
    Column(_l("Agent"), lambda item, ctx: item.offer.agent.display_name),
    Column(_l("Collectivité d'origine"), lambda item, ctx: item.offer.collectivity.name),
    Column(_l("Mises en relation en cours / capacité"), lambda item, ctx: f"{item.open_count}/{item.capacity}"),
    Column(_l("Demandée par la collectivité d'accueil"), lambda item, ctx: item.requested_by or ""),
)


def headers(columns) -> list[str]:
    return [str(column.title) for column in columns]


class Context:
    """What the rows of one export share: départements by collectivity, translated labels."""

    def __init__(self):
        self.places: dict[int, list[str]] = {}
        self._labels: dict[tuple[int, str], str] = {}

    def label(self, mapping: dict, key: str) -> str:
        # Translating a lazy label costs ~0.1 ms: once per export, not once per row.
        cache_key = (id(mapping), key)
        if cache_key not in self._labels:
            self._labels[cache_key] = str(taxonomy.label(mapping, key))
        return self._labels[cache_key]


def rows_of(items, columns) -> Iterator[list]:
    """The rows of items already loaded (a list page's results)."""
    ctx = Context()
    for item in items:
        yield [column.value(item, ctx) for column in columns]


def rows(query: Select, columns) -> Iterator[list]:
    """The rows of `query` (one entity per row), read BATCH at a time; each batch's items leave
    the session once written, so memory holds one batch, not the whole export. Only the
    collectivity is loaded with each item (the owner and their roles are not exported)."""
    entity = query.column_descriptions[0]["entity"]
    query = query.options(raiseload("*"), joinedload(entity.collectivity).raiseload("*"))
    ctx = Context()
    places = ctx.places
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
            yield [column.value(item, ctx) for column in columns]
            db.session.expunge(item)
