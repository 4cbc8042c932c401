"""What the practices pages show: one call per page, so that views stay thin."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound
from marketplace.core.extensions import db
from marketplace.core.forms import parse_id
from marketplace.models import Collection, Collectivity, PracticeAttachment, PracticeSheet
from marketplace.core.taxonomy import DOMAINS, label
from marketplace.practices.services import discussion, editing, essaimage, search, uploads
from marketplace.practices.services.access import can_curate, can_remove_attachment, can_view, is_member
from marketplace.practices.services.diff import diff_table
from marketplace.practices.services.render import render_markdown
from marketplace.essaimage.services.sheet_block import sheet_block

MARKDOWN_FIELDS = ("summary", "problem", "actions", "results", "costs", "contacts")


def visible_sheet(sheet_id: int, user) -> PracticeSheet:
    """The sheet if this user may see it; 404 otherwise (a draft does not exist for outsiders)."""
    sheet = db.session.get(PracticeSheet, sheet_id)
    if sheet is None or not can_view(user, sheet):
        raise NotFound(_("Cette fiche n'existe pas ou n'est pas publiée."))
    return sheet


def visible_attachment(attachment_id: int, user) -> PracticeAttachment:
    """A resource of a sheet this user may see, withdrawn or not; NotFound otherwise."""
    attachment = db.session.get(PracticeAttachment, attachment_id)
    if attachment is None:
        raise NotFound(_("Cette ressource n'existe pas."))
    visible_sheet(attachment.sheet_id, user)
    return attachment


def sheet_page(sheet: PracticeSheet, user) -> dict:
    """Everything the detail page of a sheet shows."""
    return {
        "sheet": sheet,
        "member": is_member(user),
        "revision": editing.current_revision(sheet),
        "attachments": [(a, can_remove_attachment(user, a, sheet)) for a in attachments(sheet)],
        "reuses": essaimage.reuses(sheet),
        "spread_regions": essaimage.spread_by_region(sheet),
        "declarable": essaimage.declarable_collectivities(user, sheet),
        "html": {name: render_markdown(getattr(sheet, name)) for name in MARKDOWN_FIELDS},
        "comments": [(c, render_markdown(c.body)) for c in discussion.comments(sheet)],
        "following": discussion.find_follow(user, "sheet", str(sheet.id)) is not None,
        "authors": search.authors(sheet),
        "kit": sheet_block(sheet, user),
    }


def attachments(sheet: PracticeSheet) -> list[PracticeAttachment]:
    """The sheet's resources that are not withdrawn."""
    return uploads.live_attachments(sheet)


def editable_collectivities(user, sheet: PracticeSheet | None = None) -> list[Collectivity]:
    """The collectivities a sheet can be attributed to in the form: the user's own, plus the
    sheet's current one (someone improving a sheet from elsewhere keeps it where it was done)."""
    found = {r.collectivity.id: r.collectivity for r in user.active_roles() if r.collectivity is not None}
    if sheet is not None and sheet.collectivity is not None:
        found.setdefault(sheet.collectivity.id, sheet.collectivity)
    return sorted(found.values(), key=lambda c: c.name)


def diff_page(sheet: PracticeSheet, old_number: int, new_number: int) -> dict:
    """Two revisions of the same sheet and their differences (404 for a number it does not have)."""
    old = editing.get_revision(sheet, old_number)
    new = editing.get_revision(sheet, new_number)
    return {"sheet": sheet, "old": old, "new": new,
            "table": diff_table(old.content, new.content, _("Version %(n)s", n=old.number),
                                _("Version %(n)s", n=new.number), resources=resource_titles(sheet))}


def resource_titles(sheet: PracticeSheet) -> dict[int, str]:
    """Every resource of the sheet, withdrawn or not, by id (for the diff of withdrawals)."""
    return dict(db.session.execute(select(PracticeAttachment.id, PracticeAttachment.title)
                                   .where(PracticeAttachment.sheet_id == sheet.id)).all())


def conflict_diff(sheet: PracticeSheet, current, mine: dict):
    """The saved version next to the text the user tried to save."""
    return diff_table(current.content, mine, _("Version enregistrée (%(n)s)", n=current.number),
                      _("Votre texte"))


def follow_label(kind: str, key: str) -> str:
    """What a follow is about, for a person."""
    if kind == "sheet":
        sheet = db.session.get(PracticeSheet, parse_id(key)) if parse_id(key) else None
        return _("Fiche « %(t)s »", t=sheet.title) if sheet else key
    if kind == "domain":
        return _("Domaine : %(d)s", d=label(DOMAINS, key))
    if kind == "departement":
        return _("Département %(c)s", c=key)
    return _("Région %(c)s", c=key)


def follows_page(user) -> list[tuple]:
    """The user's follows, each with what it is about in words."""
    return [(f, follow_label(f.target_kind, f.target_key)) for f in discussion.follows_of(user)]


def _item_sheet(item) -> PracticeSheet | None:
    if item.sheet is not None:
        return item.sheet
    return db.session.get(PracticeSheet, item.attachment.sheet_id) if item.attachment is not None else None


def collection_page(collection_id: int, user) -> dict:
    """A collection's items this user may see, and for curators the choices they may add."""
    collection = db.session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(_("Cette collection n'existe pas."))
    # Items whose sheet went back to draft stay in the collection but are hidden from outsiders;
    # a withdrawn resource stays listed as withdrawn (its sheet may bring it back).
    items = [i for i in collection.items if (sheet := _item_sheet(i)) is not None and can_view(user, sheet)]
    choices = []
    if can_curate(user):
        for found in search.search_sheets(sort="title"):
            choices.append((f"sheet:{found.sheet.id}", _("Fiche : %(t)s", t=found.sheet.title)))
            for attachment in attachments(found.sheet):
                choices.append((f"attachment:{attachment.id}",
                                _("Ressource : %(t)s (%(s)s)", t=attachment.title, s=found.sheet.title)))
    return {"collection": collection, "items": items, "curator": can_curate(user), "choices": choices}
