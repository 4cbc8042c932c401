"""Binds the /api/v1/ blueprint and its OpenAPI 3.1 document (flask-smorest) to an application.

flask-smorest's `Api` would answer every HTTP error of the whole site in JSON: `EssaimApi` keeps
that to the API blueprint (views_common.py), so the pages keep their HTML error pages.
"""
from __future__ import annotations

import threading

from flask import Flask
from flask_smorest import Api
from flask_smorest.spec import openapi_cli

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
    """flask-smorest's Api, with our error body documented, no site-wide error handler, and an
    OpenAPI document built when it is first read (the JSON, the docs page, `flask openapi`).

    Building the document (apispec resolving every marshmallow schema of every operation) was
    half of `create_app`'s time, ~20 ms at each start of a web or worker process and at each of
    the ~1,800 test apps; most processes never serve it. The routes are registered at once, the
    document's steps (flask-smorest's own, in the same order) run on the first read of `spec`.
    """

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        self._document_steps: list = []
        self._document_lock = threading.RLock()
        self._document_builder: int | None = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        # The steps read `spec` themselves (the builder's thread gets the document being built);
        # another thread waits for the whole of it.
        if self._document_steps and self._document_builder != threading.get_ident():
            with self._document_lock:
                self._document_builder = threading.get_ident()
                try:
                    while self._document_steps:  # a step leaves the list once it is done
                        self._document_steps[0]()
                        self._document_steps.pop(0)
                finally:
                    self._document_builder = None
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def _init_spec(self, **kwargs):
        self._app.cli.add_command(openapi_cli)  # `flask openapi` exists before the document
        self._document_steps.append(lambda: Api._init_spec(self, **kwargs))

    def register_blueprint(self, blp, *, parameters=None, **options):
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._document_steps.append(lambda: self._document(blp, name, parameters))

    def _document(self, blp, name, parameters):
        """What flask-smorest's register_blueprint adds to the document."""
        blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
        self._spec.tag({"name": name, "description": blp.description})

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
