"""Forms of the personal data rights pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import InputRequired, Length


class DeleteAccountForm(FlaskForm):
    """Deletion is confirmed by ticking that one understood, and by the password when there is one
    (a ProConnect-only account proves itself by a fresh ProConnect login instead)."""

    password = PasswordField(_l("Mot de passe"), validators=[Length(max=1024)])
    understood = BooleanField(_l("J'ai compris que la suppression est définitive."), validators=[
        InputRequired(_l("Cochez cette case pour confirmer la suppression."))])
