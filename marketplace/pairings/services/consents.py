"""The three consents (agent, home employer, host), their reminders and the proposal's expiry."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Consent, Pairing
from marketplace.models.base import utcnow
from marketplace.learning import labels
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import PARTIES_ORDER, parties_of, people_of
from marketplace.core.forms import parse_int
from marketplace.core.errors import Conflict, NotAllowed, ServiceError
from marketplace.pairings.services.notify import everyone, tell

PARTY_LABELS = {
    "agent": _l("l'agent"),
    "employer": _l("l'employeur d'origine (autorité territoriale)"),
    "host": _l("la collectivité d'accueil"),
}


def reminder_days() -> list[int]:
    raw = str(current_app.config.get("PAIRING_REMINDER_DAYS", "7,14"))
    return sorted(day for day in (parse_int(part.strip(), 1, 3650) for part in raw.split(",")) if day)


def expiry_days() -> int:
    return int(current_app.config.get("PAIRING_EXPIRY_DAYS", 30))


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back; every stored moment is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def expires_at(pairing: Pairing) -> datetime | None:
    return _aware(pairing.decided_at) + timedelta(days=expiry_days()) if pairing.decided_at else None


def all_accepted(pairing: Pairing) -> bool:
    return all((c := pairing.consent_of(p)) is not None and c.decision == "accepted" for p in PARTIES_ORDER)


def what_you_consent_to(pairing: Pairing, party: str) -> str:
    """In plain French, what accepting means for this party."""
    offer, need = pairing.offer, pairing.need
    names = {"agent": offer.agent.display_name, "employer": offer.collectivity.name, "host": need.collectivity.name}
    if party == "agent":
        return _("En acceptant, vous acceptez de consacrer une partie de votre temps de travail au besoin "
                 "« %(need)s » de %(host)s, en restant agent de %(employer)s, avec votre poste et votre "
                 "rémunération. Une convention fixera ensuite la durée (3 ans au plus), le lieu, le temps de "
                 "travail et le nombre de jours.", need=need.title, host=names["host"], employer=names["employer"])
    if party == "employer":
        return _("En acceptant, %(employer)s accepte de mettre %(agent)s à disposition de %(host)s pour le besoin "
                 "« %(need)s », dans la limite du budget annuel de jours fixé pour l'agent. L'agent garde son "
                 "poste et sa rémunération ; une convention entre les deux collectivités précisera le "
                 "remboursement par la collectivité d'accueil ou son exonération. L'assemblée délibérante est "
                 "informée au préalable.", employer=names["employer"], agent=names["agent"], host=names["host"],
                 need=need.title)
    return _("En acceptant, %(host)s accepte d'accueillir %(agent)s (%(employer)s) pour le besoin « %(need)s » "
             "et de remplir ensuite les conditions de la convention : activités, dates, lieu, temps de travail, "
             "nombre de jours et remboursement de la rémunération (ou son exonération).",
             host=names["host"], agent=names["agent"], employer=names["employer"], need=need.title)


def _expire(pairing: Pairing, actor=None) -> None:
    pairing.status = "expired"
    audit.record(pairing, actor, "proposed", "expired", days=expiry_days())
    tell(pairing, everyone(pairing), "expired",
         _l("La proposition de mise en relation « %(offer)s » / « %(need)s » a expiré sans les trois accords.",
            offer=pairing.offer.title, need=pairing.need.title),
         _l("Une proposition de mise en relation a expiré"))


def _check_open(pairing: Pairing) -> None:
    # A proposal past its expiry is refused here without writing (a refusal rolls back); the
    # daily sweep (`run_reminders`) records the expiry and tells the parties.
    overdue = pairing.status == "proposed" and not all_accepted(pairing) and utcnow() >= expires_at(pairing)
    if pairing.status == "expired" or overdue:
        raise ServiceError(_("Cette proposition a expiré : elle n'accepte plus de réponse."))
    if pairing.status != "proposed":
        raise ServiceError(_("Cette mise en relation n'attend plus de réponse."))


def _same_answer(pairing: Pairing, user, party: str, decision: str) -> Consent | None:
    """The answer this person already gave for this party, when it is the same (a double submit)."""
    consent = pairing.consent_of(party)
    if consent is not None and consent.user_id == user.id and consent.decision == decision:
        return consent
    return None


@transactional
def give(user, pairing: Pairing, party: str, accepted: bool, reason: str = "") -> Consent:
    """Record one party's answer; a decline (with its reason) ends the proposal. The same answer
    sent twice (a double click, a resent form) is recorded once and answered normally."""
    if party not in PARTIES_ORDER or party not in parties_of(user, pairing):
        raise NotAllowed(_("Vous ne pouvez pas répondre au nom de cette partie."))
    decision = "accepted" if accepted else "declined"
    if (existing := _same_answer(pairing, user, party, decision)) is not None:
        return existing
    _check_open(pairing)
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ServiceError(_("Indiquez le motif de votre refus."), "reason")
    if any(c.user_id == user.id for c in pairing.consents):
        raise ServiceError(_("Vous avez déjà répondu sur cette mise en relation : une même personne ne "
                             "peut pas donner deux des trois accords."))
    if pairing.consent_of(party) is not None:
        raise ServiceError(_("Cette partie a déjà répondu."))
    consent = Consent(pairing_id=pairing.id, party=party, user_id=user.id, decision=decision, reason=reason)
    try:
        with db.session.begin_nested():  # a savepoint: a concurrent twin must not undo the rest
            db.session.add(consent)
    except IntegrityError:  # the same party answered at the same moment from elsewhere
        db.session.expire(pairing, ["consents"])
        if (existing := _same_answer(pairing, user, party, decision)) is not None:
            return existing
        raise Conflict(_("Cette partie a déjà répondu.")) from None
    db.session.expire(pairing, ["consents"])  # the new answer counts in what follows
    audit.record(consent, user, "", consent.decision, pairing_id=pairing.id, party=party, reason=reason)
    if not accepted:
        pairing.status, pairing.reason = "declined", reason
        audit.record(pairing, user, "proposed", "declined", party=party, reason=reason)
        labels.record(pairing, "declined", labels.DECLINED, reason, at=consent.decided_at)
        tell(pairing, everyone(pairing), "declined",
             _l("La mise en relation « %(offer)s » / « %(need)s » a été refusée par %(party)s. Motif : %(reason)s",
                offer=pairing.offer.title, need=pairing.need.title, party=PARTY_LABELS[party], reason=reason),
             _l("Une mise en relation a été refusée"))
    elif all_accepted(pairing):
        labels.record(pairing, "consented", labels.CONSENTED, at=consent.decided_at)
        tell(pairing, people_of(pairing, "host"), "terms",
             _l("Les trois accords sont réunis pour « %(need)s » : remplissez les conditions de la convention.",
                need=pairing.need.title),
             _l("Les trois accords sont réunis : à vous de fixer les conditions"))
    return consent


@transactional
def run_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Remind the parties still to answer (after 7 and 14 days by default) and expire proposals
    left unanswered (30 days); idempotent. How many pairings were reminded, and expired."""
    now = now or utcnow()
    reminded = expired = 0
    pending = db.session.scalars(select(Pairing).where(Pairing.status == "proposed")
                                 .order_by(Pairing.id)).all()
    for pairing in pending:
        if all_accepted(pairing) or pairing.decided_at is None:
            continue
        age = (now - _aware(pairing.decided_at)).days
        if age >= expiry_days():
            _expire(pairing)
            expired += 1
            continue
        due = [d for d in reminder_days() if age >= d]
        if due:
            missing = [p for p in PARTIES_ORDER if pairing.consent_of(p) is None]
            tell(pairing, everyone(pairing, missing), f"reminder:{due[-1]}",
                 _l("Rappel : la mise en relation « %(offer)s » / « %(need)s » attend toujours votre réponse.",
                    offer=pairing.offer.title, need=pairing.need.title),
                 _l("Rappel : une mise en relation attend votre réponse"))
            reminded += 1
    return reminded, expired
