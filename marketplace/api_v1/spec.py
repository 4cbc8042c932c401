"""Binds the /api/v1/ blueprint and its OpenAPI 3.1 document (flask-smorest) to an application.

flask-smorest's `Api` would answer every HTTP error of the whole site in JSON: `EssaimApi` keeps
that to the API blueprint (views_common.py), so the pages keep their HTML error pages.
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from marketplace.api_v1.schemas import ErrorSchema
from marketplace.core.extensions import csrf

PREFIX = "API_V1_"
DESCRIPTION = """\
Données ouvertes d'Essaim, la plateforme de partage de compétences entre collectivités :
fiches pratiques publiées et leurs réutilisations, statistiques agrégées par territoire et annuaire
des collectivités. Ces données sont publiées sous **Licence Ouverte / Open Licence 2.0** (Etalab) :
réutilisation libre, y compris commerciale, en citant la source « Essaim ».

Vos propres offres et besoins, les suggestions que vous pouvez voir et vos rapprochements se lisent
et se modifient avec un **jeton d'API personnel** créé depuis votre profil (en-tête
`Authorization: Bearer <jeton>`), de portée lecture ou écriture. Les mêmes règles que sur le site
s'appliquent. Les listes sont paginées (`page`, `per_page` ≤ 100, `total`) et le nombre de requêtes
est limité (réponse 429). Les erreurs sont en JSON, en français (anglais avec `Accept-Language: en`).
"""


class EssaimApi(Api):
    """flask-smorest's Api, with our error body documented and no site-wide error handler."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """The API blueprint has its own handlers; the rest of the site keeps its HTML pages."""


def register(app: Flask) -> None:
    """Register the API blueprint, its rate limit, its CSRF exemption and the OpenAPI document."""
    from marketplace.api_v1 import views, views_me  # noqa: F401  (their routes join the blueprint)
    from marketplace.api_v1.views_common import bp
    from marketplace.api_v1.views_pages import bp as pages_bp

    defaults = {
        "API_TITLE": "API Essaim",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {"description": DESCRIPTION,
                     "license": {"name": "Licence Ouverte / Open Licence 2.0 (données)",
                                 "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}},
            "components": {"securitySchemes": {"jeton": {"type": "http", "scheme": "bearer",
                                                          "description": "Jeton d'API personnel (profil)"}}},
        },
    }
    for key, value in defaults.items():
        app.config.setdefault(PREFIX + key, value)
    # Tokens, not cookies, authenticate these requests: the CSRF token has nothing to protect.
    csrf.exempt(bp)
    api = EssaimApi(config_prefix="API_V1")
    api.init_app(app)
    api.register_blueprint(bp)
    app.register_blueprint(pages_bp)
