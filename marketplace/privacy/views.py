"""Personal data rights pages: my data (archive request and download), account deletion, and the
administrators' register of processing activities."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from marketplace.accounts.forms import ActionForm
from marketplace.accounts.sessions import SESSION_KEY
from marketplace.core.errors import ServiceError
from marketplace.core.permissions import role_required
from marketplace.core.tokens import TokenExpired, TokenInvalid
from marketplace.core.web import attempt, refuse
from marketplace.privacy.forms import DeleteAccountForm
from marketplace.privacy.services import deletion, export, register

bp = Blueprint("privacy", __name__)


@bp.get("/compte/mes-donnees")
@login_required
def my_data():
    return render_template("privacy/my_data.html", exports=export.exports_of(current_user),
                           form=ActionForm(), hours=current_app.config["DATA_EXPORT_MAX_AGE"] // 3600)


@bp.post("/compte/mes-donnees/archive")
@login_required
def request_export():
    if ActionForm().validate_on_submit():
        attempt(lambda: export.request_export(current_user),
                _("Votre archive est en préparation : un lien de téléchargement vous sera envoyé par e-mail."))
    return redirect(url_for("privacy.my_data"))


@bp.get("/compte/mes-donnees/telecharger/<token>")
@login_required
def download(token: str):
    try:
        path, name = export.file_for_download(current_user, token)
    except (TokenExpired, TokenInvalid) as error:
        flash(error.message, "error")
        return redirect(url_for("privacy.my_data"))
    except ServiceError as error:
        refuse(error)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0)


@bp.route("/compte/supprimer", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user, form.password.data, session.get(SESSION_KEY))
        except ServiceError as error:
            refuse(error, form)
        else:
            _forget_browser()
            flash(_("Votre compte est supprimé. Un e-mail vous le confirme."), "success")
            return redirect(url_for("main.home"))
    return render_template("privacy/delete_account.html", form=form,
                           reauth=deletion.needs_proconnect_reauth(current_user),
                           minutes=deletion.REAUTH_MINUTES)


def _forget_browser() -> None:
    # The account's sessions are already deleted; this browser keeps only its chosen language.
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:
        session["lang"] = language
    g.pop("csrf_token", None)


@bp.get("/admin/registre")
@role_required("admin")
def processing_register():
    return render_template("privacy/register.html", register=register.load_register(current_app.config))
