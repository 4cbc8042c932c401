"""`/statistiques/`: figures, charts and the map of France, filtered by period, domain and territory."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.core import taxonomy
from marketplace.core.errors import ServiceError
from marketplace.statistics import services
from marketplace.statistics.filters import Filters, parse_filters, scope_for

bp = Blueprint("statistics", __name__, url_prefix="/statistiques")

PAIRING_STAGES = {
    "pending_review": _l("Suggestion à examiner"), "rejected": _l("Écartée par la coordination"),
    "proposed": _l("Proposée, accords en cours"), "declined": _l("Refusée par une partie"),
    "expired": _l("Expirée sans réponse"), "engaged": _l("Engagement conclu"),
}


@bp.get("/")
def index():
    departements, regions = services.known_territories()
    error = None
    try:
        filters = parse_filters(request.args, set(departements), set(regions))
    except ServiceError as refused:
        error, filters = refused, Filters()
    scope = scope_for(current_user)
    overview = services.public_overview(filters, scope)
    level = "reg" if request.args.get("carte") == "regions" else "dep"
    places = regions if level == "reg" else departements
    by_place = overview.by_region if level == "reg" else overview.by_departement
    return render_template(
        "statistics/index.html", overview=overview, filters=filters, scope=scope, error=error,
        departements=departements, regions=regions, domains=taxonomy.DOMAINS, level=level, places=places, statuses=PAIRING_STAGES,
        by_place=by_place, map_data=json.dumps(by_place.get("offers", {}), sort_keys=True),
        needs_map_data=json.dumps(by_place.get("needs", {}), sort_keys=True),
    ), 400 if error else 200
