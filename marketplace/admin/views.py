"""Administration: accounts, role requests, coordinator scopes and approver rights. Admins only.

Every POST here is checked by CSRFProtect before the view runs.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import roles as role_service
from marketplace.core.forms import parse_page
from marketplace.accounts.forms import ActionForm
from marketplace.admin import domains as domain_service
from marketplace.admin import services as admin_service
from marketplace.admin.forms import (ApproveRoleForm, ApproverForm, CoordinatorForm, DomainForm,
                                     UserFilterForm)
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db, login_manager
from marketplace.core.web import attempt, refuse
from marketplace.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def _user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _user_page(user: User, **forms):
    forms.setdefault("coordinator_form", CoordinatorForm(formdata=None))
    forms.setdefault("approver_form", ApproverForm(formdata=None))
    forms.setdefault("approve_form", ApproveRoleForm(formdata=None))
    forms.setdefault("action_form", ActionForm(formdata=None))
    return render_template("admin/user.html", user=user, audit=role_service.audit_log(user),
                           methods=role_service.METHODS, **forms)


def _refused(user: User, error: ServiceError, form_name: str | None = None, form=None):
    """Show a refusal next to its field when the form has it, else as an alert."""
    if form is not None and error.field in form:
        form[error.field].errors = list(form[error.field].errors) + [error.message]
        return _user_page(user, **{form_name: form})
    flash(error.message, "error")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.get("/")
def index():
    form = UserFilterForm(request.args)
    form.validate()
    page = parse_page(request.args.get("page"))
    users = admin_service.list_users(
        search=form.q.data if not form.q.errors else "", role=form.role.data or "",
        pending=bool(form.pending.data), page=page,
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("admin/index.html", form=form, users=users, args=args,
                           pending=admin_service.pending_count())


@bp.get("/utilisateurs/<int:user_id>")
def user(user_id: int):
    return _user_page(_user(user_id))


@bp.post("/utilisateurs/<int:user_id>/activation")
def set_active(user_id: int):
    target = _user(user_id)
    try:
        admin_service.set_active(current_user, target, request.form.get("active") == "1")
    except ServiceError as error:
        return _refused(target, error)
    flash(_("Le compte est activé.") if target.active else _("Le compte est désactivé."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/utilisateurs/<int:user_id>/roles/<int:role_id>/approuver")
def approve_role(user_id: int, role_id: int):
    target = _user(user_id)
    form = ApproveRoleForm()
    if not form.validate_on_submit():
        return _user_page(target, approve_form=form)
    try:
        admin_service.approve_role(current_user, target, role_id, form.yearly_day_budget.data)
    except ServiceError as error:
        return _refused(target, error, "approve_form", form)
    flash(_("Le rôle est accordé."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/utilisateurs/<int:user_id>/roles/<int:role_id>/retirer")
def revoke_role(user_id: int, role_id: int):
    target = _user(user_id)
    try:
        admin_service.revoke_role(current_user, target, role_id)
    except ServiceError as error:
        return _refused(target, error)
    flash(_("Le rôle est retiré."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/utilisateurs/<int:user_id>/coordinateur")
def grant_coordinator(user_id: int):
    target = _user(user_id)
    form = CoordinatorForm()
    if not form.validate_on_submit():
        return _user_page(target, coordinator_form=form)
    try:
        admin_service.grant_coordinator(current_user, target, form.departements.data, form.regions.data)
    except ServiceError as error:
        return _refused(target, error, "coordinator_form", form)
    flash(_("Le périmètre de coordination est accordé."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/utilisateurs/<int:user_id>/approbateur")
def grant_approver(user_id: int):
    target = _user(user_id)
    form = ApproverForm()
    if not form.validate_on_submit():
        return _user_page(target, approver_form=form)
    try:
        admin_service.grant_approver(current_user, target, form.collectivity_id.data,
                                     form.collectivity_query.data, form.yearly_day_budget.data)
    except ServiceError as error:
        return _refused(target, error, "approver_form", form)
    flash(_("Le droit d'accord de l'employeur est accordé."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/utilisateurs/<int:user_id>/administrateur")
def grant_admin(user_id: int):
    target = _user(user_id)
    try:
        admin_service.grant_admin(current_user, target)
    except ServiceError as error:
        return _refused(target, error)
    flash(_("Ce compte est maintenant administrateur."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/domaines", methods=["GET", "POST"])
def domains():
    """The e-mail domains of the collectivities: list, and add one."""
    form = DomainForm()
    if form.validate_on_submit():
        try:
            domain_service.add_domain(current_user, form.collectivity_id.data,
                                      form.collectivity_query.data, form.domain.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Le domaine est enregistré."), "success")
            return redirect(url_for("admin.domains"))
    status = 400 if form.errors else 200
    return render_template("admin/domains.html", form=form, domains=domain_service.list_domains(),
                           action_form=ActionForm(formdata=None)), status


@bp.post("/domaines/<int:domain_id>/supprimer")
def remove_domain(domain_id: int):
    form = ActionForm()
    if form.validate_on_submit():
        attempt(lambda: domain_service.remove_domain(current_user, domain_id), _("Le domaine est retiré."))
    return redirect(url_for("admin.domains"))
