"""The engagement: its terms once the three consents are in, the days logged, its end."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import extract, func, select

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import DayLog, Engagement, Pairing, SkillOffer, User
from marketplace.models.pairing import LEGAL_ROUTES, REIMBURSEMENTS
from marketplace.pairings.services import audit, documents
from marketplace.core.templating import number
from marketplace.pairings.services.access import PARTIES_ORDER, parties_of, yearly_budget
from marketplace.pairings.services.consents import all_accepted
from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.pairings.services.notify import everyone, tell

MAX_YEARS = 3
TERM_FIELDS = ("legal_route", "activities", "start_date", "end_date", "planned_days", "place", "working_time",
               "reimbursement", "exemption_reason", "reimbursement_basis", "travel_expenses", "notice_days",
               "renewal_terms", "termination_terms")
OPTIONAL_TEXTS = ("exemption_reason", "reimbursement_basis", "travel_expenses")
MAX_NOTICE_DAYS = 365
EARLIEST_YEAR = 2000  # an engagement dated before this is a typing error, not history


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
    for name in ("activities", "place", "working_time", "renewal_terms", "termination_terms", *OPTIONAL_TEXTS):
        terms[name] = (terms[name] or "").strip()
        if not terms[name] and name not in OPTIONAL_TEXTS:
            raise ServiceError(_("Ce champ est obligatoire."), name)
    notice = terms["notice_days"]
    if notice is None:
        notice = terms["notice_days"] = 30
    if not isinstance(notice, int) or not 0 <= notice <= MAX_NOTICE_DAYS:
        raise ServiceError(_("Indiquez un préavis entre 0 et %(max)s jours.", max=MAX_NOTICE_DAYS), "notice_days")
    if terms["legal_route"] not in LEGAL_ROUTES:
        raise ServiceError(_("Choisissez un cadre juridique dans la liste."), "legal_route")
    if terms["reimbursement"] not in REIMBURSEMENTS:
        raise ServiceError(_("Indiquez si la rémunération est remboursée ou si elle en est exonérée."), "reimbursement")
    if terms["reimbursement"] == "exempt" and not terms["exemption_reason"]:
        raise ServiceError(_("Indiquez le motif de l'exonération de remboursement."), "exemption_reason")
    start, end = terms["start_date"], terms["end_date"]
    if not isinstance(start, date):
        raise ServiceError(_("Indiquez la date de début."), "start_date")
    if not EARLIEST_YEAR <= start.year <= date.today().year + 10:
        raise ServiceError(_("Indiquez une date de début entre %(first)s et %(last)s.", first=EARLIEST_YEAR,
                             last=date.today().year + 10), "start_date")
    if not isinstance(end, date) or end <= start:
        raise ServiceError(_("La date de fin doit suivre la date de début."), "end_date")
    if end > _plus_years(start, MAX_YEARS):
        raise ServiceError(_("La durée est de 3 ans au plus (renouvelable par avenant)."), "end_date")
    days = terms["planned_days"]
    if days is None or days != days or days <= 0:  # days != days: NaN
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
    documents.write_versions(engagement, user)
    tell(pairing, everyone(pairing), "engaged",
         _l("La convention « %(need)s » est prête : relisez-la, complétez vos informations, puis signez-la.",
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
    documents.write_versions(engagement, user)
    return engagement


def _lock(engagement: Engagement) -> Engagement:
    """Lock the engagement row, then the agent's, until the unit of work ends, and reload the days:
    two submissions at once are counted one after the other (PostgreSQL; SQLite writes serially)."""
    db.session.execute(select(Engagement.id).where(Engagement.id == engagement.id).with_for_update())
    agent_id = engagement.pairing.offer.agent_id
    db.session.execute(select(User.id).where(User.id == agent_id).with_for_update())
    db.session.expire(engagement, ["day_logs"])
    return engagement


@transactional
def log_days(user, engagement: Engagement, day: date, days: float, note: str = "") -> DayLog:
    """The agent declares days spent; refused in the future, outside the engagement's dates, beyond
    the planned days or the employer's yearly budget, also when submissions arrive at once."""
    if "agent" not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Seul l'agent déclare ses jours."))
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est terminé."))
    if not isinstance(day, date) or not engagement.start_date <= day <= engagement.end_date:
        raise ServiceError(_("La date doit être comprise dans la période de l'engagement (du %(start)s au %(end)s).",
                             start=engagement.start_date.strftime("%d/%m/%Y"),
                             end=engagement.end_date.strftime("%d/%m/%Y")), "day")
    if day > date.today():
        raise ServiceError(_("On déclare des jours déjà effectués : cette date est dans le futur."), "day")
    if days is None or days != days or days <= 0 or days > 31:  # days != days: NaN
        raise ServiceError(_("Indiquez un nombre de jours entre 0,5 et 31."), "days")
    _lock(engagement)
    if engagement.logged_days + days > engagement.planned_days:
        raise ServiceError(_("Cela dépasse les %(planned)s jour(s) prévus (déjà déclarés : %(done)s).",
                             planned=number(engagement.planned_days), done=number(engagement.logged_days)), "days")
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
    """End the engagement. Early: by one party, with a reason. Normal: on or after the planned end
    date; before it, only when the three parties agree — each party's request is recorded and the
    engagement ends with the last one (until then it stays active). Never before it started."""
    mine = parties_of(user, engagement.pairing)
    if not mine:
        raise NotAllowed(_("Seules les parties mettent fin à l'engagement."))
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est déjà terminé."))
    day = ended_on or date.today()
    if day < engagement.start_date:
        raise ServiceError(_("L'engagement commence le %(start)s : il ne peut pas se terminer avant.",
                             start=engagement.start_date.strftime("%d/%m/%Y")), "early")
    reason = (reason or "").strip()
    if early and not reason:
        raise ServiceError(_("Indiquez le motif de la fin anticipée."), "reason")
    pairing = engagement.pairing
    if not early and day < engagement.end_date:
        agreed = sorted(set(engagement.end_agreed_by or []) | set(mine))
        engagement.end_agreed_by = agreed
        waiting = [p for p in PARTIES_ORDER if p not in agreed]
        if waiting:
            audit.record(engagement, user, "active", "end_requested", pairing_id=pairing.id, parties=",".join(mine))
            tell(pairing, everyone(pairing, waiting), "end_requested",
                 _l("Une fin d'un commun accord de l'engagement « %(need)s » avant le %(end)s est demandée : "
                    "confirmez-la sur la page de la mise en relation.", need=pairing.need.title,
                    end=engagement.end_date.strftime("%d/%m/%Y")), _l("Fin d'engagement demandée"))
            return engagement
    engagement.status = "terminated_early" if early else "ended"
    engagement.end_reason, engagement.ended_on = reason, day
    audit.record(engagement, user, "active", engagement.status, pairing_id=engagement.pairing_id, reason=reason)
    tell(pairing, everyone(pairing, ("agent", "host")), "ended",
         _l("L'engagement « %(need)s » est terminé : donnez votre avis. La collectivité d'accueil est invitée à "
            "rédiger un retour d'expérience.", need=pairing.need.title), _l("Engagement terminé : votre avis"))
    return engagement
