"""A page of a long list, with what the DSFR pagination templates read (the attributes of
Flask-SQLAlchemy's Pagination), for lists that are not paginated by Flask-SQLAlchemy itself."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil


@dataclass
class Page:
    """One page of items; `total` counts every item of the list."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        """Page numbers to link, None where a run of pages is left out (as Flask-SQLAlchemy does)."""
        last = self.pages
        shown = set(range(1, min(left_edge, last) + 1))
        shown |= set(range(max(1, self.page - left_current), min(self.page + right_current, last) + 1))
        shown |= set(range(max(1, last - right_edge + 1), last + 1))
        previous = 0
        for number in sorted(shown):
            if number - previous > 1:
                yield None
            yield number
            previous = number
