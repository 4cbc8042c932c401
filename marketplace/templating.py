"""Jinja filters: dates and labels in the reader's language."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["date_fr"] = lambda value: format_date(value, "long") if value else ""
    app.jinja_env.filters["datetime_fr"] = (
        lambda value: format_datetime(value, "medium") if value else ""
    )
