"""Placeholder endpoints, replaced by the offers-and-needs work."""
from flask import Blueprint, abort

bp = Blueprint("needs", __name__, url_prefix="/besoins")


@bp.get("/")
def index():
    abort(404)


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    abort(404)


@bp.get("/mes")
def mine():
    abort(404)
