"""ProConnect (OpenID Connect) sign-in, the web side, with Authlib's Flask client.

Authorisation code flow with PKCE (S256); `state` and `nonce` of 43 characters, checked by Authlib
on return; the ID token's signature, issuer, audience, expiry (with `PROCONNECT_LEEWAY` seconds of
clock skew) and nonce are verified; userinfo comes back as a JWT signed with the provider's keys
(JWKS) and is verified too. Logout goes through the provider's end-session endpoint.
"""
from __future__ import annotations

import logging
import secrets
import time

from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError
from joserfc.jwk import KeySet

from marketplace.accounts import proconnect, throttle
from marketplace.accounts.proconnect_forms import LinkForm, SetPasswordForm
from marketplace.core.errors import ServiceError
from marketplace.core.web import refuse

logger = logging.getLogger(__name__)

bp = Blueprint("proconnect", __name__, url_prefix="/compte/proconnect")
PENDING_KEY = "proconnect_link"
ID_TOKEN_KEY = "proconnect_id_token"
PENDING_MAX_AGE = 600  # seconds a link may wait for its password
SIGNING_ALGORITHMS = ["RS256", "ES256"]


def init_proconnect(app: Flask) -> None:
    """Template helpers, and a ProConnect client when it is configured (nothing is fetched yet)."""

    @app.context_processor
    def proconnect_helpers():
        return {"proconnect_enabled": "proconnect" in app.extensions,
                "proconnect_password_form": lambda: SetPasswordForm(formdata=None),
                "account_security": _account_security}

    attach_client(app)


def attach_client(app: Flask) -> None:
    """Create the Authlib client for the ProConnect settings of this app, if there are any."""
    config = app.config
    if not proconnect.is_configured(config):
        app.extensions.pop("proconnect", None)
        return
    oauth = OAuth(app)
    client = oauth.register(
        "proconnect", client_id=config["PROCONNECT_CLIENT_ID"], client_secret=config["PROCONNECT_CLIENT_SECRET"],
        server_metadata_url=config["PROCONNECT_DISCOVERY_URL"],
        client_kwargs={"scope": config["PROCONNECT_SCOPES"], "code_challenge_method": "S256",
                       "token_endpoint_auth_method": "client_secret_post", "timeout": 10,
                       # ProConnect's access tokens live 60 s: Authlib's default margin (60 s)
                       # would call them expired before userinfo is even asked.
                       "leeway": 5},
    )
    app.extensions["proconnect"] = client


def _client():
    client = current_app.extensions.get("proconnect")
    if client is None:
        abort(404)
    return client


def _external(endpoint: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint)


def _failed(reason: str):
    logger.warning("ProConnect sign-in refused: %s", reason)
    flash(_("La connexion avec ProConnect a échoué. Réessayez, ou connectez-vous avec votre mot de passe."),
          "error")
    return redirect(url_for("accounts.login"))


@bp.get("/connexion")
def start():
    client = _client()
    extra = {}
    if current_app.config.get("PROCONNECT_ACR_VALUES"):
        extra["acr_values"] = current_app.config["PROCONNECT_ACR_VALUES"]
    try:
        return client.authorize_redirect(_external("proconnect.callback"), state=secrets.token_urlsafe(32),
                                         nonce=secrets.token_urlsafe(32), **extra)
    except Exception as error:  # provider unreachable or its discovery document unusable
        return _failed(f"discovery: {error!r}")


def _signed_userinfo(client, token: dict, subject: str) -> dict:
    """The userinfo JWT, verified against the provider's keys; its subject must be the ID token's."""
    metadata = client.load_server_metadata()
    response = client.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if response.headers.get("Content-Type", "").split(";")[0].strip() != "application/jwt":
        raise ValueError("userinfo is not a signed JWT")
    algorithms = metadata.get("userinfo_signing_alg_values_supported") or SIGNING_ALGORITHMS
    try:
        decoded = jwt.decode(response.text.strip(), KeySet.import_key_set(client.fetch_jwk_set()), algorithms)
    except InvalidKeyIdError:  # the provider may have rotated its keys since we fetched them
        decoded = jwt.decode(response.text.strip(), KeySet.import_key_set(client.fetch_jwk_set(force=True)),
                             algorithms)
    expected = {"sub": {"essential": True, "value": subject}}
    if "iss" in decoded.claims:
        expected["iss"] = {"value": metadata.get("issuer")}
    if "aud" in decoded.claims:
        expected["aud"] = {"value": client.client_id}
    jwt.JWTClaimsRegistry(leeway=current_app.config["PROCONNECT_LEEWAY"], **expected).validate(decoded.claims)
    return dict(decoded.claims)


