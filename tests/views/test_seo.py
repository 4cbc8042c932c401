"""`/sitemap.xml` lists the public pages and published items only; `/robots.txt` points to it."""
from __future__ import annotations

from tests.pairing_world import need, offer, w  # noqa: F401 (fixture)


def test_sitemap_lists_public_items_only(client, w):
    draft = offer(w["agent"], w["home"], title="Brouillon")
    draft.status = "draft"
    from marketplace.core.extensions import db

    db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data(as_text=True)
    assert f"/offres/{w['offer'].id}</loc>" in body
    assert f"/besoins/{w['need'].id}</loc>" in body
    assert f"/offres/{draft.id}</loc>" not in body
    assert "/statistiques/</loc>" in body and "/admin" not in body


def test_robots_txt_names_the_sitemap_and_keeps_private_areas_out(client, db):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /compte/" in text


def test_menu_leads_anonymous_visitors_to_pages_they_can_open(client, w):
    home = client.get("/").get_data(as_text=True)
    for link in ("/offres/", "/besoins/", "/pratiques/", "/statistiques/"):
        assert f'href="{link}"' in home
        assert client.get(link).status_code == 200, link
