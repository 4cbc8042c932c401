"""Where a pairing stands, read from its real state (never from a stored label): the step of the
DSFR stepper and the badge shown on the page and in the lists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace.models import Pairing
from marketplace.models.base import utcnow
from marketplace.pairings.services import documents
from marketplace.pairings.services.consents import all_accepted, expires_at

STEPS = (
    ("proposed", _l("Proposée")),
    ("consents", _l("Accords des trois parties")),
    ("terms", _l("Conditions de la convention")),
    ("signed", _l("Convention signée")),
    ("in_progress", _l("Engagement en cours")),
    ("ended", _l("Engagement terminé")),
    ("feedback", _l("Avis et retour d'expérience")),
)
CLOSED = {"pending_review": (_l("À examiner"), "info"), "rejected": (_l("Rejetée par la coordination"), "error"),
          "declined": (_l("Refusée"), "error"), "expired": (_l("Expirée"), "warning")}


@dataclass
class Stage:
    """The current step (1-based, as the DSFR stepper counts), its badge, and whether the journey is over."""

    step: int
    badge: str
    kind: str
    done: bool = False

    @property
    def title(self) -> str:
        return str(STEPS[self.step - 1][1])

    @property
    def next_title(self) -> str | None:
        return None if self.done or self.step >= len(STEPS) else str(STEPS[self.step][1])

    @property
    def count(self) -> int:
        return len(STEPS)


def _feedback_complete(engagement) -> bool:
    from marketplace.pairings.services.feedback import of, report_of

    return {"agent", "host"} <= set(of(engagement)) and report_of(engagement) is not None


def stage(pairing: Pairing, today: date | None = None) -> Stage:
    """The stepper's step and the badge for this pairing as it is now."""
    today = today or date.today()
    if pairing.status in CLOSED:
        label, kind = CLOSED[pairing.status]
        return Stage(1, str(label), kind, done=pairing.status != "pending_review")
    if pairing.status == "proposed":
        if all_accepted(pairing):
            return Stage(3, str(_l("Accords réunis : conditions à fixer")), "info")
        if pairing.decided_at and utcnow() >= expires_at(pairing):
            return Stage(2, str(_l("Expirée")), "warning", done=True)
        return Stage(2, str(_l("En attente des accords")), "info")
    engagement = pairing.engagement
    if engagement is None:  # an engaged pairing always has its engagement; be safe all the same
        return Stage(3, str(_l("Accords réunis : conditions à fixer")), "info")
    if engagement.status != "active":
        if _feedback_complete(engagement):
            return Stage(7, str(_l("Terminé, retours donnés")), "success", done=True)
        label = _l("Terminé par anticipation") if engagement.status == "terminated_early" else _l("Terminé")
        return Stage(7, str(label) + " — " + str(_l("avis attendus")), "new")
    latest = documents.latest(engagement, "convention")
    if latest is None or not latest.is_frozen or not latest.fully_signed:
        return Stage(4, str(_l("Convention à signer")), "warning")
    if today < engagement.start_date:
        return Stage(5, str(_l("Convention signée, début le %(day)s", day=engagement.start_date.strftime("%d/%m/%Y"))),
                     "success")
    if today > engagement.end_date:
        return Stage(6, str(_l("Date de fin passée : à clôturer")), "warning")
    return Stage(5, str(_l("Engagement en cours")), "success")
