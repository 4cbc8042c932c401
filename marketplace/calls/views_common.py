"""What the calls' view modules share: the blueprint, the state labels, the pages a refused form is
shown again on. Times are shown in Paris time by the communities' `community_local_time` filter."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.calls import forms
from marketplace.calls.services import pages

bp = Blueprint("calls", __name__, url_prefix="/appels")


@bp.app_template_global("call_status_label")
def call_status_label(status: str) -> str:
    return {"draft": _("Brouillon"), "open": _("Ouvert"), "closed": _("Clos, en instruction"),
            "published": _("Résultats publiés")}.get(status, status)


@bp.app_template_global("project_status_label")
def project_status_label(status: str) -> str:
    return {"submitted": _("Déposé"), "withdrawn": _("Retiré"), "laureate": _("Lauréat"),
            "not_selected": _("Non retenu")}.get(status, status)


def submitted(form) -> bool:
    """A posted form that passed its own checks (the service checks again)."""
    return request.method == "POST" and form.validate()


def call_page(call_id: int, status: int = 200, **forms_in_error):
    page = pages.call_page(call_id, current_user)
    page_forms = {"juror_form": forms.JurorForm(formdata=None), "button_form": forms.ButtonForm(formdata=None)}
    page_forms.update(forms_in_error)
    return render_template("calls/detail.html", **page, **page_forms), status


def project_page(call_id: int, project_id: int, status: int = 200, **forms_in_error):
    page = pages.project_page(call_id, project_id, current_user)
    page_forms = {"score_form": forms.ScoreForm(formdata=None), "conflict_form": forms.ConflictForm(formdata=None),
                  "button_form": forms.ButtonForm(formdata=None), "typed_marks": {}}
    if page["my_score"] is not None and "score_form" not in forms_in_error:
        page_forms["score_form"].comment.data = page["my_score"].comment
        page_forms["typed_marks"] = page["my_score"].marks
    page_forms.update(forms_in_error)
    return render_template("calls/project.html", **page, **page_forms), status
