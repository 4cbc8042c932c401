"""The essaimage kit: the /essaimage/ page, its PDF, and a sheet's readiness checklist (thin views)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.errors import ServiceError
from marketplace.core.web import refuse
from marketplace.essaimage.forms import ChecklistForm, KitFilterForm
from marketplace.essaimage.services import kit, readiness
from marketplace.models.essaimage import READINESS_ITEMS

bp = Blueprint("essaimage", __name__, url_prefix="/essaimage")


@bp.get("/")
def index():
    form = KitFilterForm(formdata=request.args)
    valid = form.validate()
    page = kit.kit_page(form.stage(), form.min_score(), listed=valid)
    return render_template("essaimage/index.html", form=form, **page), (200 if valid else 400)


@bp.get("/kit.pdf")
def kit_pdf():
    response = Response(kit.kit_pdf(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="kit-essaimage.pdf"'
    return response


@bp.route("/fiches/<int:sheet_id>/preparation", methods=["GET", "POST"])
@login_required
def checklist(sheet_id: int):
    sheet, rows = readiness.editable_checklist(sheet_id, current_user)
    form = ChecklistForm()
    if request.method == "GET":
        form.fill(rows)
    elif form.validate_on_submit():
        try:
            score = readiness.save_checklist(sheet, current_user, form.entries())
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Liste de préparation enregistrée : la fiche est prête à %(s)s %%.", s=score), "success")
            return redirect(url_for("practices.detail", sheet_id=sheet.id) + "#essaimage-kit")
    return render_template("essaimage/checklist.html", form=form, sheet=sheet, items=READINESS_ITEMS,
                           questions=readiness.ITEM_QUESTIONS)
