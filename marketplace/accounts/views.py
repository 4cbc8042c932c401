"""Accounts: placeholder endpoints, replaced by the accounts work."""
from flask import Blueprint, abort

bp = Blueprint("accounts", __name__, url_prefix="/compte")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    abort(404)


@bp.post("/deconnexion")
def logout():
    abort(404)


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    abort(404)


@bp.route("/verification/renvoyer", methods=["GET", "POST"])
def resend_verification():
    abort(404)


@bp.route("/bienvenue", methods=["GET", "POST"])
def onboarding():
    abort(404)
