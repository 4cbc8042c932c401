"""Placeholder endpoints, replaced by the administration work."""
from flask import Blueprint, abort

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
def index():
    abort(404)
