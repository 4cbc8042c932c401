"""The projects of a call: submit, edit, withdraw; the jury scores them or declares a conflict."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.calls import forms
from marketplace.calls.services import access, calls, jury, pages, projects
from marketplace.calls.views_common import bp, project_page, submitted
from marketplace.core.errors import ServiceError
from marketplace.core.web import attempt, refuse


def _project_form(call, form):
    form.collectivity_id.choices = [(c.id, c.name) for c in access.eligible_collectivities(call, current_user)]
    return form


def _project_form_page(call, form, title, project=None):
    trail = [(call.title, url_for(".detail", call_id=call.id))]
    if project is not None:
        trail.append((project.title, url_for(".project", call_id=call.id, project_id=project.id)))
    intro = _("Appel « %(call)s » : vous pouvez modifier ou retirer votre projet jusqu'au %(deadline)s "
              "(heure de Paris).", call=call.title, deadline=calls.paris_text(call.deadline_at))
    return render_template("calls/form.html", form=form, title=title, trail=trail, intro=intro,
                           fields=forms.ProjectForm.FIELDS), 400 if form.errors else 200


@bp.route("/<int:call_id>/deposer", methods=["GET", "POST"])
@login_required
def submit(call_id: int):
    call = access.get_call(call_id, current_user)
    form = _project_form(call, forms.ProjectForm())
    if submitted(form):
        try:
            project = projects.submit(call, current_user, form.project_data())
        except ServiceError as error:
            refuse(error, form)
        else:
            return redirect(url_for(".project", call_id=call_id, project_id=project.id))
    return _project_form_page(call, form, _("Déposer un projet"))


@bp.get("/<int:call_id>/projets/<int:project_id>")
@login_required
def project(call_id: int, project_id: int):
    return project_page(call_id, project_id)


@bp.route("/<int:call_id>/projets/<int:project_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_project(call_id: int, project_id: int):
    page = pages.project_page(call_id, project_id, current_user)
    call, item = page["call"], page["project"]
    form = _project_form(call, forms.ProjectForm(obj=None if request.method == "POST" else item))
    if submitted(form) and attempt(lambda: projects.update(call, item, current_user, form.project_data()),
                                    _("Projet mis à jour."), form):
        return redirect(url_for(".project", call_id=call_id, project_id=project_id))
    return _project_form_page(call, form, _("Modifier le projet"), item)


@bp.post("/<int:call_id>/projets/<int:project_id>/retirer")
@login_required
def withdraw(call_id: int, project_id: int):
    call, item = access.call_and_project(call_id, project_id, current_user)
    if forms.ButtonForm().validate():
        attempt(lambda: projects.withdraw(call, item, current_user), _("Projet retiré."))
    return redirect(url_for(".project", call_id=call_id, project_id=project_id))


@bp.post("/<int:call_id>/projets/<int:project_id>/note")
@login_required
def score(call_id: int, project_id: int):
    call, item = access.call_and_project(call_id, project_id, current_user)
    form = forms.ScoreForm()
    typed = forms.marks(request.form, len(call.criteria))
    if form.validate() and attempt(lambda: jury.score(call, item, current_user, typed, form.comment.data),
                                   _("Votre note est enregistrée."), form):
        return redirect(url_for(".detail", call_id=call_id))
    return project_page(call_id, project_id, 400, score_form=form, typed_marks=typed)


@bp.post("/<int:call_id>/projets/<int:project_id>/conflit")
@login_required
def declare_conflict(call_id: int, project_id: int):
    call, item = access.call_and_project(call_id, project_id, current_user)
    form = forms.ConflictForm()
    if form.validate() and attempt(lambda: jury.declare_conflict(call, item, current_user, form.reason.data),
                                   _("Conflit d'intérêts déclaré : vous ne noterez pas ce projet."), form):
        return redirect(url_for(".detail", call_id=call_id))
    return project_page(call_id, project_id, 400, conflict_form=form)
