"""Jinja filters: dates and numbers in the reader's language."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal


def number(value, digits: int = 2) -> str:
    """A number as the reader writes it: "2,5" in French, "2.5" in English, no trailing zeros."""
    if value is None:
        return ""
    return format_decimal(round(float(value), digits), format="#,##0." + "#" * digits)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["date_fr"] = lambda value: format_date(value, "long") if value else ""
    app.jinja_env.filters["datetime_fr"] = (
        lambda value: format_datetime(value, "medium") if value else ""
    )
    app.jinja_env.filters["number"] = number
