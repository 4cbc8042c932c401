"""The e-mail preferences form: one choice of frequency per kind of e-mail."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import AnyOf, InputRequired

from marketplace.notifications.services import EMAIL_KINDS, FREQUENCY_LABELS

FREQUENCY_INVALID = _l("Choisissez une fréquence parmi celles proposées.")


def preferences_form(current: dict[str, str]) -> FlaskForm:
    """A form with one radio group per e-mail kind, preset to the user's current choices."""

    class PreferencesForm(FlaskForm):
        pass

    for kind, label in EMAIL_KINDS.items():
        setattr(PreferencesForm, kind, RadioField(
            label, choices=list(FREQUENCY_LABELS.items()), default=current.get(kind), validate_choice=False,
            validators=[InputRequired(message=FREQUENCY_INVALID), AnyOf(list(FREQUENCY_LABELS), message=FREQUENCY_INVALID)],
        ))
    return PreferencesForm()


def choices_of(form) -> dict[str, str]:
    """The submitted frequency of each kind."""
    return {kind: form[kind].data for kind in EMAIL_KINDS}
