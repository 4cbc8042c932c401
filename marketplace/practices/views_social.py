"""Essaimage declarations, comments, follows and collections (thin views)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import ServiceError
from marketplace.core.forms import parse_id
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.web import attempt, refuse
from marketplace.practices.views_blueprint import bp, member_required, run
from marketplace.practices.forms import CollectionForm, CollectionItemForm, CommentForm, ReuseForm, TargetForm
from marketplace.practices.services import collections, discussion, essaimage, pages
from marketplace.practices.services.access import can_curate


def _back(sheet_id: int, anchor: str = ""):
    return redirect(url_for(".detail", sheet_id=sheet_id) + anchor)


@bp.post("/<int:sheet_id>/reprise")
@member_required
def declare_reuse(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = ReuseForm()
    run(form, lambda: essaimage.declare_reuse(sheet, current_user, form.collectivity_id.data, form.stage.data),
        _("Merci : la reprise de cette pratique est enregistrée."))
    return _back(sheet.id, "#essaimage")


@bp.post("/<int:sheet_id>/reprise/retirer")
@member_required
def withdraw_reuse(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = TargetForm()
    run(form, lambda: essaimage.withdraw_reuse(sheet, current_user, form.item_id.data or 0),
        _("Déclaration retirée."))
    return _back(sheet.id, "#essaimage")


@bp.post("/<int:sheet_id>/commentaires")
@member_required
def comment(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = CommentForm()
    run(form, lambda: discussion.add_comment(sheet, current_user, form.body.data), _("Commentaire publié."))
    return _back(sheet.id, "#discussion")


@bp.post("/suivre")
@member_required
def follow():
    form = TargetForm()
    run(form, lambda: discussion.follow(current_user, form.kind.data, form.key.data),
        _("Vous suivez désormais cet élément."))
    return redirect(_return_to(form))


@bp.post("/ne-plus-suivre")
@member_required
def unfollow():
    form = TargetForm()
    run(form, lambda: discussion.unfollow(current_user, form.kind.data, form.key.data),
        _("Vous ne suivez plus cet élément."))
    return redirect(_return_to(form))


def _return_to(form) -> str:
    if form.kind.data == "sheet" and parse_id(form.key.data):
        return url_for(".detail", sheet_id=parse_id(form.key.data))
    return url_for(".following")


@bp.get("/suivis")
@member_required
def following():
    return render_template("practices/following.html", follows=pages.follows_page(current_user),
                           button=TargetForm(),
                           domains=DOMAINS)


# --- collections ------------------------------------------------------------------------------

@bp.get("/collections")
def collection_list():
    return render_template("practices/collections.html", collections=collections.all_collections(),
                           curator=can_curate(current_user))


@bp.route("/collections/nouvelle", methods=["GET", "POST"])
@member_required
def collection_create():
    if not can_curate(current_user):
        abort(403)
    form = CollectionForm()
    if form.validate_on_submit():
        try:
            created = collections.create_collection(current_user, form.title.data, form.description.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Collection créée : ajoutez-y des fiches et des ressources."), "success")
            return redirect(url_for(".collection_detail", collection_id=created.id))
    return render_template("practices/collection_form.html", form=form)


@bp.get("/collections/<int:collection_id>")
def collection_detail(collection_id: int):
    page = pages.collection_page(collection_id, current_user)
    form = CollectionItemForm()
    form.target.choices = page["choices"]
    return render_template("practices/collection.html", **page, form=form, button=TargetForm())


@bp.post("/collections/<int:collection_id>/elements")
@member_required
def collection_add(collection_id: int):
    page = pages.collection_page(collection_id, current_user)
    form = CollectionItemForm()
    form.target.choices = page["choices"]
    run(form, lambda: collections.add_item(page["collection"], current_user, note=form.note.data, **form.ids()),
        _("Élément ajouté à la collection."))
    return redirect(url_for(".collection_detail", collection_id=collection_id))


@bp.post("/collections/<int:collection_id>/elements/<action>")
@member_required
def collection_item(collection_id: int, action: str):
    page = pages.collection_page(collection_id, current_user)
    form = TargetForm()
    actions = {"monter": -1, "descendre": 1}
    if not form.validate_on_submit() or not form.item_id.data or action not in (*actions, "retirer"):
        abort(400)
    if action == "retirer":
        attempt(lambda: collections.remove_item(page["collection"], current_user, form.item_id.data))
    else:
        attempt(lambda: collections.move_item(page["collection"], current_user, form.item_id.data, actions[action]))
    return redirect(url_for(".collection_detail", collection_id=collection_id))


@bp.post("/collections/<int:collection_id>/supprimer")
@member_required
def collection_delete(collection_id: int):
    page = pages.collection_page(collection_id, current_user)
    run(TargetForm(), lambda: collections.delete_collection(page["collection"], current_user),
        _("Collection supprimée."))
    return redirect(url_for(".collection_list"))