@bp.get("/retour")
def callback():
    client = _client()
    try:
        issuer = client.load_server_metadata().get("issuer")
        expected = {"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": client.client_id},
                    "exp": {"essential": True}, "sub": {"essential": True}}
        token = client.authorize_access_token(leeway=current_app.config["PROCONNECT_LEEWAY"], claims_options=expected)
        id_claims = token.get("userinfo")
        if not id_claims or not token.get("id_token"):
            raise ValueError("no verified ID token")
        wanted_acr = current_app.config.get("PROCONNECT_ACR_VALUES", "").split()
        if wanted_acr and id_claims.get("acr") not in wanted_acr:  # a weaker authentication than asked
            raise ValueError(f"acr {id_claims.get('acr')!r} is not one of {wanted_acr}")
        claims = {**_signed_userinfo(client, token, id_claims["sub"]), "sub": id_claims["sub"],
                  "acr": id_claims.get("acr"), "amr": id_claims.get("amr")}
    except Exception as error:  # state, PKCE, signature, nonce, audience, expiry: any failure refuses
        logger.debug("ProConnect callback failure", exc_info=True)
        return _failed(repr(error))
    try:
        outcome = proconnect.sign_in(claims)
    except ServiceError as error:
        refuse(error)
        return redirect(url_for("accounts.login"))
    if outcome.status == "confirm_link":
        session[PENDING_KEY] = {"claims": proconnect.link_claims(claims), "id_token": token["id_token"],
                                "at": int(time.time())}
        return redirect(url_for("proconnect.confirm"))
    _log_in(outcome.user, token["id_token"])
    if outcome.status == "created":
        flash(_("Votre compte est créé avec votre identité ProConnect."), "success")
        return redirect(url_for("accounts.onboarding"))
    return redirect(url_for("main.dashboard"))


def _log_in(user, id_token: str) -> None:
    """A brand-new session (only the chosen language survives), then the login."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    g.pop("csrf_token", None)
    g.login_method = "proconnect"
    login_user(user)
    session[ID_TOKEN_KEY] = id_token


@bp.route("/liaison", methods=["GET", "POST"])
def confirm():
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
        session.pop(PENDING_KEY, None)
        flash(_("Cette demande de liaison a expiré. Reconnectez-vous avec ProConnect."), "error")
        return redirect(url_for("accounts.login"))
    claims = pending["claims"]
    form = LinkForm()
    if form.validate_on_submit():
        try:
            user = throttle.guarded(claims["email"], request.remote_addr,
                                    lambda: proconnect.confirm_link(claims, form.password.data))
        except ServiceError as error:
            refuse(error, form)
        else:
            session.pop(PENDING_KEY, None)
            _log_in(user, pending["id_token"])
            flash(_("Votre identité ProConnect est reliée à votre compte."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/proconnect_link.html", form=form, email=claims["email"])


@bp.post("/mot-de-passe")
@login_required
def set_password():
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            proconnect.set_local_password(current_user, form.password.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Votre mot de passe est enregistré : vous pouvez aussi vous connecter avec lui."), "success")
            return redirect(url_for("accounts.profile"))
    from marketplace.accounts.forms import ChangePasswordForm, ProfileForm

    return render_template("accounts/profile.html", set_password_form=form,
                           password_form=ChangePasswordForm(formdata=None),
                           profile_form=ProfileForm(formdata=None, obj=current_user,
                                                    language=current_user.preferred_language)), 400


def _account_security(user) -> dict:
    """What the profile shows about how this account signs in and where it is logged in."""
    from marketplace.accounts import sessions as user_sessions

    return {"has_password": proconnect.has_local_password(user), "identity": proconnect.identity_of(user),
            "sessions": user_sessions.active_sessions(user)}


def provider_logout(id_token: str | None):
    """After our own logout, the redirect that ends the session at ProConnect too (None when
    the session did not come from ProConnect or ProConnect is no longer configured)."""
    client = current_app.extensions.get("proconnect")
    if not id_token or client is None:
        return None
    try:
        return client.logout_redirect(post_logout_redirect_uri=_external("proconnect.logged_out"),
                                      id_token_hint=id_token, state=secrets.token_urlsafe(32))
    except Exception as error:  # the provider is unreachable: our own logout is done anyway
        logger.warning("ProConnect logout not reached: %r", error)
        return None


@bp.get("/deconnecte")
def logged_out():
    client = current_app.extensions.get("proconnect")
    if client is not None:
        try:
            client.validate_logout_response()
        except Exception as error:  # a stale or forged return: nothing to undo, we are logged out
            logger.info("ProConnect logout return without a valid state: %r", error)
    return redirect(url_for("main.home"))
