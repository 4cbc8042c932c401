"""The skill offer form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, Optional

from ..listings.forms import ListingForm, WholeNumberField, date_after, date_field, days_field
from ..services import listings as rules


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
