"""Queue pages: pagination in the URL, bad page numbers, sorts, select the whole page, buttons top
and bottom, error summary with links, the review page's labels, Mes rapprochements."""
from __future__ import annotations

import re

from marketplace.models import Pairing
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)


def _fill(w, n):
    return [pw.suggestion(w["offer"], pw.need(w["representative"], w["host"], title=f"Besoin n°{i}"), score=0.5)
            for i in range(n)]


def test_pagination_keeps_filters_and_bad_pages_fall_back(client, login, w):
    _fill(w, 29)
    login(w["coordinator"])
    first = client.get("/coordination/?departement=69&sort=age").get_data(as_text=True)
    assert first.count('name="suggestion_ids"') == 25 and "fr-pagination" in first
    assert re.search(r'href="/coordination/\?[^"]*page=2[^"]*"', first)
    link = re.search(r'href="(/coordination/\?[^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "departement=69" in link and "sort=age" in link
    assert client.get(link).get_data(as_text=True).count('name="suggestion_ids"') == 5
    for garbage in ("abc", "-1", "0", "999", "1e9", "%00"):
        response = client.get(f"/coordination/?page={garbage}")
        assert response.status_code == 200 and response.get_data(as_text=True).count('name="suggestion_ids"') == 25


def test_buttons_top_and_bottom_and_select_whole_page(client, login, w, db):
    _fill(w, 29)
    login(w["coordinator"])
    page = client.get("/coordination/").get_data(as_text=True)
    assert 'id="approve-top"' in page and 'id="approve-bottom"' in page and "Sélectionner toute la page" in page
    ids = re.findall(r'name="page_ids" value="(\d+)"', page)
    assert len(ids) == 25
    response = client.post_form("/coordination/decision", {"page_ids": ids, "select_page": "y",
                                                           "reject": "Rejeter", "reason": "Hors priorités"},
                                token_from="/rapprochements/")
    assert response.status_code == 302
    assert db.session.query(Pairing).filter_by(status="rejected").count() == 25
    left = client.get("/coordination/").get_data(as_text=True)
    assert left.count('name="suggestion_ids"') == 5


def test_error_summary_links_to_fields(client, login, w, db):
    login(w["coordinator"])
    response = client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "reject": "Rejeter"},
                                token_from="/rapprochements/")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="error-summary"' in page and 'href="#reason"' in page
    assert page.index('id="error-summary"') < page.index("<h1")
    nothing = client.post_form("/coordination/decision", {"approve": "Approuver"}, token_from="/rapprochements/")
    assert 'href="#suggestion_ids"' in nothing.get_data(as_text=True) and 'id="suggestion_ids"' in nothing.get_data(as_text=True)
    bad = client.get("/coordination/?min_score=abc&departement=12345")
    assert bad.status_code == 400 and 'href="#min_score"' in bad.get_data(as_text=True)
    assert 'href="#departement"' in bad.get_data(as_text=True)
    assert db.session.query(Pairing).count() == 0


def test_review_page_labels_offer_and_need(client, login, w):
    login(w["coordinator"])
    page = client.get(f"/coordination/suggestions/{w['suggestion'].id}").get_data(as_text=True)
    assert "Offre de compétences" in page and re.search(r"Besoin de la collectivité d(&#39;|')accueil", page)
    assert page.index("Offre de compétences") < page.index(w["offer"].title)
    assert client.get("/coordination/suggestions/999999").status_code == 404


def test_my_pairings_page_shows_approved_ones(client, login, w):
    login(w["coordinator"])
    client.post_form("/coordination/decision", {"suggestion_ids": w["suggestion"].id, "approve": "Approuver"},
                     token_from="/rapprochements/")
    assert w["need"].title in client.get("/rapprochements/").get_data(as_text=True)


