"""Forms of the coordinator queue (filters, decisions) and of the pairing page: consent, terms,
signature, days, end, feedback, retour d'expérience."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import CleanText, DateField, FloatField, IdMultipleField, IntegerField
from marketplace.core.taxonomy import DOMAINS

PARTY = [AnyOf(("agent", "employer", "host"), message=_l("Partie inconnue."))]
REQUIRED = _l("Ce champ est obligatoire.")
DATE_INVALID = _l("Indiquez une date valide (jj/mm/aaaa).")


class ConsentForm(FlaskForm):
    party = HiddenField(validators=[InputRequired(), *PARTY])
    decision = RadioField(_l("Votre réponse"), choices=[("accepted", _l("J'accepte")), ("declined", _l("Je refuse"))],
                          validators=[InputRequired(message=_l("Choisissez d'accepter ou de refuser."))])
    reason = TextAreaField(_l("Motif (obligatoire en cas de refus)"), validators=[Optional(), Length(max=2000), CleanText()])


class TermsForm(FlaskForm):
    legal_route = SelectField(_l("Cadre juridique"), choices=[
        ("mise_a_disposition", _l("Mise à disposition")),
        ("prestation_services", _l("Convention de prestation de services entre collectivités")),
        ("service_commun", _l("Service commun au sein d'un EPCI")),
        ("activite_accessoire", _l("Activité accessoire autorisée par l'employeur"))], default="mise_a_disposition")
    activities = TextAreaField(_l("Nature des activités"), validators=[InputRequired(message=REQUIRED), Length(max=5000), CleanText()])
    start_date = DateField(_l("Date de début"), validators=[InputRequired(message=DATE_INVALID)])
    end_date = DateField(_l("Date de fin (3 ans au plus)"), validators=[InputRequired(message=DATE_INVALID)])
    planned_days = FloatField(_l("Nombre de jours prévus"), validators=[InputRequired(message=REQUIRED)])
    place = StringField(_l("Lieu de travail"), validators=[InputRequired(message=REQUIRED), Length(max=300), CleanText()])
    working_time = StringField(_l("Temps de travail"), validators=[InputRequired(message=REQUIRED), Length(max=300), CleanText()])
    reimbursement = RadioField(_l("Rémunération de l'agent"), default="host", choices=[
        ("host", _l("Remboursée par la collectivité d'accueil (règle générale)")),
        ("exempt", _l("Exonération de remboursement"))], validators=[InputRequired(message=REQUIRED)])
    exemption_reason = TextAreaField(_l("Motif de l'exonération"), validators=[Optional(), Length(max=2000), CleanText()])
    reimbursement_basis = TextAreaField(_l("Base ou montant du remboursement (facultatif)"), validators=[
        Optional(), Length(max=2000), CleanText()])
    travel_expenses = TextAreaField(_l("Frais de déplacement (facultatif : à défaut, pris en charge par l'accueil)"),
                                    validators=[Optional(), Length(max=2000), CleanText()])
    notice_days = IntegerField(_l("Préavis de fin anticipée (jours)"), default=30, validators=[
        Optional(), NumberRange(min=0, max=365, message=_l("Indiquez un préavis entre 0 et 365 jours."))])
    renewal_terms = TextAreaField(_l("Conditions de renouvellement"), validators=[InputRequired(message=REQUIRED), Length(max=2000), CleanText()])
    termination_terms = TextAreaField(_l("Conditions de fin anticipée"), validators=[InputRequired(message=REQUIRED), Length(max=2000), CleanText()])


class PartyForm(FlaskForm):
    """How a collectivity is identified in the documents and who signs for it."""

    party = HiddenField(validators=[InputRequired(), AnyOf(("employer", "host"), message=_l("Partie inconnue."))])
    address = StringField(_l("Adresse du siège"), validators=[InputRequired(message=REQUIRED), Length(max=500), CleanText()])
    signatory_name = StringField(_l("Nom du signataire"), validators=[InputRequired(message=REQUIRED), Length(max=200), CleanText()])
    signatory_title = StringField(_l("Qualité du signataire"), description=_l("Par exemple : maire, président, vice-président délégué"),
                                  validators=[InputRequired(message=REQUIRED), Length(max=200), CleanText()])
    mandate = StringField(_l("Délibération ou délégation qui l'habilite"),
                          description=_l("Par exemple : délibération n° 2026-045 du 12 mars 2026"),
                          validators=[InputRequired(message=REQUIRED), Length(max=500), CleanText()])


class AgentForm(FlaskForm):
    """The agent's situation, as the documents state it."""

    agent_grade = StringField(_l("Grade"), validators=[InputRequired(message=REQUIRED), Length(max=200), CleanText()])
    agent_cadre = StringField(_l("Cadre d'emplois"), validators=[InputRequired(message=REQUIRED), Length(max=200), CleanText()])
    agent_status = RadioField(_l("Statut"), choices=[("titulaire", _l("Fonctionnaire titulaire")),
                                                     ("cdi", _l("Contractuel en CDI"))],
                              validators=[InputRequired(message=_l("Choisissez le statut de l'agent."))])
    agent_service = StringField(_l("Service d'origine"), validators=[InputRequired(message=REQUIRED), Length(max=200), CleanText()])


class FreezeForm(FlaskForm):
    """Freeze the latest version for signature (CSRF only)."""


class SignedCopyForm(FlaskForm):
    party = HiddenField(validators=[InputRequired(), *PARTY])
    file = FileField(_l("PDF signé"), validators=[FileRequired(_l("Choisissez le PDF signé à déposer."))])
    signed_outside_on = DateField(_l("Signé hors d'Essaim, le (facultatif)"), validators=[Optional()])


