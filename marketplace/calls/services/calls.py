"""Opening a call: its fields and grid, its jury, and the moves of its life (brouillon → ouvert →
clos / en instruction → résultats publiés). Dates are typed in Paris time and stored in UTC."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.calls.services import access
from marketplace.communities.services.checks import line, prose, territory
from marketplace.communities.services.meetings import as_utc
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.forms import parse_int
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.unit_of_work import transactional
from marketplace.models import AuditEntry, Call, CallJuror, User
from marketplace.models.base import utcnow

PARIS = ZoneInfo("Europe/Paris")
TITLE_MAX, TEXT_MAX = 200, 10_000
MAX_CRITERIA, MAX_WEIGHT, MAX_LAUREATES, MAX_MONTHS = 10, 10, 50, 36
DEFAULT_MONTHS = 6


def aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def paris(value: datetime) -> datetime:
    """A stored UTC time in Paris time, for pages and e-mails."""
    return aware(value).astimezone(PARIS)


def paris_text(value: datetime) -> str:
    """A stored UTC time as Paris time in words ("14/03/2027 à 10:00")."""
    local = paris(value)
    return _("%(date)s à %(time)s", date=local.strftime("%d/%m/%Y"), time=local.strftime("%H:%M"))


def today_in_paris() -> date:
    return utcnow().astimezone(PARIS).date()


def deadline_passed(call: Call, now: datetime | None = None) -> bool:
    return (now or utcnow()) > aware(call.deadline_at)


def accepts_projects(call: Call) -> bool:
    """Open, started (Paris date) and before its deadline: the server's clock decides."""
    return call.status == "open" and call.opens_on <= today_in_paris() and not deadline_passed(call)


def audit(call: Call, actor, from_state: str, to_state: str, **detail) -> None:
    """A decision on the call, in the shared audit log (helper: flushes only)."""
    db.session.add(AuditEntry(object_type="call", object_id=call.id, actor_id=getattr(actor, "id", None),
                              from_state=from_state, to_state=to_state[:30], detail=detail))
    db.session.flush()


def parse_criteria(text) -> list[dict]:
    """The grid typed one criterion a line, "Label ; weight" (weight 1 to 10, 1 when left out)."""
    criteria = []
    for raw in str(text or "").replace("\r", "").split("\n"):
        if not raw.strip():
            continue
        label, _sep, weight = raw.rpartition(";") if ";" in raw else (raw, "", "1")
        label = line(label, "criteria", 200)
        value = parse_int(weight.strip(), minimum=1, maximum=MAX_WEIGHT)
        if not label or value is None:
            raise ServiceError(_("Écrivez un critère par ligne sous la forme « Libellé ; poids », "
                                 "avec un poids entier de 1 à 10."), "criteria")
        criteria.append({"label": label, "weight": value})
    if not criteria:
        raise ServiceError(_("Indiquez au moins un critère d'évaluation."), "criteria")
    if len(criteria) > MAX_CRITERIA:
        raise ServiceError(_("Indiquez au plus 10 critères."), "criteria")
    return criteria


def criteria_text(call: Call) -> str:
    return "\n".join(f"{c['label']} ; {c['weight']}" for c in call.criteria)


