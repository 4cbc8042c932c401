"""Finding a collectivity from what a person types: a name, a postal code, an INSEE code, a SIREN.

Used by the autocomplete endpoint (GET /api/collectivites) and by server-side forms
(`resolve_collectivity`). Names are compared on `Collectivity.search_name`, the normalised form the
geography import stores (lowercase, no accents, hyphens and apostrophes as spaces).
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select

from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.forms import parse_id
from marketplace.models import Collectivity
from marketplace.models.geography import CollectivityPostalCode
from marketplace.core.taxonomy import COLLECTIVITY_KINDS, EPCI_NATURES, label
from marketplace.geography.plan import normalise_name

QUERY_MIN_LENGTH = 2
QUERY_MAX_LENGTH = 100
MAX_LIMIT = 50
POSTAL_CODE = re.compile(r"\d{5}")
INSEE_CODE = re.compile(r"(\d{2}|2[AB])\d{3}", re.IGNORECASE)
SIREN = re.compile(r"\d{9}")
TERRITORY_CODE = re.compile(r"\d{2,3}|2[AB]", re.IGNORECASE)
TERRITORY_KINDS = ("departement", "region", "statut_particulier")


class InvalidSearch(ServiceError):
    """A search request that cannot be answered; the message is meant for the user."""


def search_collectivities(query: str, kinds=None, limit: int = 10) -> list[dict]:
    """Collectivities matching a name, postal code, INSEE code or SIREN, best matches first."""
    text = (query or "").strip()
    limit = max(1, min(int(limit), MAX_LIMIT))
    compact = re.sub(r"\s+", "", text)
    statement = select(Collectivity)
    if kinds:
        statement = statement.where(Collectivity.kind.in_(list(kinds)))
    by_population = func.coalesce(Collectivity.population, -1).desc()

    if SIREN.fullmatch(compact):
        statement = statement.where(Collectivity.siren == compact)
    elif POSTAL_CODE.fullmatch(compact):
        # 5 digits is a postal code or an INSEE code (69123): both are looked up.
        with_postal_code = select(CollectivityPostalCode.collectivity_id).where(
            CollectivityPostalCode.postal_code == compact
        )
        statement = statement.where(
            or_(Collectivity.insee_code == compact, Collectivity.id.in_(with_postal_code))
        ).order_by(case((Collectivity.insee_code == compact, 0), else_=1), by_population)
    elif INSEE_CODE.fullmatch(compact):
        statement = statement.where(Collectivity.insee_code == compact.upper())
    else:
        name = normalise_name(text)
        if not name:
            return []
        pattern = _escape_like(name)
        conditions = [Collectivity.search_name.like(f"%{pattern}%", escape="\\")]
        if TERRITORY_CODE.fullmatch(compact):
            # '69', '2A', '971': the département, région or overseas collectivity of that code.
            conditions.append((Collectivity.code == compact.upper()) & Collectivity.kind.in_(TERRITORY_KINDS))
        statement = statement.where(or_(*conditions)).order_by(
            case((Collectivity.code == compact.upper(), 0),
                 (Collectivity.search_name.like(f"{pattern}%", escape="\\"), 1), else_=2),
            by_population,
            Collectivity.name,
        )
    found = db.session.scalars(statement.order_by(Collectivity.id).limit(limit)).all()
    return [collectivity_summary(item) for item in found]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def collectivity_summary(item: Collectivity) -> dict:
    """The JSON-ready description of a collectivity used by the autocomplete."""
    kind_label = label(COLLECTIVITY_KINDS, item.kind)
    shown_kind = label(EPCI_NATURES, item.nature) if item.kind == "epci" and item.nature else kind_label
    departements = item.departement_codes
    where = f" ({', '.join(departements)})" if departements and len(departements) <= 3 else ""
    return {
        "id": item.id,
        "kind": item.kind,
        "kind_label": kind_label,
        "name": item.name,
        "code": item.code,
        "departements": departements,
        "postal_codes": list(item.postal_codes or []),
        "label": f"{item.name}{where} — {shown_kind[:1].lower()}{shown_kind[1:]}",
    }


def api_search(query: str | None, kind_values: list[str]) -> list[dict]:
    """Validate the autocomplete parameters, then search; raises InvalidSearch with a French message."""
    text = (query or "").strip()
    if len(text) < QUERY_MIN_LENGTH:
        raise InvalidSearch(_("Saisissez au moins %(n)d caractères.", n=QUERY_MIN_LENGTH))
    if len(text) > QUERY_MAX_LENGTH:
        raise InvalidSearch(_("La recherche est limitée à %(n)d caractères.", n=QUERY_MAX_LENGTH))
    kinds = [k.strip() for value in kind_values for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in COLLECTIVITY_KINDS]
    if unknown:
        raise InvalidSearch(_("Type de collectivité inconnu : %(kind)s.", kind=", ".join(unknown)))
    return search_collectivities(text, kinds=kinds or None)


def resolve_collectivity(query_or_code) -> Collectivity | None:
    """The collectivity named exactly by an INSEE code, a SIREN or a database id; None otherwise.

    For server-side forms (without JavaScript the autocomplete's hidden id is empty, and the text
    field may hold a code). A name is never resolved here: it can be ambiguous.
    """
    if query_or_code is None:
        return None
    if isinstance(query_or_code, int):
        return db.session.get(Collectivity, query_or_code)
    value = re.sub(r"\s+", "", str(query_or_code))
    if INSEE_CODE.fullmatch(value):
        return db.session.scalars(
            select(Collectivity).where(Collectivity.kind == "commune", Collectivity.insee_code == value.upper())
        ).first()
    if SIREN.fullmatch(value):
        return db.session.scalars(select(Collectivity).where(Collectivity.siren == value)).first()
    if parse_id(value):  # "²" passes isdigit(), and 11 digits overflow an id column
        return db.session.get(Collectivity, parse_id(value))
    return None
