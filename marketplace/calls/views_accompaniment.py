"""A laureate's accompaniment: plan, mentors, progress, and the closing retour d'expérience."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.calls import forms
from marketplace.calls.services import accompaniment as follow_ups, pages
from marketplace.calls.views_common import bp, submitted
from marketplace.core.web import attempt

PATH = "/<int:call_id>/projets/<int:project_id>/accompagnement"


def _page(call_id, project_id, status=200, **forms_in_error):
    page = pages.accompaniment_page(call_id, project_id, current_user)
    page_forms = {"step_form": forms.StepForm(formdata=None), "mentor_form": forms.MentorForm(formdata=None),
                  "button_form": forms.ButtonForm(formdata=None)}
    page_forms.update(forms_in_error)
    return render_template("calls/accompaniment.html", **page, **page_forms), status


def _back(call_id, project_id):
    return redirect(url_for(".accompaniment", call_id=call_id, project_id=project_id))


@bp.get(PATH)
@login_required
def accompaniment(call_id: int, project_id: int):
    return _page(call_id, project_id)


@bp.post(PATH + "/etapes")
@login_required
def add_step(call_id: int, project_id: int):
    call, follow_up = follow_ups.lookup(call_id, project_id, current_user)
    form = forms.StepForm()
    data = {"kind": form.kind.data, "title": form.title.data, "due_on": form.due_on.data, "notes": form.notes.data}
    if form.validate() and attempt(lambda: follow_ups.add_step(call, follow_up, current_user,
                                                                  data), _("Étape ajoutée."), form):
        return _back(call_id, project_id)
    return _page(call_id, project_id, 400, step_form=form)


@bp.post(PATH + "/etapes/<int:step_id>/atteinte")
@login_required
def complete_step(call_id: int, project_id: int, step_id: int):
    call, follow_up = follow_ups.lookup(call_id, project_id, current_user)
    if forms.ButtonForm().validate():
        attempt(lambda: follow_ups.complete_step(call, follow_up, current_user, step_id),
                _("Étape atteinte."))
    return _back(call_id, project_id)


@bp.post(PATH + "/mentors")
@login_required
def add_mentor(call_id: int, project_id: int):
    call, follow_up = follow_ups.lookup(call_id, project_id, current_user)
    form = forms.MentorForm()
    if form.validate() and attempt(lambda: follow_ups.add_mentor(call, follow_up,
                                                                    current_user, email=form.email.data),
                                   _("Mentor ajouté."), form):
        return _back(call_id, project_id)
    return _page(call_id, project_id, 400, mentor_form=form)


@bp.post(PATH + "/mentors/offre/<int:offer_id>")
@login_required
def add_offer_mentor(call_id: int, project_id: int, offer_id: int):
    call, follow_up = follow_ups.lookup(call_id, project_id, current_user)
    if forms.ButtonForm().validate():
        attempt(lambda: follow_ups.add_mentor(call, follow_up, current_user,
                                                 offer_id=offer_id), _("Mentor ajouté."))
    return _back(call_id, project_id)


@bp.route(PATH + "/retour", methods=["GET", "POST"])
@login_required
def finish(call_id: int, project_id: int):
    page = pages.finish_page(call_id, project_id, current_user)
    form = forms.FinishForm()
    if submitted(form) and attempt(lambda: follow_ups.finish(page["call"], page["accompaniment"], current_user,
                                                                form.finish_data()),
                                   _("Retour d'expérience publié comme fiche pratique."), form):
        return _back(call_id, project_id)
    return render_template("calls/finish.html", **page, form=form), 400 if form.errors else 200
