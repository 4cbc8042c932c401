"""Validators and fields shared by every form. Messages are French first, through Babel."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import ValidationError


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
