"""The queue page's rows as plain values: only the columns the page shows, in one statement.

The page's 25 rows were ORM entities (suggestion, offer, need, the agent, both collectivities and
the host's départements, in two statements): building them cost more of a view's CPU than reading
them. These read-only values answer the same attribute paths the templates and the export read
(`offer.agent.display_name`, `need.collectivity.departement_codes`...), so that a QueueItem holds
either them or the entities (`queue.item`, whose page also reads the need's exclusions).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from datetime import date

from sqlalchemy import Integer, and_, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from marketplace.models import Collectivity, CollectivityDepartement, Need, Pairing, SkillOffer, Suggestion, User
from marketplace.pairings.services.queue_sql import connection, postgresql


@dataclass(frozen=True, slots=True)
class ShownPerson:
    display_name: str


@dataclass(frozen=True, slots=True)
class ShownPlace:
    name: str
    departement_codes: list[str] = field(default_factory=list)  # sorted, as Collectivity's


@dataclass(frozen=True, slots=True)
class ShownSuggestion:
    id: int
    offer_id: int
    need_id: int
    score: float
    reasons: dict


@dataclass(frozen=True, slots=True)
class ShownOffer:
    id: int
    title: str
    agent_id: int
    agent: ShownPerson
    collectivity: ShownPlace
    modality: str
    days_per_month: float
    available_from: date | None
    available_until: date | None
    max_distance_km: int | None


@dataclass(frozen=True, slots=True)
class ShownNeed:
    id: int
    title: str
    domain: str
    modality: str
    estimated_days: float
    deadline: date | None
    collectivity: ShownPlace


def shown_rows(suggestion_ids) -> dict[int, tuple[ShownSuggestion, ShownOffer, ShownNeed, str | None]]:
    """(suggestion, offer, need, the display name of the host's representative who asked them, or
    None) of these suggestions, by id, in one statement (none when there are no ids)."""
    if not suggestion_ids:
        return {}
    found = {}
    rows = connection().execute(_statement(postgresql()), {"ids": sorted(suggestion_ids)}).all()
    for (suggestion_id, offer_id, need_id, score, reasons, offer_title, agent_id, agent_name, home_name, offer_modality,
         days_per_month, available_from, available_until, max_distance_km, need_title, domain, need_modality,
         estimated_days, deadline, host_name, codes, asked_by) in rows:
        offer = ShownOffer(offer_id, offer_title, agent_id, ShownPerson(agent_name), ShownPlace(home_name),
                           offer_modality, days_per_month, available_from, available_until, max_distance_km)
        need = ShownNeed(need_id, need_title, domain, need_modality, estimated_days, deadline,
                         ShownPlace(host_name, sorted(codes.split(",")) if codes else []))
        found[suggestion_id] = (ShownSuggestion(suggestion_id, offer_id, need_id, score, reasons or {}), offer, need,
                                asked_by)
    return found


@cache
def _statement(on_postgresql: bool):
    """The statement of shown_rows, built once per process (the ids are its parameter): building it,
    and above all reading the columns of four new aliases, cost a view ~3 ms of CPU."""
    agent, home, host, asker = aliased(User), aliased(Collectivity), aliased(Collectivity), aliased(User)
    # The host's départements as one string per row ("," never occurs in a code), sorted in Python:
    # string_agg on PostgreSQL, group_concat on SQLite, along the link table's primary key.
    departements = (select(func.aggregate_strings(CollectivityDepartement.departement_code, ","))
                    .where(CollectivityDepartement.collectivity_id == host.id).correlate(host).scalar_subquery())
    # One array parameter on PostgreSQL (see queue_sql), an expanding IN elsewhere.
    chosen = (Suggestion.id == any_(bindparam("ids", type_=ARRAY(Integer))) if on_postgresql
              else Suggestion.id.in_(bindparam("ids", expanding=True)))
    return (
        select(Suggestion.id, Suggestion.offer_id, Suggestion.need_id, Suggestion.score, Suggestion.reasons,
               SkillOffer.title, SkillOffer.agent_id, agent.display_name, home.name, SkillOffer.modality,
               SkillOffer.days_per_month, SkillOffer.available_from, SkillOffer.available_until,
               SkillOffer.max_distance_km,
               Need.title, Need.domain, Need.modality, Need.estimated_days, Need.deadline, host.name, departements,
               asker.display_name)
        .join(SkillOffer, SkillOffer.id == Suggestion.offer_id).join(Need, Need.id == Suggestion.need_id)
        .join(agent, agent.id == SkillOffer.agent_id).join(home, home.id == SkillOffer.collectivity_id)
        .join(host, host.id == Need.collectivity_id)
        .outerjoin(Pairing, and_(Pairing.offer_id == Suggestion.offer_id, Pairing.need_id == Suggestion.need_id))
        .outerjoin(asker, asker.id == Pairing.requested_by_id)
        .where(chosen))
