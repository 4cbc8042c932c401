"""After the engagement: each side's feedback, and the host's "retour d'expérience", which opens a
draft sheet in the practices library."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.extensions import db
from marketplace.models import Engagement, ExperienceReport, Feedback
from marketplace.practices.services import editing as practices_editing
from marketplace.practices.services.access import PracticeError
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import parties_of
from marketplace.pairings.services.errors import NotAllowed, PairingError

FEEDBACK_PARTIES = ("agent", "host")


def _require_ended(engagement: Engagement) -> None:
    if engagement.status == "active":
        raise PairingError(_("L'avis se donne une fois l'engagement terminé."))


def give(user, engagement: Engagement, party: str, rating: int, comment: str = "") -> Feedback:
    """One rating (1 to 5) and comment per side, once the engagement has ended."""
    if party not in FEEDBACK_PARTIES or party not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Vous ne pouvez pas donner d'avis au nom de cette partie."))
    _require_ended(engagement)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise PairingError(_("Choisissez une note de 1 à 5."), "rating")
    exists = db.session.scalar(select(Feedback.id).where(Feedback.engagement_id == engagement.id,
                                                         Feedback.party == party))
    if exists is not None:
        raise PairingError(_("Cet avis a déjà été donné."))
    item = Feedback(engagement_id=engagement.id, party=party, user_id=user.id, rating=rating,
                    comment=(comment or "").strip()[:5000])
    db.session.add(item)
    audit.record(item, user, "", "feedback", pairing_id=engagement.pairing_id, party=party, rating=rating)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PairingError(_("Cet avis a déjà été donné."))
    return item


def of(engagement: Engagement) -> dict[str, Feedback]:
    """The feedback given so far, by party."""
    rows = db.session.scalars(select(Feedback).where(Feedback.engagement_id == engagement.id)).all()
    return {row.party: row for row in rows}


def report_of(engagement: Engagement) -> ExperienceReport | None:
    return db.session.scalar(select(ExperienceReport).where(ExperienceReport.engagement_id == engagement.id))


def write_report(user, engagement: Engagement, what_was_done: str, for_whom: str, how_to_reuse: str) -> ExperienceReport:
    """The host's retour d'expérience; it also creates a draft practice sheet from its text."""
    pairing = engagement.pairing
    if "host" not in parties_of(user, pairing):
        raise NotAllowed(_("Le retour d'expérience est rédigé par la collectivité d'accueil."))
    _require_ended(engagement)
    texts = {"what_was_done": (what_was_done or "").strip(), "for_whom": (for_whom or "").strip(),
             "how_to_reuse": (how_to_reuse or "").strip()}
    for name, value in texts.items():
        if not value:
            raise PairingError(_("Ce champ est obligatoire."), name)
    if report_of(engagement) is not None:
        raise PairingError(_("Le retour d'expérience a déjà été rédigé."))
    report = ExperienceReport(engagement_id=engagement.id, user_id=user.id, **texts)
    db.session.add(report)
    audit.record(report, user, "", "experience_report", pairing_id=pairing.id)
    need = pairing.need
    results = texts["for_whom"] + "\n\n" + _("Pour le réutiliser : %(how)s", how=texts["how_to_reuse"])
    try:  # create_sheet commits: the report and the draft sheet are saved together, then linked
        sheet = practices_editing.create_sheet(user, {
            "title": need.title, "summary": texts["what_was_done"][:1000], "problem": need.description,
            "actions": texts["what_was_done"], "results": results, "costs": "", "contacts": "",
            "days": engagement.logged_days or None, "domain": need.domain, "tags": list(need.tags or []),
            "collectivity_id": need.collectivity_id, "status": "draft",
        }, comment=_("Créée depuis un retour d'expérience"))
    except PracticeError as error:
        db.session.rollback()
        raise PairingError(error.message) from error
    report.practice_sheet_id = sheet.id
    db.session.commit()
    return report
