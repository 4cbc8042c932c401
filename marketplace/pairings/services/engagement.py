"""The engagement: its terms once the three consents are in, the days logged, its end."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import extract, func, select

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import DayLog, Engagement, Pairing, SkillOffer
from marketplace.models.pairing import LEGAL_ROUTES, REIMBURSEMENTS
from marketplace.pairings.services import audit, convention
from marketplace.pairings.services.access import parties_of, yearly_budget
from marketplace.pairings.services.consents import all_accepted
from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.pairings.services.notify import everyone, tell

MAX_YEARS = 3
TERM_FIELDS = ("legal_route", "activities", "start_date", "end_date", "planned_days", "place", "working_time",
               "reimbursement", "exemption_reason", "renewal_terms", "termination_terms")


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _agent_engagements(agent_id: int, exclude_id: int | None = None):
    query = (select(Engagement).join(Pairing, Pairing.id == Engagement.pairing_id)
             .join(SkillOffer, SkillOffer.id == Pairing.offer_id)
             .where(SkillOffer.agent_id == agent_id, Engagement.status == "active"))
    if exclude_id is not None:
        query = query.where(Engagement.id != exclude_id)
    return db.session.scalars(query).all()


def remaining_budget(offer, year: int, exclude_id: int | None = None) -> float | None:
    """Days left this year in the agent's yearly budget after their other active engagements
    planned for that year; None when the home employer set no budget."""
    budget = yearly_budget(offer)
    if budget is None:
        return None
    planned = sum(e.planned_days for e in _agent_engagements(offer.agent_id, exclude_id) if e.start_date.year == year)
    return budget - planned


def logged_in_year(agent_id: int, year: int) -> float:
    """Days the agent logged in a calendar year, all engagements together."""
    return db.session.scalar(
        select(func.coalesce(func.sum(DayLog.days), 0)).where(DayLog.user_id == agent_id,
                                                              extract("year", DayLog.day) == year)) or 0


def _check_terms(pairing: Pairing, terms: dict, exclude_id: int | None = None) -> dict:
    terms = {name: terms.get(name) for name in TERM_FIELDS}
    for name in ("activities", "place", "working_time", "renewal_terms", "termination_terms", "exemption_reason"):
        terms[name] = (terms[name] or "").strip()
        if not terms[name] and name != "exemption_reason":
            raise ServiceError(_("Ce champ est obligatoire."), name)
    if terms["legal_route"] not in LEGAL_ROUTES:
        raise ServiceError(_("Choisissez un cadre juridique dans la liste."), "legal_route")
    if terms["reimbursement"] not in REIMBURSEMENTS:
        raise ServiceError(_("Indiquez si la rémunération est remboursée ou si elle en est exonérée."), "reimbursement")
    if terms["reimbursement"] == "exempt" and not terms["exemption_reason"]:
        raise ServiceError(_("Indiquez le motif de l'exonération de remboursement."), "exemption_reason")
    start, end = terms["start_date"], terms["end_date"]
    if not isinstance(start, date):
        raise ServiceError(_("Indiquez la date de début."), "start_date")
    if not isinstance(end, date) or end <= start:
        raise ServiceError(_("La date de fin doit suivre la date de début."), "end_date")
    if end > _plus_years(start, MAX_YEARS):
        raise ServiceError(_("La durée est de 3 ans au plus (renouvelable par avenant)."), "end_date")
    days = terms["planned_days"]
    if days is None or days <= 0:
        raise ServiceError(_("Indiquez un nombre de jours positif."), "planned_days")
    left = remaining_budget(pairing.offer, start.year, exclude_id)
    if left is None:
        raise ServiceError(_("L'employeur d'origine n'a pas fixé de budget annuel de jours pour cet agent."),
                           "planned_days")
    if days > left:
        raise ServiceError(_("Le budget annuel de l'agent ne laisse que %(left)s jour(s).", left=left), "planned_days")
    return terms


@transactional
def create(user, pairing: Pairing, terms: dict) -> Engagement:
    """The host's representative sets the terms once the three consents are in: the engagement
    starts and the first version of the convention is written."""
    if "host" not in parties_of(user, pairing):
        raise NotAllowed(_("Seul le référent de la collectivité d'accueil fixe les conditions."))
    if pairing.status != "proposed" or not all_accepted(pairing) or pairing.engagement is not None:
        raise ServiceError(_("Les conditions se fixent une fois les trois accords réunis, une seule fois."))
    clean = _check_terms(pairing, terms)
    engagement = Engagement(pairing=pairing, created_by_id=user.id, status="active", **clean)
    db.session.add(engagement)
    pairing.status = "engaged"
    audit.record(pairing, user, "proposed", "engaged")
    audit.record(engagement, user, "", "active", pairing_id=pairing.id)
    convention.write_version(engagement, user)
    tell(pairing, everyone(pairing), "engaged",
         _l("La convention « %(need)s » est prête : relisez-la et indiquez votre date de signature.",
            need=pairing.need.title), _l("La convention est prête à signer"))
    return engagement


@transactional
def update_terms(user, engagement: Engagement, terms: dict) -> Engagement:
    """Change the terms: the unsigned version is rewritten, a signed one gets an avenant."""
    if "host" not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Seul le référent de la collectivité d'accueil modifie les conditions."))
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est terminé."))
    clean = _check_terms(engagement.pairing, terms, exclude_id=engagement.id)
    if clean["planned_days"] < engagement.logged_days:
        raise ServiceError(_("Des jours déjà déclarés dépassent ce nombre."), "planned_days")
    for name, value in clean.items():
        setattr(engagement, name, value)
    convention.write_version(engagement, user)
    return engagement


@transactional
def log_days(user, engagement: Engagement, day: date, days: float, note: str = "") -> DayLog:
    """The agent declares days spent; refused beyond the planned days or the yearly budget."""
    if "agent" not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Seul l'agent déclare ses jours."))
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est terminé."))
    if not isinstance(day, date) or not engagement.start_date <= day <= engagement.end_date:
        raise ServiceError(_("La date doit être comprise dans la période de l'engagement."), "day")
    if days is None or days <= 0 or days > 31:
        raise ServiceError(_("Indiquez un nombre de jours entre 0,5 et 31."), "days")
    if engagement.logged_days + days > engagement.planned_days:
        raise ServiceError(_("Cela dépasse les %(planned)s jour(s) prévus (déjà déclarés : %(done)s).",
                             planned=engagement.planned_days, done=engagement.logged_days), "days")
    budget = yearly_budget(engagement.pairing.offer)
    if budget is not None and logged_in_year(user.id, day.year) + days > budget:
        raise ServiceError(_("Cela dépasse le budget annuel de %(budget)s jour(s) fixé par votre employeur.",
                             budget=budget), "days")
    log = DayLog(engagement_id=engagement.id, day=day, days=days, note=(note or "").strip()[:500], user_id=user.id)
    engagement.day_logs.append(log)
    db.session.flush()
    return log


@transactional
def end(user, engagement: Engagement, early: bool, reason: str, ended_on: date | None = None) -> Engagement:
    """End the engagement, normally or early (with a reason); both sides are asked for feedback."""
    if not parties_of(user, engagement.pairing):
        raise NotAllowed(_("Seules les parties mettent fin à l'engagement."))
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est déjà terminé."))
    reason = (reason or "").strip()
    if early and not reason:
        raise ServiceError(_("Indiquez le motif de la fin anticipée."), "reason")
    engagement.status = "terminated_early" if early else "ended"
    engagement.end_reason, engagement.ended_on = reason, ended_on or date.today()
    audit.record(engagement, user, "active", engagement.status, pairing_id=engagement.pairing_id, reason=reason)
    pairing = engagement.pairing
    tell(pairing, everyone(pairing, ("agent", "host")), "ended",
         _l("L'engagement « %(need)s » est terminé : donnez votre avis. La collectivité d'accueil est invitée à "
            "rédiger un retour d'expérience.", need=pairing.need.title), _l("Engagement terminé : votre avis"))
    return engagement