class MessageForm(FlaskForm):
    token = HiddenField()
    body = TextAreaField(_l("Votre message"), validators=[InputRequired(message=_l("Écrivez votre message.")),
                                                         Length(max=2000), CleanText()])


class BudgetForm(FlaskForm):
    collectivity_id = HiddenField(validators=[InputRequired()])
    yearly_day_budget = IntegerField(_l("Jours par an et par agent (vide : aucun prêt)"), validators=[
        Optional(), NumberRange(min=0, max=220, message=_l("Le budget est compris entre 0 et 220 jours."))])


class AskForm(FlaskForm):
    """Ask the coordination for a pairing with a suggested agent (CSRF only)."""


class DayLogForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(message=DATE_INVALID)])
    days = FloatField(_l("Jours passés"), validators=[InputRequired(message=REQUIRED)])
    note = StringField(_l("Ce qui a été fait"), validators=[Optional(), Length(max=500), CleanText()])


class EndForm(FlaskForm):
    early = RadioField(_l("Fin de l'engagement"), default="normal", choices=[
        ("normal", _l("Fin normale")), ("early", _l("Fin anticipée"))], validators=[InputRequired(message=REQUIRED)])
    reason = TextAreaField(_l("Motif (obligatoire pour une fin anticipée)"), validators=[Optional(), Length(max=2000), CleanText()])


class FeedbackForm(FlaskForm):
    party = HiddenField(validators=[InputRequired(), AnyOf(("agent", "host"), message=_l("Partie inconnue."))])
    rating = IntegerField(_l("Note de 1 à 5"), validators=[
        InputRequired(message=REQUIRED), NumberRange(min=1, max=5, message=_l("Choisissez une note de 1 à 5."))])
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=5000), CleanText()])


class ReportForm(FlaskForm):
    what_was_done = TextAreaField(_l("Ce qui a été fait"), validators=[InputRequired(message=REQUIRED), Length(max=5000), CleanText()])
    for_whom = TextAreaField(_l("Pour qui"), validators=[InputRequired(message=REQUIRED), Length(max=2000), CleanText()])
    results = TextAreaField(_l("Les résultats obtenus"), validators=[Optional(), Length(max=5000), CleanText()])
    how_to_reuse = TextAreaField(_l("Comment le réutiliser"), validators=[InputRequired(message=REQUIRED), Length(max=5000), CleanText()])


class CapacityForm(FlaskForm):
    max_open = IntegerField(_l("Nombre de propositions et d'engagements en même temps"), validators=[
        InputRequired(message=REQUIRED), NumberRange(min=0, max=20, message=_l("Indiquez un nombre entre 0 et 20."))])


class CapForm(FlaskForm):
    agent_id = HiddenField(validators=[InputRequired()])
    employer_cap = IntegerField(_l("Plafond fixé par l'employeur (vide : aucun)"), validators=[
        Optional(), NumberRange(min=0, max=20, message=_l("Indiquez un nombre entre 0 et 20."))])


class QueueFilterForm(FlaskForm):
    """Filters and order read from the query string (no CSRF: a GET changes nothing)."""

    class Meta:
        csrf = False

    departement = StringField(_l("Département (code)"), validators=[Optional(), Length(max=3, message=_l(
        "Indiquez un code de département (par exemple 69, 2A ou 974)."))])
    domain = SelectField(_l("Domaine"), choices=[], validators=[Optional()])
    min_score = FloatField(_l("Pertinence minimale (0 à 1)"), validators=[
        Optional(), NumberRange(min=0, max=1, message=_l("Indiquez une pertinence entre 0 et 1."))])
    min_age_days = IntegerField(_l("En attente depuis au moins (jours)"), validators=[
        Optional(), NumberRange(min=0, max=3650, message=_l("Indiquez un nombre de jours positif."))])
    sort = SelectField(_l("Trier par"), choices=[("score", _l("Pertinence")), ("age", _l("Ancienneté")),
                                                 ("departement", _l("Département"))], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain.choices = [("", _l("Tous les domaines"))] + list(DOMAINS.items())
        # An unknown order in a shared or hand-edited link is the default order, not an error.
        if self.sort.data not in {value for value, _label in self.sort.choices}:
            self.sort.data = "score"

    def filters(self) -> dict:
        """The valid filters as the queue service takes them."""
        return {"departement": (self.departement.data or "").strip() or None, "domain": self.domain.data or None,
                "min_score": self.min_score.data, "min_age_days": self.min_age_days.data}


class DecisionForm(FlaskForm):
    """Approve or reject the selected suggestions (one or many, or the whole page at once)."""

    suggestion_ids = IdMultipleField(_l("Suggestions sélectionnées"))
    select_page = BooleanField(_l("Sélectionner toute la page"))
    # The suggestions shown on the page, for "select the whole page" (no script needed).
    page_ids = IdMultipleField()
    # Checked by the queue service, which says in French what is wrong (no English WTForms message).
    reason_code = SelectField(_l("Type de motif"), default="", validate_choice=False, choices=[
        ("", _l("Autre motif")), ("off_topic", _l("Hors sujet / sans rapport : ne plus jamais suggérer cette paire"))])
    reason = TextAreaField(_l("Motif du rejet"), validators=[Optional(), Length(max=2000), CleanText()])
    approve = SubmitField(_l("Approuver"))
    reject = SubmitField(_l("Rejeter"))

    def chosen_ids(self) -> list[int]:
        """The suggestions this decision is about: the whole page when asked, else those ticked."""
        return list(self.page_ids.data or []) if self.select_page.data else list(self.suggestion_ids.data or [])
