"""The footer's legal pages. Read-only: each view renders the configured details."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from marketplace.legal import accessibility as statement
from marketplace.legal import services
from marketplace.legal.sitemap import site_map

bp = Blueprint("legal", __name__)


def _render(template: str, **context):
    return render_template(f"legal/{template}.html",
                           details=services.legal_details(current_app.config), **context)


@bp.get("/accessibilite")
def accessibility():
    return _render("accessibility", statement=statement, rate=statement.measured_rate())


@bp.get("/mentions-legales")
def notice():
    return _render("notice")


@bp.get("/donnees-personnelles")
def privacy():
    return _render("privacy")


@bp.get("/conditions-utilisation")
def terms():
    return _render("terms", version_date=services.TERMS_DATE)


@bp.get("/plan-du-site")
def sitemap():
    return _render("sitemap", groups=site_map(current_app, current_user))


@bp.get("/contact")
def contact():
    return _render("contact")
