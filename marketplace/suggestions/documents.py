"""What the shared matching indexes hold: which listings belong in them and the matching document
of each (offers, needs, practice sheets), plus the JSON form a document takes in the change log."""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from matching import Document

from marketplace.core.extensions import db
from marketplace.models import Need, PracticeSheet, SkillOffer
from marketplace.practices.services.documents import sheet_document

logger = logging.getLogger(__name__)

KINDS = ("offers", "needs", "practices")
MODELS = {"offers": SkillOffer, "needs": Need, "practices": PracticeSheet}
# The status an item has while it belongs in its index.
INDEXED_STATUS = {"offers": "published", "needs": "open", "practices": "published"}


def offer_days_available(offer: SkillOffer, today: date | None = None) -> float:
    """Days the agent can give over the next twelve months of their availability window."""
    today = today or date.today()
    start = max(today, offer.available_from or today)
    # A date typed as year 9999 has no "one year later": clamp to the last day there is.
    end_limit = date(start.year + 1, start.month, min(start.day, 28)) if start.year < date.max.year else date.max
    end = min(offer.available_until or end_limit, end_limit)
    if end <= start:
        return 0.0
    months = (end - start).days / 30.44
    return round(offer.days_per_month * months, 2)


def _place(collectivity) -> dict:
    if collectivity is None or collectivity.latitude is None or collectivity.longitude is None:
        return {}
    return {"lat": collectivity.latitude, "lon": collectivity.longitude}


def _meta(item) -> dict:
    collectivity = item.collectivity
    return {
        "collectivity": str(item.collectivity_id),
        "epci": str(collectivity.epci_id) if collectivity is not None and collectivity.epci_id else None,
        "modality": item.modality,
        **_place(collectivity),
    }


def offer_document(offer: SkillOffer) -> Document:
    """The matching document of an offer: its words, its tags and domain, the facts rules read."""
    meta = _meta(offer) | {
        "days_available": offer_days_available(offer),
        "max_distance_km": offer.max_distance_km,
    }
    return Document(offer.id, f"{offer.title}\n{offer.description}", tuple(offer.tags or ()) + (offer.domain,), meta)


def need_document(need: Need) -> Document:
    """The matching document of a need."""
    meta = _meta(need) | {"days_available": need.estimated_days}
    return Document(need.id, f"{need.title}\n{need.description}", tuple(need.tags or ()) + (need.domain,), meta)


DOCUMENT = {"offers": offer_document, "needs": need_document, "practices": sheet_document}


def build_document(kind: str, item) -> Document | None:
    """The matching document of a row, or None (logged) when the row cannot make one: one bad
    row must cost its own suggestions, never the whole index."""
    try:
        return DOCUMENT[kind](item)
    except (ArithmeticError, TypeError, ValueError):
        logger.exception("%s %s skipped: no matching document can be built from it", kind, item.id)
        return None


def load_item(kind: str, item_id: int):
    """A listing read afresh with only what its document needs (its collectivity): the joined
    author or agent and their roles cost most of the time of a change otherwise."""
    model = MODELS[kind]
    options = [lazyload("*")]
    if hasattr(model, "collectivity"):
        options.append(joinedload(model.collectivity))
    return db.session.scalars(select(model).where(model.id == item_id).options(*options)
                              .execution_options(populate_existing=True)).first()


def is_indexed(kind: str, item) -> bool:
    """Whether an item belongs in its index: published offers, open needs, published sheets."""
    return item is not None and item.status == INDEXED_STATUS[kind]


def indexed_items(kind: str):
    """The listings that belong in an index, in id order."""
    model = MODELS[kind]
    status = INDEXED_STATUS[kind]
    return db.session.execute(
        select(model).where(model.status == status).order_by(model.id).execution_options(yield_per=1000)
    ).scalars()


def count_indexable(kind: str) -> int:
    """How many listings a refit of this index would read."""
    model = MODELS[kind]
    status = INDEXED_STATUS[kind]
    return db.session.query(model).filter(model.status == status).count()


def to_json(document: Document) -> dict:
    """A document as stored in a change row (JSON: ids are ints, meta values plain)."""
    return {"id": document.id, "text": document.text, "tags": list(document.tags), "meta": dict(document.meta)}


def from_json(data: dict) -> Document:
    return Document(data["id"], data["text"], tuple(data["tags"]), data["meta"])
