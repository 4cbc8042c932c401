"""The profile form that creates a personal API token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from marketplace.api_v1.services.tokens import NAME_MAX
from marketplace.core.forms import CleanText, strip_filter


class TokenForm(FlaskForm):
    name = StringField(_l("Nom du jeton"), filters=[strip_filter], validators=[
        InputRequired(_l("Donnez un nom à ce jeton (par exemple l'outil qui l'utilise).")),
        Length(max=NAME_MAX, message=_l("Le nom fait au plus 100 caractères.")), CleanText()])
    scope = RadioField(_l("Portée"), default="read", choices=[
        ("read", _l("Lecture : lire mes offres, besoins, suggestions et rapprochements")),
        ("write", _l("Écriture : aussi créer, modifier et publier mes offres et besoins")),
    ], validators=[InputRequired(_l("Choisissez la portée lecture ou écriture."))])
