"""`/sitemap.xml` and `/robots.txt`."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from marketplace.seo.services import public_items

bp = Blueprint("seo", __name__)

PUBLIC_PAGES = ("main.home", "offers.index", "needs.index", "practices.index", "statistics.index")
# Private areas: nothing there for a search engine, and no reason to have them crawled.
DISALLOWED = ("/admin/", "/compte/", "/rapprochements/", "/coordination/", "/notifications/")


@bp.get("/sitemap.xml")
def sitemap():
    pages = [url_for(endpoint, _external=True) for endpoint in PUBLIC_PAGES]
    items = [(url_for(endpoint, **{("sheet_id" if endpoint.startswith("practices") else "item_id"): item_id},
                      _external=True), updated_at) for endpoint, item_id, updated_at in public_items()]
    body = render_template("seo/sitemap.xml", pages=pages, items=items)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED),
             f"Sitemap: {url_for('seo.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")
