"""Account forms. Every message is French first and shows next to its field."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Length, ValidationError

from marketplace.core.forms import CleanText, MultiCheckboxField
from marketplace.core.taxonomy import ROLES, SELF_SERVICE_ROLES

PASSWORD_MIN = 12
PASSWORD_MAX = 128
LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


def email_field(label=_l("Adresse e-mail")):
    return EmailField(label, validators=[
        CleanText(),
        InputRequired(_l("Saisissez votre adresse e-mail.")),
        Length(max=254, message=_l("L'adresse e-mail fait au plus %(max)d caractères.")),
        Email(_l("Saisissez une adresse e-mail valide, par exemple nom@commune.fr."),
              check_deliverability=False),
    ], filters=[lambda v: v.strip() if isinstance(v, str) else v])


def display_name_field():
    return StringField(_l("Nom affiché"), validators=[
        CleanText(),
        InputRequired(_l("Saisissez le nom qui sera affiché aux autres membres.")),
        Length(min=2, max=120, message=_l("Le nom affiché fait entre %(min)d et %(max)d caractères.")),
    ], filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v])


class StrongPassword:
    """At least PASSWORD_MIN characters, and not one character repeated."""

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) < PASSWORD_MIN:
            raise ValidationError(_l("Le mot de passe doit comporter au moins %(n)s caractères.",
                                     n=PASSWORD_MIN))
        if len(value) > PASSWORD_MAX:
            raise ValidationError(_l("Le mot de passe fait au plus %(n)s caractères.", n=PASSWORD_MAX))
        if len(set(value)) < 4:
            raise ValidationError(_l("Ce mot de passe est trop simple : variez les caractères."))


def new_password_fields(label=_l("Mot de passe")):
    password = PasswordField(label, validators=[
        InputRequired(_l("Saisissez un mot de passe.")), StrongPassword()])
    confirm = PasswordField(_l("Confirmation du mot de passe"), validators=[
        InputRequired(_l("Saisissez de nouveau le mot de passe.")),
        EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
    ])
    return password, confirm


class RegisterForm(FlaskForm):
    display_name = display_name_field()
    email = email_field()
    password, confirm = new_password_fields()
    language = SelectField(_l("Langue préférée"), choices=LANGUAGE_CHOICES, default="fr",
                           validators=[InputRequired(_l("Choisissez une langue."))])
    accept_terms = BooleanField(
        _l("J'accepte les conditions d'utilisation d'Essaim."),
        validators=[InputRequired(_l("Acceptez les conditions d'utilisation pour créer un compte."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Mot de passe"), validators=[
        InputRequired(_l("Saisissez votre mot de passe."))])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields(_l("Nouveau mot de passe"))


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    language = SelectField(_l("Langue préférée"), choices=LANGUAGE_CHOICES,
                           validators=[InputRequired(_l("Choisissez une langue."))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        InputRequired(_l("Saisissez votre mot de passe actuel."))])
    password, confirm = new_password_fields(_l("Nouveau mot de passe"))


class ActionForm(FlaskForm):
    """A button-only form: its CSRF token is all it carries."""


class OnboardingForm(FlaskForm):
    roles = MultiCheckboxField(
        _l("Votre rôle"), choices=[(key, ROLES[key]) for key in SELF_SERVICE_ROLES],
        # Checked below with a French message; only these two can be asked for (issue 10 §1).
        validate_choice=False,
    )
    collectivity_query = StringField(_l("Votre collectivité"), validators=[
        CleanText(),
        Length(max=200, message=_l("Saisissez au plus %(max)d caractères.")),
    ])
    collectivity_id = HiddenField()

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez au moins un rôle."))
        if set(field.data) - set(SELF_SERVICE_ROLES):
            raise ValidationError(_l("Choisissez un rôle dans la liste : agent ou référent."))


class RoleDecisionForm(FlaskForm):
    """A coordinator's or an administrator's decision on a role request, always with a reason."""

    decision = SelectField(_l("Décision"), choices=[("approve", _l("Valider")), ("refuse", _l("Refuser"))],
                           validate_choice=False, validators=[
                               InputRequired(_l("Choisissez une décision.")),
                               AnyOf(["approve", "refuse"], _l("Choisissez de valider ou de refuser."))])
    reason = TextAreaField(_l("Motif"), validators=[
        CleanText(),
        InputRequired(_l("Indiquez le motif de votre décision.")),
        Length(min=3, max=1000, message=_l("Le motif fait entre %(min)d et %(max)d caractères.")),
    ])
