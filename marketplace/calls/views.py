"""Calls for intrapreneur projects (`/appels/`): the calls and their jury. Thin views over the
calls' services; a refusal is shown next to its field (400), rights and existence give 403/404."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace.calls import forms
from marketplace.calls.services import access, calls, pages, results
from marketplace.calls.views_common import bp, call_page, submitted
from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.web import attempt, refuse


@bp.get("/")
@login_required
def index():
    return render_template("calls/index.html", calls=calls.list_calls(current_user),
                           may_open=access.may_open_calls(current_user))


def _call_form_page(form, title: str, call=None):
    trail = [(call.title, url_for(".detail", call_id=call.id))] if call else []
    return render_template("calls/form.html", form=form, title=title, trail=trail,
                           fields=forms.CallForm.FIELDS), 400 if form.errors else 200


@bp.route("/nouveau", methods=["GET", "POST"])
@login_required
def create():
    if not access.may_open_calls(current_user):
        refuse(NotAllowed(_("Seuls les coordinateurs et les administrateurs ouvrent des appels.")))
    form = forms.CallForm()
    if submitted(form):
        try:
            call = calls.create_call(current_user, form.call_data())
        except ServiceError as error:
            refuse(error, form)
        else:
            return redirect(url_for(".detail", call_id=call.id))
    return _call_form_page(form, _("Ouvrir un appel à projets"))


@bp.route("/<int:call_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(call_id: int):
    call = pages.editable_call(call_id, current_user)
    form = forms.CallForm(obj=None if request.method == "POST" else call)
    if request.method == "GET":
        form.departements.data = ", ".join(call.departement_codes)
        form.regions.data = ", ".join(call.region_codes)
        form.deadline.data = calls.paris(call.deadline_at).replace(tzinfo=None)
        form.criteria.data = calls.criteria_text(call)
    if submitted(form) and attempt(lambda: calls.update_call(call, current_user, form.call_data()),
                                    _("Appel mis à jour."), form):
        return redirect(url_for(".detail", call_id=call.id))
    return _call_form_page(form, _("Modifier l'appel"), call)


@bp.get("/<int:call_id>")
@login_required
def detail(call_id: int):
    return call_page(call_id)


MOVES = {
    "ouvrir": (calls.open_call, _l("Appel ouvert : les agents du territoire peuvent déposer leurs projets.")),
    "clore": (calls.close_call, _l("Appel clos : le jury peut noter les projets.")),
    "publier": (results.publish_results, _l("Résultats publiés : chaque porteur de projet est prévenu.")),
}


@bp.post("/<int:call_id>/<any(ouvrir, clore, publier):move>")
@login_required
def change_state(call_id: int, move: str):
    call = access.get_call(call_id, current_user)
    action, message = MOVES[move]
    if forms.ButtonForm().validate():
        attempt(lambda: action(call, current_user), str(message))
    return redirect(url_for(".detail", call_id=call_id))


@bp.post("/<int:call_id>/jury")
@login_required
def add_juror(call_id: int):
    call = access.get_call(call_id, current_user)
    form = forms.JurorForm()
    if form.validate() and attempt(lambda: calls.add_juror(call, current_user, form.email.data),
                                   _("Membre du jury ajouté."), form):
        return redirect(url_for(".detail", call_id=call_id))
    return call_page(call_id, 400, juror_form=form)


@bp.post("/<int:call_id>/jury/<int:juror_id>/retirer")
@login_required
def remove_juror(call_id: int, juror_id: int):
    call = access.get_call(call_id, current_user)
    if forms.ButtonForm().validate():
        attempt(lambda: calls.remove_juror(call, current_user, juror_id), _("Membre du jury retiré."))
    return redirect(url_for(".detail", call_id=call_id))


@bp.get("/<int:call_id>/classement")
@login_required
def ranking(call_id: int):
    return render_template("calls/ranking.html", **pages.ranking_page(call_id, current_user))
