"""What the parties state before a document is frozen for signature: each collectivity's address,
signatory, capacity and the deliberation or delegation that empowers them; the agent's grade,
cadre d'emplois, status and home service (stated by the home employer or the agent)."""
from __future__ import annotations

from flask_babel import gettext as _

from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Engagement, EngagementParty
from marketplace.models.pairing import AGENT_STATUSES
from marketplace.pairings.services import audit, documents
from marketplace.pairings.services.access import parties_of

PARTY_FIELDS = {"address": 500, "signatory_name": 200, "signatory_title": 200, "mandate": 500}
AGENT_FIELDS = {"agent_grade": 200, "agent_cadre": 200, "agent_service": 200}


def _text(data: dict, name: str, limit: int) -> str:
    value = " ".join(str(data.get(name) or "").split())  # one line: these are printed in the document
    if not value:
        raise ServiceError(_("Ce champ est obligatoire."), name)
    if len(value) > limit:
        raise ServiceError(_("%(n)s caractères au plus.", n=limit), name)
    return value


def _require_open(engagement: Engagement) -> None:
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est terminé."))


@transactional
def set_party(user, engagement: Engagement, party: str, data: dict) -> EngagementParty:
    """A collectivity states how it is identified and who signs for it; the drafts are rewritten."""
    if party not in documents.SIGNING_PARTIES or party not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Vous ne pouvez pas renseigner cette partie."))
    _require_open(engagement)
    values = {name: _text(data, name, limit) for name, limit in PARTY_FIELDS.items()}
    row = documents.party_details(engagement).get(party)
    if row is None:
        row = EngagementParty(engagement_id=engagement.id, party=party, updated_by_id=user.id, **values)
        db.session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by_id = user.id
    db.session.flush()
    audit.record(engagement, user, "", "details", pairing_id=engagement.pairing_id, party=party)
    documents.write_versions(engagement, user)
    return row


@transactional
def set_agent(user, engagement: Engagement, data: dict) -> Engagement:
    """The home employer (or the agent) states the agent's grade, cadre d'emplois, status and service."""
    mine = parties_of(user, engagement.pairing)
    if "employer" not in mine and "agent" not in mine:
        raise NotAllowed(_("Seuls l'employeur d'origine et l'agent renseignent la situation de l'agent."))
    _require_open(engagement)
    values = {name: _text(data, name, limit) for name, limit in AGENT_FIELDS.items()}
    status = data.get("agent_status")
    if status not in AGENT_STATUSES:
        raise ServiceError(_("Indiquez si l'agent est titulaire ou en contrat à durée indéterminée : "
                             "les stagiaires et les contrats à durée déterminée ne peuvent pas être mis à disposition."),
                           "agent_status")
    for name, value in values.items():
        setattr(engagement, name, value)
    engagement.agent_status = status
    audit.record(engagement, user, "", "details", pairing_id=engagement.pairing_id, party="agent")
    documents.write_versions(engagement, user)
    return engagement
