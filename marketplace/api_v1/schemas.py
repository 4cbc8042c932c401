"""The shapes of what /api/v1/ reads and writes: the OpenAPI document is generated from them.

Inputs refuse unknown fields (marshmallow's default); every string and number is bounded.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from marketplace.api_v1.fields import FiniteFloat, Id, Length, OneOf, Range, Text, UtcDateTime, clean_text
from marketplace.core import taxonomy
from marketplace.listings.services import DESCRIPTION_MAX, TITLE_MAX
from marketplace.models.practices import REUSE_STAGES

PER_PAGE_MAX = 100
PAGE_MAX = 1_000_000


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "Message lisible (français, anglais sur demande)"})
    field = fields.String(allow_none=True, metadata={"description": "Champ en cause, s'il y en a un"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Tous les messages, par champ"})


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=Range(min=1, max=PAGE_MAX))
    per_page = fields.Integer(load_default=20, validate=Range(min=1, max=PER_PAGE_MAX))


class PageSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "Nombre total d'éléments"})
    pages = fields.Integer(required=True)


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A page envelope schema (items + page, per_page, total, pages) named for the OpenAPI document."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)})


# --- public data --------------------------------------------------------------------------------


class CollectivityRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)


class ReuseSchema(Schema):
    collectivity = fields.Nested(CollectivityRefSchema, required=True)
    stage = fields.String(required=True, validate=OneOf(REUSE_STAGES))
    inspired_at = UtcDateTime(required=True)
    implemented_at = UtcDateTime(allow_none=True)


class PracticeSheetSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    problem = fields.String(required=True)
    actions = fields.String(required=True)
    results = fields.String(required=True)
    costs = fields.String(required=True)
    days = fields.Float(allow_none=True, metadata={"description": "Jours de travail estimés"})
    domain = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    collectivity = fields.Nested(CollectivityRefSchema, required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    url = fields.String(required=True, metadata={"description": "Page de la fiche sur Essaim"})
    reuses = fields.List(fields.Nested(ReuseSchema), required=True)


class PracticeQuery(PageQuery):
    domain = fields.String(validate=OneOf(sorted(taxonomy.DOMAINS)))
    departement = Text(3, metadata={"description": "Code du département de la collectivité auteure ('01', '2A', '971')"})


class CollectivitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    nature = fields.String(allow_none=True, metadata={"description": "Nature d'un EPCI : CC, CA, CU, METRO..."})
    code = fields.String(required=True, metadata={"description": "Code officiel (INSEE, SIREN d'EPCI, département...)"})
    insee_code = fields.String(allow_none=True, metadata={"description": "Code INSEE de la commune (pas le code postal)"})
    siren = fields.String(allow_none=True)
    departements = fields.List(fields.String(), required=True)
    regions = fields.List(fields.String(), required=True)
    population = fields.Integer(allow_none=True)


class CollectivityQuery(PageQuery):
    q = Text(100, metadata={"description": "Nom (ou début de nom), code INSEE, SIREN ou code de territoire"})
    kind = fields.String(validate=OneOf(sorted(taxonomy.COLLECTIVITY_KINDS)))
    departement = Text(3)


class StatisticsQuery(Schema):
    du = Text(10, metadata={"description": "Début de la période (AAAA-MM-JJ)"})
    au = Text(10, metadata={"description": "Fin de la période (AAAA-MM-JJ)"})
    domaine = fields.String(validate=OneOf(sorted(taxonomy.DOMAINS)))
    departement = Text(3)
    region = Text(3)


class TotalsSchema(Schema):
    offers = fields.Integer(required=True)
    needs = fields.Integer(required=True)
    suggestions = fields.Integer(required=True)
    approved = fields.Integer(required=True)
    rejected = fields.Integer(required=True)
    engagements = fields.Integer(required=True)
    conventions_signed = fields.Integer(required=True)
    days_planned = fields.Float(required=True)
    days_logged = fields.Float(required=True)
    rating = fields.Float(allow_none=True)
    ratings = fields.Integer(required=True)
    sheets = fields.Integer(required=True)
    reuses = fields.Integer(required=True)


def _counts():
    return fields.Dict(keys=fields.String(), values=fields.Integer())


def _series():
    return fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))


class StatisticsSchema(Schema):
    licence = fields.String(required=True, metadata={"description": "Licence Ouverte / Open Licence 2.0 (Etalab)"})
    licence_url = fields.String(required=True)
    source = fields.String(required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    pairings_by_status = _counts()
    medians = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), required=True)
    by_month = _series()
    by_domain = _series()
    by_departement = _series()
    by_region = _series()


# --- the token holder's own data ----------------------------------------------------------------


class ListingFields(Schema):
    """What offers and needs have in common, as written by their owner. No `load_default`: the
    same schemas, partial, describe a PATCH, where a missing field must stay as it is."""

    title = Text(TITLE_MAX, min_length=1, required=True)
    description = Text(DESCRIPTION_MAX)
    tags = fields.List(fields.String(validate=[Length(min=1, max=50), clean_text]), validate=Length(max=20))
    domain = fields.String(required=True, validate=OneOf(sorted(taxonomy.DOMAINS)))
    modality = fields.String(required=True, validate=OneOf(sorted(taxonomy.MODALITIES)))
    collectivity_id = Id(required=True)


class OfferInput(ListingFields):
    days_per_month = FiniteFloat(required=True, validate=Range(min=0, max=10_000))
    available_from = fields.Date(allow_none=True)
    available_until = fields.Date(allow_none=True)
    max_distance_km = fields.Integer(strict=True, allow_none=True, validate=Range(min=0, max=10_000))
    publish = fields.Boolean(metadata={"description": "Publier dès la création (faux par défaut)"})


class NeedInput(ListingFields):
    estimated_days = FiniteFloat(required=True, validate=Range(min=0, max=10_000))
    start_date = fields.Date(allow_none=True)
    deadline = fields.Date(allow_none=True)
    publish = fields.Boolean(metadata={"description": "Publier dès la création (faux par défaut)"})


class OfferPatch(OfferInput):
    """The fields of an offer to change (all optional)."""

    class Meta:
        exclude = ("publish",)


class NeedPatch(NeedInput):
    """The fields of a need to change (all optional)."""

    class Meta:
        exclude = ("publish",)


class StatusInput(Schema):
    status = fields.String(required=True, validate=OneOf(sorted(set(taxonomy.OFFER_STATUSES)
                                                                | set(taxonomy.NEED_STATUSES))))


class ListingOut(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    domain = fields.String(required=True)
    modality = fields.String(required=True)
    collectivity_id = fields.Integer(required=True)
    published_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    allowed_moves = fields.List(fields.String(), required=True,
                                metadata={"description": "Statuts vers lesquels l'élément peut passer"})
    url = fields.String(required=True)


class OfferSchema(ListingOut):
    days_per_month = fields.Float(required=True)
    available_from = fields.Date(allow_none=True)
    available_until = fields.Date(allow_none=True)
    max_distance_km = fields.Integer(allow_none=True)


class NeedSchema(ListingOut):
    estimated_days = fields.Float(required=True)
    start_date = fields.Date(allow_none=True)
    deadline = fields.Date(allow_none=True)


class ListingRefSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class SuggestionSchema(Schema):
    id = fields.Integer(required=True)
    offer = fields.Nested(ListingRefSchema, required=True)
    need = fields.Nested(ListingRefSchema, required=True)
    score = fields.Float(required=True)
    reasons = fields.Dict(required=True, metadata={"description": "Ce qui rapproche l'offre et le besoin"})
    updated_at = UtcDateTime(required=True)


class SuggestionQuery(PageQuery):
    offer_id = Id(strict=False)
    need_id = Id(strict=False)


class ConsentSchema(Schema):
    party = fields.String(required=True)
    decision = fields.String(required=True)
    decided_at = UtcDateTime(required=True)


class PairingSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    offer = fields.Nested(ListingRefSchema, required=True)
    need = fields.Nested(ListingRefSchema, required=True)
    decided_at = UtcDateTime(allow_none=True)
    parties = fields.List(fields.String(), required=True, metadata={"description": "Vos rôles dans ce rapprochement"})
    consents = fields.List(fields.Nested(ConsentSchema), required=True)
    engagement_status = fields.String(allow_none=True)
    url = fields.String(required=True)
