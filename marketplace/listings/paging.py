"""Pages of a long list that cost the same on page 1 and page 5,000.

`OFFSET n` on the full rows makes the database read and throw away n wide rows (and, without an
index in the order of the list, sort all of them first). A deferred join asks for the ids of one
page only, a narrow scan that the ordering index answers without touching the rows, and joins
those twenty ids back to their rows. The page numbers, the links and the template stay what they were.
"""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.core.cached import remembered
from marketplace.core.extensions import db
from marketplace.core.paging import Page


def seek(unordered, ordering, model, page: int, per_page: int, count_key: str | None = None,
         load_options=()) -> Page:
    """Page `page` of a select of `model` rows in `ordering`, through a deferred join on the ids;
    a page past the end is empty, never an error. With `count_key`, the total is kept a minute
    in the cache under that key (counting 100,000 rows was two thirds of a list view's time).
    `load_options` (SQLAlchemy loader options) say which relationships the page shows."""
    only_ids = unordered.with_only_columns(model.id)

    def count() -> int:
        return db.session.scalar(select(func.count()).select_from(only_ids.subquery())) or 0

    total = remembered(count_key, count) if count_key else count()
    # One statement: the page of ids (the narrow index scan) joined back to its rows, which are
    # then sorted again, twenty of them, in the same order.
    ids = only_ids.order_by(*ordering).offset((page - 1) * per_page).limit(per_page).subquery()
    rows = db.session.scalars(select(model).join(ids, model.id == ids.c.id).options(*load_options)
                              .order_by(*ordering)).unique().all()
    return Page(list(rows), total, page, per_page)
