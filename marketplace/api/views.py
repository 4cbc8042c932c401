"""JSON endpoints used by the pages (autocomplete). Errors come back as {"error": ...}."""
from flask import Blueprint, current_app, jsonify, request

from marketplace.core.extensions import limiter
from marketplace.core.errors import ServiceError
from marketplace.geography.search import InvalidSearch, api_search

bp = Blueprint("api", __name__, url_prefix="/api")

# An autocomplete sends a request every few keystrokes, and whole town halls share one address:
# generous per minute, bounded per hour. Overridable with API_SEARCH_RATE_LIMIT.
DEFAULT_SEARCH_RATE_LIMIT = "120 per minute;2000 per hour"


def _search_rate_limit() -> str:
    return current_app.config.get("API_SEARCH_RATE_LIMIT", DEFAULT_SEARCH_RATE_LIMIT)


@bp.get("/collectivites")
@limiter.limit(_search_rate_limit)
def collectivities():
    """Collectivities matching ?q= (name, postal code, INSEE code or SIREN), optionally ?kind=."""
    try:
        results = api_search(request.args.get("q"), request.args.getlist("kind"))
    except (ServiceError, InvalidSearch) as error:  # InvalidSearch until geography converts it
        return jsonify({"error": str(error)}), 400
    return jsonify({"results": results})
