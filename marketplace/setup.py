"""The register_* steps of the application factory."""
from __future__ import annotations

from pathlib import Path

from urllib.parse import urlsplit

from flask import Flask, jsonify, render_template, request, session
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.core.anonymous import AnonymousVisitor
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import (
    babel, cache, csrf, db, enforce_sqlite_foreign_keys, limiter, login_manager, mail, migrate,
)


def select_locale() -> str:
    """The user's preferred language, else the one chosen this session, else the browser's."""
    from flask import has_request_context
    from flask_login import current_user

    languages = current_app_languages()
    if not has_request_context():  # services called from a worker or a CLI command
        return languages[0]
    if getattr(current_user, "is_authenticated", False) and current_user.preferred_language in languages:
        return current_user.preferred_language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def current_app_languages():
    from flask import current_app

    return current_app.config["LANGUAGES"]


def refuse_unsafe_settings(app: Flask) -> None:
    """In production, stop here (web app and Celery workers alike) on settings that are unsafe."""
    from config import unsafe_settings

    if not app.config.get("CHECK_UNSAFE_SETTINGS"):
        return
    problems = unsafe_settings(app.config)
    if problems:
        raise RuntimeError("Essaim refuses to start with ESSAIM_ENV=production: " + "; ".join(problems))


def register_extensions(app: Flask) -> None:
    from marketplace.core.unit_of_work import end_request

    db.init_app(app)
    app.teardown_appcontext(end_request)  # before Flask-SQLAlchemy's removal of the session
    with app.app_context():
        enforce_sqlite_foreign_keys(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    mail.init_app(app)
    cache.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _lazy("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.anonymous_user = AnonymousVisitor

    from marketplace.accounts import sessions as user_sessions
    from marketplace.accounts.session_views import SESSION_KEY, connect_session_signals
    from marketplace.core.forms import parse_id
    from marketplace.models import User

    @login_manager.user_loader
    def load_user(identity: str):
        user_id, _sep, stamp = identity.partition(":")
        user_id = parse_id(user_id)
        if user_id is None:
            return None
        user = db.session.get(User, user_id)
        if user is None or user.security_stamp != stamp:
            return None
        # The cookie alone is not enough: its server-side session must still be open.
        if not user_sessions.check_session(session.get(SESSION_KEY), user.id):
            return None
        return user

    connect_session_signals(app)

    from marketplace.accounts.proconnect_views import init_proconnect

    init_proconnect(app)


def _lazy(text: str):
    from flask_babel import lazy_gettext

    return lazy_gettext(text)


def register_security(app: Flask) -> None:
    from marketplace.core.request import EssaimRequest
    from marketplace.core.urls import register_converters

    app.request_class = EssaimRequest
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        # Exactly this many proxies set X-Forwarded-*: more would let a client choose its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    csp = content_security_policy(app.config)
    hsts = f"max-age={app.config['HSTS_MAX_AGE']}; includeSubDomains" if app.config.get("HSTS_ENABLED") else ""
    register_converters(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if _private(response):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=()")
PRIVATE_MIMETYPES = {"application/json", "application/pdf", "application/feed+json"}


def content_security_policy(config) -> str:
    """The CSP: our own origin only; forms may also lead to ProConnect (its logout is reached by
    a redirect after our logout form, which form-action governs in browsers that enforce it)."""
    form_action = "'self'"
    discovery = config.get("PROCONNECT_DISCOVERY_URL") or ""
    if discovery:
        parts = urlsplit(discovery)
        form_action += f" {parts.scheme}://{parts.netloc}"
    return ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
            f"form-action {form_action}")


def _private(response) -> bool:
    """Whether a response must not be kept by the browser or a proxy: any page a logged-in user
    sees, JSON feeds and PDFs (a shared computer's history or cache must not reveal them)."""
    from flask_login import current_user

    if request.endpoint == "static":
        return False
    if response.mimetype in PRIVATE_MIMETYPES:
        return True
    return bool(getattr(current_user, "is_authenticated", False))


def register_blueprints(app: Flask) -> None:
    from marketplace.accounts.proconnect_views import bp as proconnect_bp
    from marketplace.accounts.session_views import bp as sessions_bp
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.admin.views import bp as admin_bp
    from marketplace.admin.lexicon_views import bp as lexicon_bp
    from marketplace.learning.views import bp as learning_bp
    import marketplace.admin.dead_letters_views  # noqa: F401  (its routes join the admin blueprint)
    import marketplace.admin.message_reports_views  # noqa: F401  (its routes join the admin blueprint)
    from marketplace.api.views import bp as api_bp
    from marketplace.api_v1 import spec as api_v1
    from marketplace.pairings.coordination_views import bp as coordination_bp
    from marketplace.health.views import bp as health_bp
    from marketplace.main.views import bp as main_bp
    from marketplace.legal.views import bp as legal_bp
    from marketplace.privacy.views import bp as privacy_bp
    from marketplace.seo.views import bp as seo_bp
    from marketplace.statistics.views import bp as statistics_bp
    from marketplace.listings.views import needs_bp, offers_bp
    from marketplace.notifications.views import bp as notifications_bp
    from marketplace.pairings.views import bp as pairings_bp
    from marketplace.practices import views as _practice_views, views_social as _social_views  # noqa: F401 (add their routes to the blueprint)
    from marketplace.practices.views_blueprint import bp as practices_bp
    from marketplace.communities.views import bp as communities_bp
    from marketplace.essaimage.views import bp as essaimage_bp
    from marketplace.messaging.views import bp as messaging_bp
    from marketplace.calls import views_accompaniment as _calls_follow_up, views_projects as _calls_projects  # noqa: F401 (add their routes to the blueprint)
    from marketplace.calls.views import bp as calls_bp

    for blueprint in (main_bp, accounts_bp, offers_bp, needs_bp, admin_bp, api_bp, practices_bp,
                      notifications_bp, coordination_bp, pairings_bp, health_bp, statistics_bp, seo_bp,
                      legal_bp, sessions_bp, proconnect_bp, communities_bp, essaimage_bp, messaging_bp,
                      privacy_bp, lexicon_bp, learning_bp, calls_bp):
        app.register_blueprint(blueprint)
    api_v1.register(app)  # /api/v1/, its OpenAPI document and documentation, the profile's tokens


ERROR_MESSAGES = {
    400: "La requête est invalide.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette page n'existe pas ou plus.",
    405: "Cette action n'est pas permise ici.",
    409: "Quelqu'un a modifié cet élément entre-temps. Rechargez la page.",
    413: "Le contenu envoyé est trop volumineux.",
    429: "Trop de tentatives. Réessayez dans quelques minutes.",
    500: "Une erreur est survenue de notre côté. Réessayez plus tard.",
}


def register_error_handlers(app: Flask) -> None:
    def render_error(code: int, description: str | None = None):
        message = description or _(ERROR_MESSAGES.get(code, ERROR_MESSAGES[500]))
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return jsonify({"error": description or message}), code
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 400 and getattr(error, "description", "") and "CSRF" in str(error.description):
            return render_error(400, _("Le formulaire a expiré. Rechargez la page et réessayez."))
        return render_error(error.code or 500)

    @app.errorhandler(ServiceError)
    def refused(error: ServiceError):
        # A refusal no view turned into a form message: its status and its (translated) text.
        db.session.rollback()
        return render_error(error.status, error.message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return render_error(500)


def register_template_helpers(app: Flask) -> None:
    from marketplace.core import taxonomy
    from marketplace.core.templating import register_filters

    register_filters(app)

    @app.context_processor
    def inject_globals():
        from flask_babel import get_locale

        return {
            "taxonomy": taxonomy,
            "current_locale": str(get_locale() or "fr"),
            "languages": app.config["LANGUAGES"],
        }


def register_commands(app: Flask) -> None:
    from marketplace.cli.commands import register

    register(app)


def register_celery(app: Flask) -> None:
    from marketplace.core.celery_app import celery_init_app

    celery_init_app(app)
