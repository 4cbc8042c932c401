"""The pages around the API: its documentation (/api/v1/docs) and the profile's token list
(/compte/jetons-api), where tokens are created (the secret shown once) and revoked."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.api_v1.forms import TokenForm
from marketplace.api_v1.services import tokens
from marketplace.core.errors import ServiceError
from marketplace.core.web import attempt, refuse

bp = Blueprint("api_v1_pages", __name__)


@bp.get("/api/v1/docs")
def docs():
    return render_template("api_v1/docs.html")


@bp.get("/compte/jetons-api")
@login_required
def token_list():
    return render_template("api_v1/tokens.html", form=TokenForm(), tokens=tokens.tokens_of(current_user), secret=None)


@bp.post("/compte/jetons-api")
@login_required
def create_token():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = tokens.create_token(current_user, form.name.data, form.scope.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            form = TokenForm(formdata=None)
    status = 200 if secret or not form.errors else 400
    # The secret is rendered in this response only, never stored in clear nor put in a URL.
    return render_template("api_v1/tokens.html", form=form, tokens=tokens.tokens_of(current_user),
                           secret=secret), status, {"Cache-Control": "no-store"}


@bp.post("/compte/jetons-api/<int:token_id>/revoquer")
@login_required
def revoke_token(token_id: int):
    TokenForm()  # nothing to read: the CSRF token is checked by CSRFProtect for every POST
    attempt(lambda: tokens.revoke_token(current_user, token_id), _("Jeton révoqué : il ne permet plus rien."))
    return redirect(url_for(".token_list"))
