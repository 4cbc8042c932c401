"""Curated collections of sheets and resources (an awareness kit on essaimage, for instance),
assembled by coordinators and administrators."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Collection, CollectionItem, PracticeAttachment, PracticeSheet
from marketplace.practices.services.access import require_curator


def _check_text(title: str, description: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Donnez un titre à la collection."), "title")
    if len(title) > 200:
        raise ServiceError(_("Le titre fait au plus 200 caractères."), "title")
    return title, (description or "").strip()


@transactional
def create_collection(user, title: str, description: str = "") -> Collection:
    """A new, empty collection."""
    require_curator(user)
    title, description = _check_text(title, description)
    collection = Collection(title=title, description=description, created_by_id=user.id)
    db.session.add(collection)
    db.session.flush()
    return collection


@transactional
def update_collection(collection: Collection, user, title: str, description: str) -> None:
    """Rename a collection or change its presentation."""
    require_curator(user)
    collection.title, collection.description = _check_text(title, description)


@transactional
def delete_collection(collection: Collection, user) -> None:
    """Delete a collection (its items go with it; the sheets and resources stay)."""
    require_curator(user)
    db.session.delete(collection)


def all_collections() -> list[Collection]:
    """Every collection, the most recently changed first."""
    return list(db.session.scalars(select(Collection).order_by(Collection.updated_at.desc(), Collection.id)))


@transactional
def add_item(collection: Collection, user, sheet_id: int | None = None,
             attachment_id: int | None = None, note: str = "") -> CollectionItem:
    """Append a published sheet or a resource of a published sheet to the collection."""
    require_curator(user)
    if bool(sheet_id) == bool(attachment_id):
        raise ServiceError(_("Choisissez une fiche ou une ressource."), "target")
    if sheet_id:
        sheet = db.session.get(PracticeSheet, sheet_id)
        if sheet is None or sheet.status != "published":
            raise ServiceError(_("Cette fiche n'existe pas ou n'est pas publiée."), "target")
    else:
        attachment = db.session.get(PracticeAttachment, attachment_id)
        owner = db.session.get(PracticeSheet, attachment.sheet_id) if attachment else None
        if owner is None or owner.status != "published" or attachment.removed_at is not None:
            raise ServiceError(_("Cette ressource n'existe pas ou sa fiche n'est pas publiée."), "target")
    if any(i.sheet_id == (sheet_id or None) and i.attachment_id == (attachment_id or None)
           for i in collection.items):
        raise ServiceError(_("Cet élément est déjà dans la collection."), "target")
    position = max((i.position for i in collection.items), default=-1) + 1
    item = CollectionItem(sheet_id=sheet_id or None, attachment_id=attachment_id or None,
                          position=position, note=(note or "").strip()[:300])
    collection.items.append(item)
    db.session.flush()
    return item


def _item(collection: Collection, item_id: int) -> CollectionItem:
    for item in collection.items:
        if item.id == item_id:
            return item
    raise NotFound(_("Cet élément n'est pas dans la collection."))


@transactional
def remove_item(collection: Collection, user, item_id: int) -> None:
    """Take an item out of the collection (the sheet or resource itself stays)."""
    require_curator(user)
    collection.items.remove(_item(collection, item_id))
    _renumber(collection)


@transactional
def move_item(collection: Collection, user, item_id: int, offset: int) -> None:
    """Move an item up (offset -1) or down (+1) in the collection's order."""
    require_curator(user)
    items = list(collection.items)
    index = items.index(_item(collection, item_id))
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    _renumber(collection, items)


def _renumber(collection: Collection, items=None) -> None:
    for position, item in enumerate(items if items is not None else collection.items):
        item.position = position
