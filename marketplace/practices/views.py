"""Practice sheets: list, read, write, history, diff, revert, resources (thin views)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import ServiceError
from marketplace.core.forms import clean_file_name, parse_id
from marketplace.exports import datasets, responses as exports
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.web import refuse
from marketplace.practices.views_blueprint import bp, member_required, run
from marketplace.practices.forms import SORT_LABELS, FileForm, LinkForm, SheetForm, TargetForm
from marketplace.practices.services import editing, essaimage, pages, search, uploads
from marketplace.practices.services.access import EditConflict, is_member


@bp.app_template_global()
def practices_for_need(need, k: int = 3):
    """For a need's page: the published practices closest to it (see _suggested_for_need.html)."""
    return search.similar_practices_for_need(need, k=k)


@bp.get("/")
def index():
    page, filters = search.browse(request.args)
    return render_template("practices/index.html", page=page, args=filters, domains=DOMAINS,
                           sorts=SORT_LABELS)


@bp.get("/export.<fmt>")
def export(fmt: str):
    """The published sheets as CSV or XLSX, filtered exactly like the list page."""
    found = search.export_results(request.args)
    response = exports.download_rows(fmt, "fiches-pratiques", _("Fiches pratiques"),
                                     datasets.headers(datasets.SHEET_COLUMNS), datasets.rows_of(found, datasets.SHEET_COLUMNS))
    if response is None:
        abort(404)
    return response


@bp.get("/regions")
def regions():
    return render_template("practices/regions.html", rows=essaimage.region_table())


@bp.route("/nouvelle", methods=["GET", "POST"])
@member_required
def create():
    form = SheetForm(collectivities=pages.editable_collectivities(current_user))
    if form.validate_on_submit():
        try:
            sheet = editing.create_sheet(current_user, form.sheet_data(), form.comment.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Fiche enregistrée."), "success")
            return redirect(url_for(".detail", sheet_id=sheet.id))
    return render_template("practices/edit.html", form=form, sheet=None, conflict=None)


@bp.get("/<int:sheet_id>")
def detail(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    return render_template("practices/detail.html", **pages.sheet_page(sheet, current_user),
                           file_form=FileForm(), link_form=LinkForm(), button=TargetForm())


@bp.route("/<int:sheet_id>/modifier", methods=["GET", "POST"])
@member_required
def edit(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = SheetForm(obj=sheet if request.method == "GET" else None,
                     collectivities=pages.editable_collectivities(current_user, sheet))
    if request.method == "GET":
        form.base_revision.data = str(sheet.revision_number)
    conflict = None
    if form.validate_on_submit():
        try:
            editing.save_sheet(sheet, current_user, form.sheet_data(), form.base_number(), form.comment.data)
        except EditConflict as error:
            # The user's text stays in the form; the new base lets them save once they merged.
            conflict = {"revision": error.current, "message": error.message,
                        "diff": pages.conflict_diff(sheet, error.current, form.sheet_data())}
            form.base_revision.data = str(error.current.number)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Modifications enregistrées."), "success")
            return redirect(url_for(".detail", sheet_id=sheet.id))
    status = 409 if conflict else 200
    return render_template("practices/edit.html", form=form, sheet=sheet, conflict=conflict), status


@bp.get("/<int:sheet_id>/historique")
def history(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    return render_template("practices/history.html", sheet=sheet, revisions=editing.history(sheet),
                           button=TargetForm(), member=is_member(current_user))


@bp.get("/<int:sheet_id>/comparer")
def diff(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    old, new = parse_id(request.args.get("de")), parse_id(request.args.get("a"))
    if old is None or new is None:
        abort(404)
    return render_template("practices/diff.html", **pages.diff_page(sheet, old, new),
                           button=TargetForm(), member=is_member(current_user))


@bp.post("/<int:sheet_id>/retablir")
@member_required
def revert(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = TargetForm()
    run(form, lambda: editing.revert(sheet, current_user, form.item_id.data or 0, form.base_number()),
        _("La fiche est revenue au contenu de la version choisie (une nouvelle version est créée)."))
    return redirect(url_for(".history", sheet_id=sheet.id))


@bp.post("/<int:sheet_id>/ressources")
@member_required
def upload(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = FileForm()
    run(form, lambda: uploads.add_file(sheet, current_user, form.file.data.stream, form.file.data.filename,
                                       form.title.data), _("Document ajouté."))
    return redirect(url_for(".detail", sheet_id=sheet.id) + "#ressources")


@bp.post("/<int:sheet_id>/liens")
@member_required
def add_link(sheet_id: int):
    sheet = pages.visible_sheet(sheet_id, current_user)
    form = LinkForm()
    run(form, lambda: uploads.add_link(sheet, current_user, form.url.data, form.link_title.data),
        _("Lien ajouté."))
    return redirect(url_for(".detail", sheet_id=sheet.id) + "#ressources")


@bp.get("/ressources/<int:attachment_id>")
def download(attachment_id: int):
    attachment = pages.visible_attachment(attachment_id, current_user)
    response = send_file(uploads.file_path(attachment), mimetype=attachment.mime_type,
                         as_attachment=True, download_name=clean_file_name(attachment.original_name))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/ressources/<int:attachment_id>/supprimer")
@member_required
def remove_attachment(attachment_id: int):
    attachment = pages.visible_attachment(attachment_id, current_user)
    sheet_id = attachment.sheet_id
    run(TargetForm(), lambda: uploads.remove(attachment, current_user),
        _("Ressource retirée : une nouvelle version de la fiche le note, et l'historique permet de la rétablir."))
    return redirect(url_for(".detail", sheet_id=sheet_id) + "#ressources")
