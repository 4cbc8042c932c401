"""The audit log: every state change of a pairing and what hangs from it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import AuditEntry

OBJECT_LABELS = {
    "Pairing": _l("Mise en relation"), "Consent": _l("Accord"), "Engagement": _l("Engagement"),
    "ConventionVersion": _l("Document"), "Feedback": _l("Avis"), "ExperienceReport": _l("Retour d'expérience"),
}
STATE_LABELS = {
    "": "—", "pending_review": _l("à examiner"), "rejected": _l("rejetée"), "proposed": _l("proposée"),
    "declined": _l("refusée"), "expired": _l("expirée"), "engaged": _l("engagée"), "accepted": _l("accepté"),
    "active": _l("en cours"), "ended": _l("terminé"), "terminated_early": _l("terminé par anticipation"),
    "convention": _l("version rédigée"), "avenant": _l("avenant rédigé"), "draft": _l("brouillon"),
    "rewritten": _l("réécrite avant signature"), "signed_agent": _l("signée par l'agent"),
    "signed_employer": _l("signée par l'employeur"), "signed_host": _l("signée par l'accueil"),
    "feedback": _l("donné"), "experience_report": _l("rédigé"), "requested_by_host": _l("demandée par l'accueil"),
    "frozen": _l("figée pour signature"), "signed": _l("signée par toutes les parties"), "arrete": _l("arrêté rédigé"),
    "details": _l("informations complétées"), "end_requested": _l("fin d'un commun accord demandée"),
}


def record(obj, actor, from_state: str, to_state: str, pairing_id: int | None = None, **detail) -> AuditEntry:
    """Write one state change in the current transaction (actor None means the system)."""
    db.session.flush()  # a new object gets its id
    entry = AuditEntry(object_type=type(obj).__name__, object_id=obj.id,
                       pairing_id=pairing_id if pairing_id is not None else obj.id,
                       actor_id=getattr(actor, "id", None), from_state=from_state or "",
                       to_state=to_state, detail={k: str(v) for k, v in detail.items()})
    db.session.add(entry)
    return entry


def for_pairing(pairing_id: int) -> list[AuditEntry]:
    """The pairing's log, oldest first."""
    return db.session.scalars(select(AuditEntry).where(AuditEntry.pairing_id == pairing_id)
                              .order_by(AuditEntry.at, AuditEntry.id)).all()


def label(mapping: dict, key: str) -> str:
    """A readable French label for an object type or a state (the key itself when unknown)."""
    return str(mapping.get(key, key))
