"""The need form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..listings.forms import ListingForm, date_after, date_field, days_field
from ..services import listings as rules


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
