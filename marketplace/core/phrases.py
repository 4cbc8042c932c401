"""Translations and number formats for one page, each looked up once.

Flask-Babel finds the current translations again on every gettext call (about 20 µs of context and
locale lookups for a sub-microsecond dictionary read), and Babel parses a number's pattern on every
format (about 40 µs). The coordinator queue made some 600 such calls per view for a few dozen
distinct texts and numbers: about a fifth of its time. Within one page the language does not
change, so a Phrases object reads the translations and the locale once, when it is made, and keeps
each text and number it has given. Make one per page (or per rendering: see templating.py), never
one per process: the language is the reader's.
"""
from __future__ import annotations

from babel.numbers import parse_pattern
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

from marketplace.core.templating import number


class Phrases:
    """gettext, ngettext and number with Flask-Babel's results, for the language current when made."""

    def __init__(self):
        self._translations = get_translations()
        self._locale = get_locale()
        self._texts: dict = {}
        self._numbers: dict = {}
        self._labels: dict = {}

    def _text(self, msgid: str) -> str:
        text = self._texts.get(msgid)
        if text is None:
            text = self._texts[msgid] = self._translations.ugettext(msgid)
        return text

    def gettext(self, msgid: str, **variables) -> str:
        """As flask_babel.gettext."""
        text = self._text(msgid)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables) -> str:
        """As flask_babel.ngettext (`num` is also a variable of the text)."""
        variables.setdefault("num", num)
        return self._translations.ungettext(singular, plural, num) % variables

    def number(self, value, digits: int = 2) -> str:
        """As core.templating.number: "2,5" in French, "2.5" in English, no trailing zeros."""
        if value is None:
            return ""
        key = (value, digits)
        text = self._numbers.get(key)
        if text is None:
            if self._locale is None:  # no application context: Babel's default locale, as flask_babel does
                return number(value, digits)
            text = self._numbers[key] = _pattern(digits).apply(round(float(value), digits), self._locale)
        return text

    def label(self, mapping: dict, key) -> str:
        """As taxonomy.label: the readable label of a key in one of taxonomy's dictionaries (which
        live as long as the process: their id is part of the key), or the key itself."""
        if key is None:
            return ""
        text = self._labels.get((id(mapping), key))
        if text is None:
            text = self._labels[id(mapping), key] = str(mapping.get(key, key))
        return text

    def for_jinja(self) -> dict:
        """`_`, `gettext` and `ngettext` for templates, as Jinja's i18n extension gives them
        (newstyle: the translation is trusted markup in an escaped template, the variables are
        escaped), and `phrases` itself (the `number` filter reads it)."""

        @pass_eval_context
        def gettext(eval_ctx, msgid, **variables):
            text = self._text(msgid)
            return (Markup(text) if eval_ctx.autoescape else text) % variables

        @pass_eval_context
        def ngettext(eval_ctx, singular, plural, num, **variables):
            variables.setdefault("num", num)
            text = self._translations.ungettext(singular, plural, num)
            return (Markup(text) if eval_ctx.autoescape else text) % variables

        return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "phrases": self}


_PATTERNS: dict = {}


def _pattern(digits: int):
    pattern = _PATTERNS.get(digits)
    if pattern is None:
        pattern = _PATTERNS[digits] = parse_pattern("#,##0." + "#" * digits)
    return pattern
