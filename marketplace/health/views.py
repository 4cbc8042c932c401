"""`GET /healthz`: 200 with the checks when healthy, 503 with the failed checks otherwise."""
from __future__ import annotations

from flask import Blueprint, jsonify

from marketplace.core.extensions import csrf, limiter
from marketplace.health.services import check

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    health = check()
    response = jsonify({"status": "ok" if health.ok else "error", "checks": health.checks})
    response.status_code = 200 if health.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
