"""Forms of the calls for projects. Messages are French first, through Babel; the services check
again (and alone know the deadline, the territory and the conflicts)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.communities.forms import FrenchDateTimeField
from marketplace.core.forms import CleanText, DateField, IdSelectField, IntegerField
from marketplace.core.taxonomy import DOMAINS


def _length(n: int):
    return Length(max=n, message=_l("Ce texte fait au plus %(n)s caractères.", n=n))


def _text(label, message, n=10_000, rows=5):
    return TextAreaField(label, validators=[DataRequired(message), CleanText(), _length(n)], render_kw={"rows": rows})


class CallForm(FlaskForm):
    title = StringField(_l("Titre de l'appel"), validators=[
        DataRequired(_l("Donnez un titre à l'appel.")), CleanText(), _length(200)])
    domain = SelectField(_l("Thème"), choices=[("", _l("— Choisissez —"))] + list(DOMAINS.items()),
                         validate_choice=False)
    departements = StringField(_l("Départements (codes séparés par des virgules)"),
                               validators=[Optional(), CleanText(), _length(200)], description=_l("Ex. : 35, 2A, 971"))
    regions = StringField(_l("Régions (codes séparés par des virgules)"),
                          validators=[Optional(), CleanText(), _length(100)], description=_l("Ex. : 53"))
    opens_on = DateField(_l("Date d'ouverture"), validators=[InputRequired(_l("Indiquez la date d'ouverture de l'appel."))])
    deadline = FrenchDateTimeField(_l("Date et heure limites de dépôt (heure de Paris)"), validators=[
        InputRequired(_l("Indiquez une date et une heure limites valides."))])
    description = _text(_l("Présentation de l'appel"), _l("Présentez l'appel : ce qu'il cherche, pour qui."))
    eligibility = _text(_l("Conditions d'éligibilité"), _l("Indiquez les conditions d'éligibilité."), rows=3)
    criteria = TextAreaField(_l("Grille d'évaluation (un critère par ligne : « Libellé ; poids »)"), validators=[
        DataRequired(_l("Indiquez au moins un critère d'évaluation.")), CleanText(), _length(3_000)],
        render_kw={"rows": 4}, description=_l("Ex. : Utilité pour les usagers ; 3"))
    laureate_count = IntegerField(_l("Nombre de lauréats"), validators=[
        InputRequired(_l("Indiquez un nombre de lauréats entre 1 et 50."))], default=3)
    accompaniment_months = IntegerField(_l("Durée de l'accompagnement (mois)"), validators=[Optional()], default=6)

    FIELDS = ("title", "domain", "departements", "regions", "opens_on", "deadline", "description", "eligibility",
              "criteria", "laureate_count", "accompaniment_months")

    def call_data(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class JurorForm(FlaskForm):
    email = StringField(_l("Adresse e-mail du membre du jury"), validators=[
        DataRequired(_l("Indiquez l'adresse e-mail du membre du jury.")), CleanText(), _length(254)])


class ButtonForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class ProjectForm(FlaskForm):
    title = StringField(_l("Titre du projet"), validators=[
        DataRequired(_l("Donnez un titre au projet.")), CleanText(), _length(200)])
    collectivity_id = IdSelectField(_l("Collectivité qui porte le projet"))
    problem = _text(_l("Le problème à résoudre"), _l("Décrivez le problème que le projet résout."))
    users = _text(_l("Les usagers concernés"), _l("Dites à quels usagers ou agents le projet s'adresse."), rows=3)
    idea = _text(_l("L'idée"), _l("Décrivez votre idée."))
    team = _text(_l("L'équipe"), _l("Présentez l'équipe du projet."), rows=3)
    support_needed = _text(_l("L'accompagnement souhaité"), _l("Dites de quel accompagnement vous avez besoin."), rows=3)

    FIELDS = ("title", "collectivity_id", "problem", "users", "idea", "team", "support_needed")

    def project_data(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class ScoreForm(FlaskForm):
    """The comment; the marks (mark_0, mark_1...) follow the call's grid and are read by `marks`."""

    comment = TextAreaField(_l("Commentaire rendu au porteur du projet"), validators=[
        DataRequired(_l("Écrivez un commentaire : il est rendu au porteur du projet.")), CleanText(),
        _length(5_000)], render_kw={"rows": 4})


def marks(formdata, count: int) -> dict:
    """The typed marks of a grid of `count` criteria, as sent (the service checks them)."""
    return {str(i): formdata.get(f"mark_{i}", "") for i in range(count)}


class ConflictForm(FlaskForm):
    reason = StringField(_l("Nature du conflit d'intérêts"), validators=[
        DataRequired(_l("Précisez la nature du conflit d'intérêts.")), CleanText(), _length(500)])


class StepForm(FlaskForm):
    kind = SelectField(_l("Type"), choices=[("milestone", _l("Étape à atteindre")), ("checkin", _l("Point d'étape"))],
                       validate_choice=False)
    title = StringField(_l("Intitulé"), validators=[DataRequired(_l("Donnez un intitulé à l'étape.")), CleanText(),
                                                    _length(200)])
    due_on = DateField(_l("Date"), validators=[InputRequired(_l("Indiquez une date valide."))])
    notes = TextAreaField(_l("Notes (facultatif)"), validators=[Optional(), CleanText(), _length(5_000)],
                          render_kw={"rows": 2})


class MentorForm(FlaskForm):
    email = StringField(_l("Adresse e-mail du mentor"), validators=[
        DataRequired(_l("Indiquez l'adresse e-mail du mentor.")), CleanText(), _length(254)])


class FinishForm(FlaskForm):
    summary = _text(_l("Résumé du retour d'expérience"), _l("Résumez le projet et ce qu'il a changé."), 2_000, 3)
    actions = _text(_l("Ce qui a été fait"), _l("Racontez ce qui a été fait."), 20_000)
    results = _text(_l("Les résultats"), _l("Décrivez les résultats obtenus."), 20_000)
    costs = TextAreaField(_l("Coûts et moyens (facultatif)"), validators=[Optional(), CleanText(), _length(5_000)],
                          render_kw={"rows": 2})

    def finish_data(self) -> dict:
        return {name: self[name].data for name in ("summary", "actions", "results", "costs")}
