"""What every /api/v1/ endpoint shares: the blueprint, JSON errors, token authentication, pages.

Errors are JSON `{"error": message, "field": name or null, "errors": {field: [messages]}}` in
the request's language (French unless `Accept-Language` prefers English), never an HTML page.
Authenticated endpoints read `Authorization: Bearer <token>` only: a browser's session cookie is
ignored there, so no other site can make a logged-in browser change anything (no CSRF).
"""
from __future__ import annotations

import re
from functools import wraps

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from marketplace.api_v1.services import tokens
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db, limiter



class ApiParser(FlaskParser):
    """webargs answers a refused input with 422; our error family says 400 (and so does the document)."""

    DEFAULT_VALIDATION_STATUS = 400


bp = Blueprint("api_v1", __name__, url_prefix="/api/v1",
               description="API publique d'Essaim : données ouvertes et données personnelles par jeton.")
bp.ARGUMENTS_PARSER = ApiParser()

DEFAULT_RATE_LIMIT = "60 per minute;1000 per hour"
BEARER = re.compile(r"Bearer\s+(\S+)\s*$", re.IGNORECASE)

# marshmallow's and webargs' fixed English messages, by the French (English catalogue) text to show.
KNOWN_MESSAGES = {
    "Missing data for required field.": _l("Ce champ est obligatoire."),
    "Unknown field.": _l("Ce champ n'est pas reconnu."),
    "Field may not be null.": _l("Ce champ ne peut pas être nul."),
    "Not a valid integer.": _l("Ce champ doit être un nombre entier."),
    "Not a valid number.": _l("Ce champ doit être un nombre."),
    "Special numeric values (nan or infinity) are not permitted.": _l("Ce champ doit être un nombre fini."),
    "Number too large.": _l("Ce nombre est trop grand."),
    "Not a valid string.": _l("Ce champ doit être un texte."),
    "Not a valid boolean.": _l("Ce champ doit valoir true ou false."),
    "Not a valid date.": _l("Ce champ doit être une date au format AAAA-MM-JJ."),
    "Not a valid list.": _l("Ce champ doit être une liste."),
    "Invalid input type.": _l("Le corps de la requête doit être un objet JSON."),
    "Invalid JSON body.": _l("Le corps de la requête n'est pas du JSON valide."),
}


def _translate(message: str) -> str:
    known = KNOWN_MESSAGES.get(message)
    return str(known) if known is not None else message


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """webargs' nested {location: {field: [..] or {index: [..]}}} as {"field.index": [..]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            for field, texts in _flatten(value, name).items():
                flat.setdefault(field, []).extend(texts)
    elif isinstance(messages, (list, tuple)):
        flat[prefix] = [_translate(str(text)) for text in messages]
    else:
        flat[prefix] = [_translate(str(messages))]
    return flat


def error_response(status: int, message: str, field: str | None = None, errors: dict | None = None):
    body = {"error": message, "field": field}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


@bp.errorhandler(ServiceError)
def refused(error: ServiceError):
    db.session.rollback()
    return error_response(error.status, error.message, error.field)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Validation failures become 400 with each field's messages; other errors their status."""
    data = getattr(error, "data", None) or {}
    if "messages" in data:
        flat = _flatten(data["messages"])
        # "json.title" -> "title": the location says nothing a client needs.
        flat = {name.split(".", 1)[1] if "." in name else name: texts for name, texts in flat.items()}
        field = next(iter(flat), None)
        if field in ("json", "_schema", "query", "json._schema"):
            field = None
        message = flat[next(iter(flat))][0] if flat else _("La requête est invalide.")
        return error_response(400, message, field, flat)
    from marketplace.setup import ERROR_MESSAGES

    code = error.code or 500
    return error_response(code, _(ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])))


def _bearer_secret() -> str | None:
    match = BEARER.match(request.headers.get("Authorization", ""))
    return match.group(1) if match else None


def token_required(scope: str):
    """Let the view run for a valid, unrevoked token of this scope; its user is `g.api_user`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            token = tokens.authenticate(_bearer_secret())
            if token is None:
                response = error_response(401, _("Jeton d'API manquant, invalide ou révoqué. "
                                                 "Créez-en un depuis votre profil."))[0]
                response.headers["WWW-Authenticate"] = 'Bearer realm="essaim"'
                return response, 401
            if not token.allows(scope):
                return error_response(403, _("Ce jeton est en lecture seule : créez un jeton d'écriture."))
            g.api_user = token.user
            return view(*args, **kwargs)

        return wrapper

    return decorator


def rate_limit() -> str:
    return current_app.config.get("API_V1_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def rate_limit_key() -> str:
    """Per token when there is one (an office shares one address), else per address."""
    secret = _bearer_secret()
    if secret:
        return "token:" + tokens.digest(secret)
    return request.remote_addr or "unknown"


def envelope(page, items: list) -> dict:
    """A page of results in the documented shape."""
    return {"items": items, "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages}


# Every API endpoint shares one budget per token or address (API_V1_RATE_LIMIT); once, at import:
# Flask-Limiter keeps blueprint limits on the extension object, for every application.
limiter.limit(rate_limit, key_func=rate_limit_key)(bp)
