"""Administration forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import CleanText, IntegerField
from marketplace.admin.services import APPROVER_BUDGET_MAX
from marketplace.core.taxonomy import ROLES

BUDGET_MESSAGE = _l("Le budget est compris entre 0 et %(n)s jours.", n=APPROVER_BUDGET_MAX)


class UserFilterForm(FlaskForm):
    """The filters of the account list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Nom ou adresse e-mail"), validators=[CleanText(), Length(max=120)])
    role = SelectField(_l("Rôle"), choices=[("", _l("Tous les rôles"))] + list(ROLES.items()),
                       validators=[Optional()])
    pending = BooleanField(_l("Seulement les demandes en attente"))


class ApproveRoleForm(FlaskForm):
    yearly_day_budget = IntegerField(
        _l("Jours par an"),
        validators=[Optional(), NumberRange(min=0, max=APPROVER_BUDGET_MAX, message=BUDGET_MESSAGE)],
    )


class CoordinatorForm(FlaskForm):
    departements = StringField(_l("Départements"), validators=[CleanText(), Length(max=400)])
    regions = StringField(_l("Régions"), validators=[CleanText(), Length(max=200)])


class ApproverForm(FlaskForm):
    collectivity_query = StringField(_l("Collectivité"), validators=[
        CleanText(), Length(max=200, message=_l("Saisissez au plus %(max)d caractères."))])
    collectivity_id = HiddenField()
    yearly_day_budget = IntegerField(_l("Jours par an"), validators=[
        InputRequired(_l("Indiquez le nombre de jours par an.")),
        NumberRange(min=0, max=APPROVER_BUDGET_MAX, message=BUDGET_MESSAGE),
    ])


class DomainForm(FlaskForm):
    """An e-mail domain a collectivity uses: its verified addresses verify role requests."""

    collectivity_query = StringField(_l("Collectivité"), validators=[
        CleanText(), Length(max=200, message=_l("Saisissez au plus %(max)d caractères."))])
    collectivity_id = HiddenField()
    domain = StringField(_l("Domaine de messagerie"), validators=[
        CleanText(),
        InputRequired(_l("Saisissez le domaine, par exemple mairie-exemple.fr.")),
        Length(max=253, message=_l("Saisissez au plus %(max)d caractères.")),
    ])
