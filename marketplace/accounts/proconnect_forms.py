"""Forms of the ProConnect pages: confirm a link with the password, add a local password."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired

from marketplace.accounts.forms import new_password_fields


class LinkForm(FlaskForm):
    password = PasswordField(_l("Mot de passe de votre compte Essaim"), validators=[
        InputRequired(_l("Saisissez votre mot de passe."))])


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields(_l("Nouveau mot de passe"))
