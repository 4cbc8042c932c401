"""The form fields offers and needs have in common, with French messages next to each field."""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.core import taxonomy
from marketplace.core.forms import (CleanText, DateField, FloatField, IdSelectField, IntegerField, NotInPast, TagsField,
                                    strip_filter)
from marketplace.listings import services as rules


class NumberField(FloatField):
    """A decimal number typed the French way ("1,5") or the English way ("1.5"), finite
    ("nan" and "inf" parse as floats but are no number of days)."""


class WholeNumberField(IntegerField):
    message = _l("Saisissez un nombre entier, par exemple 50.")


FrenchDateField = DateField  # French messages and a bounded year range (core.forms)


class CleanTags(CleanText):
    """CleanText on the text typed in a tags field (its data is already a list)."""

    def __call__(self, form, field):
        super().__call__(form, SimpleNamespace(data=getattr(field, "raw_text", "")))


class KeptOrNotInPast(NotInPast):
    """A date may not be in the past, unless it is the one already stored (editing an offer that
    started last month must not force a new start date)."""

    def __call__(self, form, field):
        if field.data is not None and field.data == form.initial_dates.get(field.name):
            return
        super().__call__(form, field)


def date_after(start_field: str, message):
    """A validator: this date is the same as or after another date field of the form."""

    def check(form, field):
        start = form[start_field].data
        if field.data and start and field.data < start:
            raise ValidationError(message)

    return check


class ListingForm(FlaskForm):
    """Fields common to offers and needs; subclasses add their numbers and dates."""

    date_fields: tuple[str, ...] = ()
    days_name = ""

    collectivity_id = IdSelectField(_l("Collectivité"))
    title = StringField(
        _l("Titre"),
        filters=[strip_filter],
        validators=[
            InputRequired(_l("Indiquez un titre.")),
            Length(rules.TITLE_MIN, rules.TITLE_MAX,
                   _l("Le titre doit faire entre 5 et 200 caractères.")),
            CleanText(),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip_filter],
        validators=[
            InputRequired(_l("Décrivez la mission ou le savoir-faire.")),
            Length(max=rules.DESCRIPTION_MAX, message=_l("La description fait au plus 10 000 caractères.")),
            CleanText(),
        ],
    )
    tags = TagsField(_l("Mots-clés (séparés par des virgules)"), validators=[CleanTags()])
    domain = SelectField(
        _l("Domaine"),
        choices=[("", _l("Choisir un domaine"))] + list(taxonomy.DOMAINS.items()),
        validators=[InputRequired(_l("Choisissez un domaine."))],
    )
    modality = RadioField(
        _l("Modalité"),
        choices=list(taxonomy.MODALITIES.items()),
        validators=[InputRequired(_l("Choisissez une modalité."))],
    )

    def __init__(self, *args, collectivities=(), **kwargs):
        super().__init__(*args, **kwargs)
        obj = kwargs.get("obj")
        self.initial_dates = {name: getattr(obj, name, None) for name in self.date_fields}
        self.collectivity_id.choices = [(c.id, c.name) for c in collectivities]
        if self.collectivity_id.data is None and len(self.collectivity_id.choices) == 1:
            self.collectivity_id.data = self.collectivity_id.choices[0][0]

    def validate_collectivity_id(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choisissez une collectivité pour laquelle vous avez ce rôle."))

    def listing_data(self) -> dict:
        """The checked values, keyed by model column, for the listings service."""
        names = ("collectivity_id", "title", "description", "tags", "domain", "modality")
        return {name: self[name].data for name in names + self.extra_names()}

    def extra_names(self) -> tuple[str, ...]:
        return (self.days_name,) + self.date_fields


# Positional helpers for subclasses: field factories with the shared messages.
def days_field(label, bounds, message):
    return NumberField(label, validators=[
        InputRequired(_l("Indiquez un nombre de jours.")),
        NumberRange(bounds[0], bounds[1], message),
    ])


def date_field(label, *extra):
    return FrenchDateField(label, validators=[Optional(), KeptOrNotInPast(), *extra])


class OfferForm(ListingForm):
    date_fields = ("available_from", "available_until")
    days_name = "days_per_month"

    days_per_month = days_field(
        _l("Jours disponibles par mois"), rules.DAYS_PER_MONTH,
        _l("Indiquez entre 0,5 et 22 jours par mois."),
    )
    available_from = date_field(_l("Disponible à partir du"))
    available_until = date_field(
        _l("Disponible jusqu'au"),
        date_after("available_from", _l("La fin de disponibilité doit suivre son début.")),
    )
    max_distance_km = WholeNumberField(
        _l("Distance maximale de déplacement (km)"),
        validators=[Optional(), NumberRange(*rules.MAX_DISTANCE_KM,
                                            message=_l("Indiquez une distance entre 0 et 1 000 km."))],
    )

    def extra_names(self) -> tuple[str, ...]:
        return super().extra_names() + ("max_distance_km",)

    def listing_data(self) -> dict:
        data = super().listing_data()
        if data["modality"] == "remote":
            data["max_distance_km"] = None  # a distance means nothing for remote work
        return data


class NeedForm(ListingForm):
    date_fields = ("start_date", "deadline")
    days_name = "estimated_days"

    estimated_days = days_field(
        _l("Nombre de jours estimé"), rules.ESTIMATED_DAYS,
        _l("Indiquez entre 0,5 et 660 jours (trois ans au plus)."),
    )
    start_date = date_field(_l("Date de début souhaitée"))
    deadline = date_field(
        _l("Échéance"),
        date_after("start_date", _l("L'échéance doit suivre la date de début.")),
    )
