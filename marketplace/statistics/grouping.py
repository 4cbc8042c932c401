"""Figures computed by the database: counts by group and medians, whatever the number of rows.

The statistics page used to read every published offer and need into Python to count them by
month and domain (100,000 rows, 2.3 s at national scale); these helpers send the grouping to SQL
and bring back one row per group. The two SQL dialects the application runs on (PostgreSQL,
SQLite in the embedded default) write months and day spans differently: each helper says both.
"""
from __future__ import annotations

from sqlalchemy import Select, func, literal_column, select

from marketplace.core.extensions import db

SECONDS_PER_DAY = 86400


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def month_of(moment):
    """"2026-03" for a timestamp, in the session's time zone (as Python would print the value)."""
    if _postgresql():
        return func.to_char(moment, literal_column("'YYYY-MM'"))
    return func.strftime("%Y-%m", moment)


def days_between(earlier, later):
    """The span from `earlier` to `later` in days (fractions kept)."""
    if _postgresql():
        return func.extract("epoch", later - earlier) / SECONDS_PER_DAY
    return func.julianday(later) - func.julianday(earlier)


def counted_by(query: Select, *keys) -> list[tuple]:
    """(key..., count) for each group of `keys` among the rows of `query` (a subquery's columns
    named like the keys)."""
    rows = query.subquery()
    columns = [rows.c[key] for key in keys]
    return [tuple(row) for row in db.session.execute(select(*columns, func.count()).group_by(*columns))]


def median_days(spans: Select) -> float | None:
    """The median of a one-column select of day spans (NULL spans left out), rounded to a tenth,
    as `statistics.median` gives it: the middle value, or the mean of the middle two."""
    values = spans.subquery()
    span = values.c[0]
    known = select(span).where(span.is_not(None))
    n = db.session.scalar(select(func.count()).select_from(known.subquery())) or 0
    if not n:
        return None
    middle = db.session.scalars(known.order_by(span).offset((n - 1) // 2).limit(1 if n % 2 else 2)).all()
    return round(sum(float(value) for value in middle) / len(middle), 1)
