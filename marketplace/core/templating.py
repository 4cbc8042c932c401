"""Jinja filters: dates and numbers in the reader's language; translations looked up once per rendering."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal
from jinja2 import pass_context


def number(value, digits: int = 2) -> str:
    """A number as the reader writes it: "2,5" in French, "2.5" in English, no trailing zeros."""
    if value is None:
        return ""
    return format_decimal(round(float(value), digits), format="#,##0." + "#" * digits)


@pass_context
def _number_filter(context, value, digits: int = 2) -> str:
    # The rendering's Phrases when there is one (not in a macro imported without context).
    phrases = context.get("phrases")
    return phrases.number(value, digits) if phrases is not None else number(value, digits)


def register_filters(app: Flask) -> None:
    from marketplace.core.phrases import Phrases

    app.jinja_env.filters["date_fr"] = lambda value: format_date(value, "long") if value else ""
    app.jinja_env.filters["datetime_fr"] = (
        lambda value: format_datetime(value, "medium") if value else ""
    )
    app.jinja_env.filters["number"] = _number_filter

    @app.context_processor
    def page_phrases():
        """`_`, `gettext`, `ngettext` of this rendering, each translation looked up once
        (core/phrases.py): they replace the i18n extension's for every template rendered by
        render_template, in the language current when it is called (an e-mail's force_locale too)."""
        return Phrases().for_jinja()
