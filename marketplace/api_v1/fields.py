"""Marshmallow fields and validators whose messages are French first (English with
`Accept-Language: en`), translated when they are raised, inside the request.

They subclass marshmallow's own validators so that the OpenAPI document still states the bounds
(maxLength, minimum, enum...), which clients and the contract test read.
"""
from __future__ import annotations

from datetime import timezone

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate

# Ids are `integer` columns: PostgreSQL refuses a query comparing them with anything beyond 2**31 - 1
# (SQLite stops at 2**63 - 1): such an id cannot exist, and must never reach the database.
ID_MAX = 2**31 - 1
CONTROL_CHARACTERS = set("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f")


class Length(validate.Length):
    def _format_error(self, value, message: str) -> str:
        if self.max is not None and len(value) > self.max:
            return _("Au plus %(n)d caractères ou éléments.", n=self.max)
        return _("Au moins %(n)d caractères ou éléments.", n=self.min or 0)


class Range(validate.Range):
    def _format_error(self, value, message: str) -> str:
        return _("La valeur doit être comprise entre %(min)s et %(max)s.", min=self.min, max=self.max)


class OneOf(validate.OneOf):
    def _format_error(self, value) -> str:
        return _("Valeur inconnue. Valeurs possibles : %(choices)s.", choices=", ".join(map(str, self.choices)))


def clean_text(value: str) -> None:
    """Refuse what PostgreSQL cannot store (NUL) and what a broken encoding left (U+FFFD)."""
    if "\ufffd" in value:
        raise ValidationError(_("Le texte contient des caractères illisibles (encodage autre que UTF-8)."))
    if CONTROL_CHARACTERS.intersection(value):
        raise ValidationError(_("Le texte contient des caractères de contrôle non autorisés."))


def Text(max_length: int, min_length: int | None = None, **kwargs) -> fields.String:
    """A string bounded in length and free of control characters."""
    return fields.String(validate=[Length(min=min_length, max=max_length), clean_text], **kwargs)


def Id(strict: bool = True, **kwargs) -> fields.Integer:
    """A database id: a positive 32-bit integer (`strict=False` in query strings, which are text)."""
    return fields.Integer(strict=strict, validate=Range(min=1, max=ID_MAX), **kwargs)


class FiniteFloat(fields.Float):
    """A float that refuses NaN, infinities and integers too large to be a float (no 500)."""

    def __init__(self, **kwargs):
        super().__init__(allow_nan=False, **kwargs)

    def _validated(self, value):
        try:
            return super()._validated(value)
        except OverflowError:
            raise self.make_error("invalid") from None


class UtcDateTime(fields.DateTime):
    """Datetimes always written with their UTC offset (SQLite hands back naive ones)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)