def _whole(value, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ServiceError(message, field)
    return value


def _deadline(value) -> datetime:
    try:
        return as_utc(value)  # the communities' meetings read Paris time the same way
    except ServiceError as error:
        raise ServiceError(_("Indiquez une date et une heure limites valides."), "deadline") from error


def _fields(data: dict) -> dict:
    domain = data.get("domain")
    if domain not in DOMAINS:
        raise ServiceError(_("Choisissez le thème de l'appel dans la liste."), "domain")
    deps, regs = territory(data.get("departements"), data.get("regions"))
    opens_on = data.get("opens_on")
    if not isinstance(opens_on, date) or not 2000 <= opens_on.year <= 2100:
        raise ServiceError(_("Indiquez la date d'ouverture de l'appel."), "opens_on")
    deadline = _deadline(data.get("deadline"))
    if deadline.astimezone(PARIS).date() < opens_on:
        raise ServiceError(_("La date limite doit suivre la date d'ouverture."), "deadline")
    months = data.get("accompaniment_months")
    return {
        "title": line(data.get("title"), "title", TITLE_MAX, _("Donnez un titre à l'appel.")),
        "domain": domain, "departement_codes": deps, "region_codes": regs,
        "description": prose(data.get("description"), "description", TEXT_MAX,
                             _("Présentez l'appel : ce qu'il cherche, pour qui.")),
        "eligibility": prose(data.get("eligibility"), "eligibility", TEXT_MAX,
                             _("Indiquez les conditions d'éligibilité.")),
        "opens_on": opens_on, "deadline_at": deadline, "criteria": parse_criteria(data.get("criteria")),
        "laureate_count": _whole(data.get("laureate_count"), "laureate_count", 1, MAX_LAUREATES,
                                 _("Indiquez un nombre de lauréats entre 1 et 50.")),
        "accompaniment_months": DEFAULT_MONTHS if months is None else _whole(
            months, "accompaniment_months", 1, MAX_MONTHS, _("Indiquez une durée entre 1 et 36 mois.")),
    }


def _check_territory(user, fields: dict) -> None:
    if not access.can_manage_territory(user, fields["departement_codes"], fields["region_codes"]):
        raise ServiceError(_("Choisissez un territoire compris dans celui que vous coordonnez "
                             "(un appel national est ouvert par un administrateur)."), "departements")


@transactional
def create_call(user, data: dict) -> Call:
    """A draft call from the form; the territory must lie in the coordinator's scope."""
    access.require_signed_in(user)
    if not access.may_open_calls(user):
        raise NotAllowed(_("Seuls les coordinateurs et les administrateurs ouvrent des appels."))
    fields = _fields(data)
    _check_territory(user, fields)
    call = Call(created_by_id=user.id, status="draft", **fields)
    db.session.add(call)
    db.session.flush()
    audit(call, user, "", "draft")
    return call


@transactional
def update_call(call: Call, user, data: dict) -> Call:
    """Change a call before its deadline; its grid is frozen once projects may be scored."""
    access.require_manager(call, user)
    if call.status not in ("draft", "open"):
        raise Conflict(_("L'appel est clos : il ne peut plus être modifié."))
    fields = _fields(data)
    _check_territory(user, fields)
    for key, value in fields.items():
        setattr(call, key, value)
    db.session.flush()
    return call


@transactional
def open_call(call: Call, user) -> Call:
    """Publish a draft: agents of the territory may then submit until the deadline."""
    access.require_manager(call, user)
    if call.status != "draft":
        raise Conflict(_("Cet appel est déjà ouvert."))
    if deadline_passed(call):
        raise ServiceError(_("La date limite est passée : reportez-la avant d'ouvrir l'appel."), "deadline")
    if not call.jurors:
        raise ServiceError(_("Nommez au moins un membre du jury avant d'ouvrir l'appel."))
    call.status = "open"
    audit(call, user, "draft", "open")
    return call


@transactional
def close_call(call: Call, user) -> Call:
    """After the deadline, the call is closed and the jury scores ("clos / en instruction")."""
    access.require_manager(call, user)
    if call.status != "open":
        raise Conflict(_("Seul un appel ouvert peut être clos."))
    if not deadline_passed(call):
        raise ServiceError(_("La date limite n'est pas passée : les agents peuvent encore déposer."))
    call.status = "closed"
    audit(call, user, "open", "closed")
    return call


@transactional
def add_juror(call: Call, user, email: str) -> CallJuror:
    """Name a member of the jury by the e-mail of their account (a verified role is required)."""
    access.require_manager(call, user)
    if call.status == "published":
        raise Conflict(_("Les résultats sont publiés : le jury ne change plus."))
    address = line(email, "email", 254, _("Indiquez l'adresse e-mail du membre du jury."))
    member = db.session.scalar(select(User).where(func.lower(User.email) == address.lower()))
    if member is None or not member.active_roles():
        raise ServiceError(_("Aucun compte vérifié ne porte cette adresse."), "email")
    if any(j.user_id == member.id for j in call.jurors):
        raise ServiceError(_("Cette personne fait déjà partie du jury."), "email")
    juror = CallJuror(call_id=call.id, user_id=member.id)
    call.jurors.append(juror)
    db.session.flush()
    audit(call, user, "", "juror_added", user_id=member.id)
    return juror


@transactional
def remove_juror(call: Call, user, juror_id) -> None:
    """Withdraw a member of the jury before the call is closed (their scores would stay)."""
    access.require_manager(call, user)
    juror = next((j for j in call.jurors if j.id == juror_id), None)
    if juror is None:
        raise NotFound(_("Ce membre du jury n'existe pas."))
    if call.status not in ("draft", "open"):
        raise Conflict(_("L'appel est clos : le jury ne change plus."))
    call.jurors.remove(juror)
    audit(call, user, "", "juror_removed", user_id=juror.user_id)


def list_calls(user) -> list[Call]:
    """The calls this user may see: open, closed and published ones, and the drafts they manage."""
    access.require_signed_in(user)
    calls = db.session.scalars(select(Call).order_by(Call.deadline_at.desc(), Call.id.desc())).all()
    return [c for c in calls if access.can_read(c, user)]
