"""Validators, fields and parsers shared by every form. Messages are French first, through Babel.

Whatever a browser (or anyone) sends must end as a French message next to its field or be
ignored, never as a server error. The number, date and id fields below are drop-in replacements
for WTForms' own, which accept what the database or Python's date arithmetic cannot take: Unicode
digits ("²" passes `str.isdigit` and fails `int`), integers beyond the database's columns, NaN and
infinities, years that overflow as soon as a day is added to them.
"""
from __future__ import annotations

import math
import re
from datetime import date

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import ValidationError

# PostgreSQL `integer`: the type of every id and of every whole number a form stores.
MAX_DB_INTEGER = 2**31 - 1
# A decimal a person types is a number of days, a score, a distance: far below this.
MAX_DECIMAL = 1e9
# Dates a collectivity plans with; outside, Python's date arithmetic (a year added to 9998-12-31)
# and some database drivers fail.
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_PAGE = 1_000_000

_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)
_SPACES = str.maketrans("", "", " \u00a0\u202f\t")


def parse_int(raw, minimum: int = -MAX_DB_INTEGER, maximum: int = MAX_DB_INTEGER) -> int | None:
    """A whole number written with ASCII digits (spaces allowed as thousands separators) within
    [minimum, maximum]; None for anything else, Unicode digits, decimals or huge numbers included."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").translate(_SPACES)
        if len(text) > 20 or not _INTEGER.fullmatch(text):
            return None
        value = int(text)
    return value if minimum <= value <= maximum else None


def parse_id(raw) -> int | None:
    """A database id (a positive integer the id columns can hold) from a form or query string;
    None when it cannot be one, so that the lookup finds nothing instead of failing."""
    return parse_int(raw, 1, MAX_DB_INTEGER)


def parse_page(raw) -> int:
    """A page number from the query string; anything but a plausible page number is page 1."""
    return parse_int(raw, 1, MAX_PAGE) or 1


def parse_decimal(raw) -> float | None:
    """A finite decimal typed the French way ("1,5") or the English way ("1.5"); None for
    anything else, NaN, infinities and exponents included."""
    text = str(raw if raw is not None else "").translate(_SPACES)
    if len(text) > 30 or not _DECIMAL.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) and abs(value) <= MAX_DECIMAL else None


class _ParsedNumber:
    """Fills `data` with `parse(typed text)`: None for an empty field, a French error otherwise."""

    message = None
    parse = None

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        if not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = type(self).parse(valuelist[0])
        if self.data is None:
            raise ValueError(self.message)


class IntegerField(_ParsedNumber, wtforms.IntegerField):
    """WTForms' IntegerField, but only ASCII digits within the database's integer range."""

    message = _l("Saisissez un nombre entier, par exemple 12.")
    parse = staticmethod(parse_int)


class FloatField(_ParsedNumber, wtforms.FloatField):
    """WTForms' FloatField, but finite numbers only, with a decimal comma or point."""

    message = _l("Saisissez un nombre, par exemple 2 ou 1,5.")
    parse = staticmethod(parse_decimal)


class DateField(wtforms.DateField):
    """WTForms' DateField with a French message, and only years from MIN_YEAR to MAX_YEAR."""

    message = _l("Saisissez une date valide, par exemple 15/09/2027.")
    range_message = _l("Saisissez une date entre %(first)s et %(last)s.", first=MIN_YEAR, last=MAX_YEAR)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.message) from None
        if self.data is not None and not MIN_YEAR <= self.data.year <= MAX_YEAR:
            self.data = None
            raise ValueError(self.range_message)


def coerce_id(value) -> int | None:
    """`coerce` for selects of ids: the id, or None when the value cannot be one."""
    return parse_id(value)


class IdSelectField(wtforms.SelectField):
    """A select whose values are database ids. Empty is None (the service says what is missing);
    anything that cannot be an id gets a French message instead of an English or a 500."""

    message = _l("Choisissez une valeur dans la liste.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["coerce"] = coerce_id
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parse_id(valuelist[0])
        if self.data is None and str(valuelist[0]).strip():
            raise ValueError(self.message)


class IdMultipleField(wtforms.SelectMultipleField):
    """Several ids (checkboxes of a list); blanks are ignored, anything else that is not an id
    gets a French message."""

    message = _l("Sélectionnez des éléments de la liste.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["coerce"] = coerce_id
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        values = [str(v).strip() for v in valuelist if str(v).strip()]
        ids = [parse_id(v) for v in values]
        self.data = [i for i in ids if i is not None]
        if len(self.data) != len(ids):
            raise ValueError(self.message)


class CleanText:
    """Refuses text a browser mangled (bytes that were not UTF-8 arrive as U+FFFD) and control
    characters that PostgreSQL cannot store (NUL); strips surrounding blanks."""

    def __call__(self, form, field):
        value = field.data
        if not isinstance(value, str):
            return
        if "\ufffd" in value:
            raise ValidationError(
                _l("Le texte contient des caractères illisibles (encodage autre que UTF-8). "
                   "Retapez-le ou collez-le depuis un autre éditeur.")
            )
        if any(ch in value for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"):
            raise ValidationError(_l("Le texte contient des caractères de contrôle non autorisés."))


class NotInPast:
    message = _l("La date ne peut pas être dans le passé.")

    def __call__(self, form, field):
        if field.data and field.data < date.today():
            raise ValidationError(self.message)


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


class TagsField(StringField):
    """Comma-separated tags, shown and typed as text, stored as a clean list."""

    max_tags = 15
    max_length = 40

    def _value(self):
        return ", ".join(self.data or []) if isinstance(self.data, list) else (self.data or "")

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0] if valuelist else ""
        tags, seen = [], set()
        for raw in self.raw_text.replace(";", ",").split(","):
            tag = " ".join(raw.split()).strip()
            if tag and tag.lower() not in seen:
                seen.add(tag.lower())
                tags.append(tag)
        self.data = tags

    def pre_validate(self, form):
        if len(self.data or []) > self.max_tags:
            raise ValidationError(_l("Indiquez au plus %(n)s mots-clés.", n=self.max_tags))
        for tag in self.data or []:
            if len(tag) > self.max_length:
                raise ValidationError(
                    _l("Chaque mot-clé fait au plus %(n)s caractères.", n=self.max_length)
                )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def clean_file_name(name, fallback: str = "fichier") -> str:
    """A file name a browser sent, made safe to store and to send back in a Content-Disposition
    header: no directory, no control character (a CR/LF would split the header), at most 255
    characters, `fallback` when nothing is left."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:255] or fallback
