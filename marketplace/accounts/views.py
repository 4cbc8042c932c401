"""Accounts: register, verify the address, log in and out, reset the password, profile, onboarding.

Views read the form, call one service function, then flash, redirect or render.
"""
from __future__ import annotations

from flask import (Blueprint, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.core.web import attempt
from marketplace.accounts import services as accounts
from marketplace.accounts import throttle
from marketplace.accounts.proconnect_views import ID_TOKEN_KEY, provider_logout
from marketplace.accounts.rate_limit_views import limit_account_emails
from marketplace.core.errors import ServiceError
from marketplace.core.web import refuse
from marketplace.accounts import onboarding as onboarding_service
from marketplace.accounts import roles as role_service
from marketplace.core.tokens import TokenExpired, TokenInvalid
from marketplace.core.urls import safe_next
from marketplace.accounts.forms import (
    ActionForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    OnboardingForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    RoleDecisionForm,
)

bp = Blueprint("accounts", __name__, url_prefix="/compte")


def _clear_session() -> None:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    # Flask-WTF caches the signed token of the old session for this request: drop it too.
    g.pop("csrf_token", None)


def _start_session(user) -> None:
    """Log in on a brand-new session: nothing from before survives but the chosen language,
    so a session fixed by someone else before login is worthless."""
    _clear_session()
    # Unwrap the current_user proxy, or Flask-Login would cache the proxy as the user it points to.
    login_user(getattr(user, "_get_current_object", lambda: user)())


def _end_session() -> None:
    """End the session, keeping only the chosen language."""
    logout_user()
    _clear_session()


@bp.route("/inscription", methods=["GET", "POST"])
@limit_account_emails
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            accounts.register_user(form.email.data, form.password.data,
                                   form.display_name.data, form.language.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            # The same answer whether or not the address already had an account.
            flash(_("Vérifiez votre messagerie : un e-mail vient d'être envoyé à %(email)s pour "
                    "terminer votre inscription.", email=form.email.data.strip()), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            # Only failed attempts count (per account and per address), see accounts/throttle.py.
            user = throttle.guarded(form.email.data, request.remote_addr,
                                    lambda: accounts.log_in(form.email.data, form.password.data))
        except ServiceError as error:
            refuse(error, form)
        else:
            _start_session(user)
            return redirect(safe_next(form.next.data) or url_for("main.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.post("/deconnexion")
def logout():
    # CSRFProtect has already refused a POST without a valid token.
    id_token = session.get(ID_TOKEN_KEY)
    _end_session()
    flash(_("Vous êtes déconnecté."), "info")
    return provider_logout(id_token) or redirect(url_for("main.home"))


@bp.get("/verification/<token>")
def verify_email(token: str):
    try:
        accounts.verify_email_token(token)
    except TokenExpired:
        flash(_("Ce lien de confirmation a expiré. Demandez-en un nouveau."), "error")
    except TokenInvalid:
        flash(_("Ce lien de confirmation n'est pas valide."), "error")
    else:
        flash(_("Votre adresse e-mail est confirmée."), "success")
    return redirect(url_for("main.dashboard") if current_user.is_authenticated
                    else url_for("accounts.login"))


@bp.route("/verification/renvoyer", methods=["GET", "POST"])
@login_required
@limit_account_emails
def resend_verification():
    form = ActionForm()
    if form.validate_on_submit():
        if accounts.resend_verification(current_user):
            flash(_("Un nouveau lien de confirmation vous a été envoyé à %(email)s.",
                    email=current_user.email), "success")
        else:
            flash(_("Votre adresse e-mail est déjà confirmée."), "info")
        return redirect(url_for("main.dashboard"))
    return render_template("accounts/resend_verification.html", form=form)


@bp.route("/mot-de-passe/oubli", methods=["GET", "POST"])
@limit_account_emails
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(_("Si un compte existe avec cette adresse, un lien pour choisir un nouveau mot de "
                "passe vient de lui être envoyé."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        if form.validate_on_submit():
            accounts.reset_password(token, form.password.data)
            flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
            return redirect(url_for("accounts.login"))
        accounts.user_for_reset_token(token)
    except TokenExpired:
        flash(_("Ce lien a expiré. Demandez-en un nouveau."), "error")
        return redirect(url_for("accounts.forgot_password"))
    except TokenInvalid:
        flash(_("Ce lien n'est pas valide ou a déjà servi. Demandez-en un nouveau."), "error")
        return redirect(url_for("accounts.forgot_password"))
    return render_template("accounts/reset_password.html", form=form, token=token)


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user, language=current_user.preferred_language)
    if form.validate_on_submit():
        accounts.update_profile(current_user, form.display_name.data, form.language.data)
        session["lang"] = current_user.preferred_language
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", profile_form=form,
                           password_form=ChangePasswordForm(formdata=None))



@bp.post("/profil/mot-de-passe")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            _start_session(current_user)  # the identity embeds the new stamp: renew this session
            flash(_("Votre mot de passe est changé. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", password_form=form,
                           profile_form=ProfileForm(formdata=None, obj=current_user,
                                                    language=current_user.preferred_language))


@bp.route("/bienvenue", methods=["GET", "POST"])
@login_required
def onboarding():
    form = OnboardingForm()
    if form.validate_on_submit():
        try:
            added = onboarding_service.complete_onboarding(
                current_user, form.roles.data or [], form.collectivity_id.data,
                form.collectivity_query.data,
            )
        except ServiceError as error:
            refuse(error, form)
        else:
            if any(not a.active for a in added):
                flash(_("Votre demande est enregistrée. Elle sera active une fois vérifiée : vos "
                        "prochaines étapes expliquent comment."), "info")
            else:
                flash(_("Bienvenue ! Voici vos prochaines étapes."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/onboarding.html", form=form)


@bp.post("/roles/<int:assignment_id>/retirer")
@login_required
def withdraw_role(assignment_id: int):
    form = ActionForm()
    if form.validate_on_submit():
        attempt(lambda: role_service.withdraw(current_user, assignment_id), _("Le rôle est retiré."))
    return redirect(url_for("accounts.profile"))


@bp.get("/demandes-de-role")
@login_required
def role_requests():
    """The pending role requests a coordinator or an administrator may decide."""
    requests = role_service.reviewable_requests(current_user)  # NotAllowed -> 403
    return render_template("accounts/role_requests.html", requests=requests,
                           forms={r.id: RoleDecisionForm(formdata=None, prefix=f"r{r.id}")
                                  for r in requests})


@bp.post("/demandes-de-role/<int:assignment_id>")
@login_required
def decide_role_request(assignment_id: int):
    form = RoleDecisionForm(prefix=f"r{assignment_id}")
    if form.validate_on_submit():
        try:
            decided = role_service.decide_request(current_user, assignment_id,
                                                  form.decision.data == "approve", form.reason.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("La demande est validée.") if decided.active else _("La demande est refusée."),
                  "success")
            return redirect(url_for("accounts.role_requests"))
    requests = role_service.reviewable_requests(current_user)
    forms = {r.id: RoleDecisionForm(formdata=None, prefix=f"r{r.id}") for r in requests}
    forms[assignment_id] = form
    return render_template("accounts/role_requests.html", requests=requests, forms=forms), 400
