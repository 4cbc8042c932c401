"""Pages of the public lists through a deferred join: the same items and page numbers as a plain
OFFSET on every page, for every order, with filters and past the end."""
from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.listings import query as listing_query
from marketplace.listings.services import NEED, OFFER
from marketplace.models import Need, SkillOffer
from marketplace.models.base import utcnow

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py


@pytest.fixture
def offers(app, db, make_user, make_collectivity):
    agent, place = make_user(), make_collectivity()
    now = utcnow()
    rows = []
    for i in range(47):
        # Several share a publication time: the id breaks the tie, so pages never overlap.
        rows.append(SkillOffer(title=f"Offre {i:02d} {'urbanisme' if i % 3 else 'finances'}", description="d",
                               domain="urbanisme" if i % 3 else "finances", modality="remote",
                               status="published" if i % 7 else "draft", published_at=now - timedelta(hours=i // 4),
                               collectivity=place, agent=agent, days_per_month=1 + i % 5))
    db.session.add_all(rows)
    db.session.commit()
    return rows


@pytest.mark.parametrize("sort", ["recent", "title", "days"])
@pytest.mark.parametrize("args", [{}, {"q": "urbanisme"}, {"domain": "finances"}])
def test_every_page_is_the_plain_offset_page(app, db, offers, sort, args):
    app.config["ITEMS_PER_PAGE"] = 5
    filters = listing_query.parse_filters({**args, "sort": sort})
    expected = list(db.session.scalars(listing_query.filtered(OFFER, filters)))
    seen = []
    for number in range(1, 12):
        page, _filters = listing_query.browse(OFFER, {**args, "sort": sort, "page": str(number)})
        assert page.total == len(expected)
        assert page.items == expected[(number - 1) * 5:number * 5]
        seen += page.items
    assert seen == expected  # every item once, in order, and the pages past the end are empty


def test_page_numbers_and_links(app, offers):
    app.config["ITEMS_PER_PAGE"] = 5
    page, _filters = listing_query.browse(OFFER, {"page": "4"})
    visible = sum(1 for o in offers if o.status == "published")
    assert (page.page, page.total, page.pages) == (4, visible, -(-visible // 5))
    assert (page.has_prev, page.prev_num, page.has_next, page.next_num) == (True, 3, True, 5)
    # As Flask-SQLAlchemy's Pagination numbers them (the templates call it this way).
    assert list(page.iter_pages(left_edge=1, left_current=2, right_current=2, right_edge=1)) == \
        [1, 2, 3, 4, 5, 6, None, page.pages]
    last, _filters = listing_query.browse(OFFER, {"page": str(page.pages)})
    assert last.has_next is False and last.next_num is None and 1 <= len(last.items) <= 5


def test_empty_list_has_no_pages(app, db):
    page, _filters = listing_query.browse(NEED, {"page": "3"})
    assert (page.items, page.total, page.pages, page.has_prev, page.has_next) == ([], 0, 0, True, False)
    assert db.session.query(Need).count() == 0


def test_list_page_renders_deep_pages_and_bad_page_numbers(app, client, offers):
    app.config["ITEMS_PER_PAGE"] = 5
    for raw in ("2", "9", "999999", "-1", "abc", "١٢", "1e9"):
        response = client.get(f"/offres/?page={raw}")
        assert response.status_code == 200, raw
    assert "Offre" in client.get("/offres/?page=2").get_data(as_text=True)
