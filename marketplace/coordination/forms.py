"""Forms of the coordinator queue: filters (GET) and the decision on selected suggestions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from ..forms_common import CleanText
from ..taxonomy import DOMAINS


class QueueFilterForm(FlaskForm):
    """Filters read from the query string (no CSRF: a GET changes nothing)."""

    class Meta:
        csrf = False

    departement = StringField(_l("Département (code)"), validators=[Optional(), Length(max=3)])
    domain = SelectField(_l("Domaine"), choices=[], validators=[Optional()])
    min_score = FloatField(_l("Pertinence minimale (0 à 1)"), validators=[
        Optional(), NumberRange(min=0, max=1, message=_l("Indiquez une pertinence entre 0 et 1."))])
    min_age_days = IntegerField(_l("En attente depuis au moins (jours)"), validators=[
        Optional(), NumberRange(min=0, max=3650, message=_l("Indiquez un nombre de jours positif."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain.choices = [("", _l("Tous les domaines"))] + list(DOMAINS.items())


class DecisionForm(FlaskForm):
    """Approve or reject the selected suggestions (one or many)."""

    suggestion_ids = SelectMultipleField(_l("Suggestions sélectionnées"), coerce=int, validate_choice=False)
    reason = TextAreaField(_l("Motif du rejet"), validators=[Optional(), Length(max=2000), CleanText()])
    approve = SubmitField(_l("Approuver"))
    reject = SubmitField(_l("Rejeter"))