def test_rendering_the_page_does_not_query_per_row(client, login, w, db, make_user):
    from tests.services.test_pairing_queue_pages import counted
    login(w["coordinator"])
    client.get("/coordination/")  # warm up the caches the first request fills
    db.session.expire_all()  # both measures start from the same state: the user is loaded again
    with counted(db) as few:
        assert client.get("/coordination/").status_code == 200
    for number in range(12):  # new agents, offers and needs: nothing already in the identity map
        agent = make_user(roles=[("agent", w["home"])])
        pw.suggestion(pw.offer(agent, w["home"], title=f"Offre {number}"),
                      pw.need(w["representative"], w["host"], title=f"Besoin {number}"))
    db.session.expire_all()
    with counted(db) as many:
        page = client.get("/coordination/").get_data(as_text=True)
    assert page.count('name="suggestion_ids"') == 13 and len(many) == len(few)


def test_garbage_ids_get_a_message_not_a_500(client, login, w, db):
    login(w["coordinator"])
    response = client.post_form("/coordination/decision", {"suggestion_ids": "abc", "approve": "Approuver"},
                                token_from="/rapprochements/")
    assert response.status_code == 400 and 'id="error-summary"' in response.get_data(as_text=True)
    response = client.post_form("/coordination/decision", {"select_page": "y", "page_ids": "9x", "approve": "Approuver"},
                                token_from="/rapprochements/")
    assert response.status_code == 400 and db.session.query(Pairing).count() == 0


def test_a_long_queue_says_more_than_and_has_no_last_page(client, login, w, monkeypatch):
    from marketplace.pairings.services import queue
    monkeypatch.setattr(queue, "EXACT_TOTAL_UP_TO", 30)
    _fill(w, 40)  # 41 waiting
    login(w["coordinator"])
    first = client.get("/coordination/").get_data(as_text=True)
    assert "Plus de 30 suggestions — page 1" in first and "Suggestions à examiner, page 1 ·" in first
    assert "Dernière page</a>" in first and 'fr-pagination__link--last" href' not in first
    assert re.search(r'href="/coordination/\?page=2"', first) and "page 1 sur" not in first
    second = client.get("/coordination/?page=2").get_data(as_text=True)
    assert second.count('name="suggestion_ids"') == 16 and "41 suggestions — page 2 sur 2" in second


def test_translations_are_looked_up_once_per_page_not_per_row(client, login, w, monkeypatch):
    """Flask-Babel's lookup of the current translations cost ~20 µs and ran ~600 times a view
    (core/phrases.py): a page of 25 rows now looks them up as often as a page of 2."""
    from flask_babel import Domain
    calls = []
    original = Domain.get_translations

    def counting(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(Domain, "get_translations", counting)
    _fill(w, 1)
    login(w["coordinator"])
    client.get("/coordination/")
    calls.clear()
    assert client.get("/coordination/").get_data(as_text=True).count('name="suggestion_ids"') == 2
    few = len(calls)
    _fill(w, 30)
    calls.clear()
    assert client.get("/coordination/").get_data(as_text=True).count('name="suggestion_ids"') == 25
    assert len(calls) == few


def test_queue_rows_show_the_latest_three_refusals_and_the_suggestion_page_all(client, login, w, db):
    for i in range(5):  # the agent's refusals on needs of the same host: all similar to the waiting one
        refused = pw.need(w["representative"], w["host"], title=f"Ancien besoin {i}")
        db.session.add(Pairing(offer_id=w["offer"].id, need_id=refused.id, status="rejected", reason=f"Motif {i}"))
    db.session.commit()
    login(w["coordinator"])
    row = client.get("/coordination/").get_data(as_text=True)
    shown = re.findall(r"Refus comparable déjà enregistré : (Motif \d)", row)
    assert shown == ["Motif 4", "Motif 3", "Motif 2"] and "et 2 autres refus comparables" in row
    page = client.get(f"/coordination/suggestions/{w['suggestion'].id}").get_data(as_text=True)
    assert re.findall(r"Refus comparable déjà enregistré : (Motif \d)", page) == [f"Motif {i}" for i in (4, 3, 2, 1, 0)]
    assert "autres refus comparables" not in page
    assert page.count("Pertinence 0,8") == 1 and row.count("Pertinence 0,8") == 1  # the badges, once each
