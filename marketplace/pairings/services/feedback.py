"""After the engagement: each side's feedback, and the host's "retour d'expérience", which opens a
draft sheet in the practices library."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Engagement, ExperienceReport, Feedback
from marketplace.practices.services import editing as practices_editing
from marketplace.learning import labels
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import parties_of
from marketplace.core.errors import Conflict, NotAllowed, ServiceError

FEEDBACK_PARTIES = ("agent", "host")


def _require_ended(engagement: Engagement) -> None:
    if engagement.status == "active":
        raise ServiceError(_("L'avis se donne une fois l'engagement terminé."))


@transactional
def give(user, engagement: Engagement, party: str, rating: int, comment: str = "") -> Feedback:
    """One rating (1 to 5) and comment per side, once the engagement has ended. The same person
    sending it twice (double click, resent form) gets the first one back: one row."""
    if party not in FEEDBACK_PARTIES or party not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Vous ne pouvez pas donner d'avis au nom de cette partie."))
    _require_ended(engagement)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ServiceError(_("Choisissez une note de 1 à 5."), "rating")
    comment = (comment or "").strip()[:5000]

    def twin(found):  # the same person sending the same answer again: a double submit
        return found is not None and (found.user_id, found.rating, found.comment) == (user.id, rating, comment)

    existing = of(engagement).get(party)
    if existing is not None:
        if twin(existing):
            return existing
        raise Conflict(_("Cet avis a déjà été donné."))
    item = Feedback(engagement_id=engagement.id, party=party, user_id=user.id, rating=rating, comment=comment)
    try:
        with db.session.begin_nested():  # a savepoint: the twin request may have won the race
            db.session.add(item)
    except IntegrityError:
        existing = of(engagement).get(party)
        if twin(existing):
            return existing
        raise Conflict(_("Cet avis a déjà été donné.")) from None
    audit.record(item, user, "", "feedback", pairing_id=engagement.pairing_id, party=party, rating=rating)
    labels.record(engagement.pairing, labels.feedback_event(party), labels.RATING_LABELS[rating], comment, at=item.created_at)
    return item


def of(engagement: Engagement) -> dict[str, Feedback]:
    """The feedback given so far, by party."""
    rows = db.session.scalars(select(Feedback).where(Feedback.engagement_id == engagement.id)).all()
    return {row.party: row for row in rows}


def report_of(engagement: Engagement) -> ExperienceReport | None:
    return db.session.scalar(select(ExperienceReport).where(ExperienceReport.engagement_id == engagement.id))


def sheet_sections(engagement: Engagement, texts: dict) -> dict:
    """The practice sheet's sections filled from the retour d'expérience: each answer goes to the
    section a reader looks for it in (context and audience, actions, results and reuse, cost)."""
    pairing = engagement.pairing
    need, offer = pairing.need, pairing.offer
    days = engagement.logged_days or None
    summary = _("%(host)s a été accompagnée par un agent de %(home)s (%(route)s) pour « %(need)s ».",
                host=need.collectivity.name, home=offer.collectivity.name,
                route=_("mise à disposition") if engagement.legal_route == "mise_a_disposition"
                else _("partage de compétences"), need=need.title)
    problem = _("Besoin de départ : %(need)s.", need=need.title) + "\n\n" + \
        _("Pour qui : %(whom)s", whom=texts["for_whom"])
    results = texts["results"] + "\n\n" + _("Pour le réutiliser : %(how)s", how=texts["how_to_reuse"])
    if engagement.reimbursement == "host":
        costs = _("Rémunération de l'agent remboursée par la collectivité d'accueil au prorata du temps passé.")
    else:
        costs = _("Mise à disposition exonérée de remboursement.")
    return {"title": need.title[:200], "summary": summary[:1000], "problem": problem,
            "actions": texts["what_was_done"], "results": results.strip(), "costs": costs, "contacts": "",
            "days": days, "domain": need.domain, "tags": list(need.tags or []),
            "collectivity_id": need.collectivity_id, "status": "draft"}


@transactional
def write_report(user, engagement: Engagement, what_was_done: str, for_whom: str, how_to_reuse: str,
                 results: str = "") -> ExperienceReport:
    """The host's retour d'expérience; it also creates a draft practice sheet whose sections it
    fills. Sent twice by the same person, the first report is returned (one row, one sheet)."""
    pairing = engagement.pairing
    if "host" not in parties_of(user, pairing):
        raise NotAllowed(_("Le retour d'expérience est rédigé par la collectivité d'accueil."))
    _require_ended(engagement)
    texts = {"what_was_done": (what_was_done or "").strip(), "for_whom": (for_whom or "").strip(),
             "how_to_reuse": (how_to_reuse or "").strip(), "results": (results or "").strip()}
    existing = report_of(engagement)
    if existing is not None:
        if existing.user_id == user.id and all(getattr(existing, k) == v for k, v in texts.items()):
            return existing  # the same report sent twice: one row, one sheet
        raise Conflict(_("Le retour d'expérience a déjà été rédigé."))
    for name, value in texts.items():
        if not value and name != "results":
            raise ServiceError(_("Ce champ est obligatoire."), name)
    report = ExperienceReport(engagement_id=engagement.id, user_id=user.id, **texts)
    try:
        with db.session.begin_nested():  # one report per engagement, even under a double submit
            db.session.add(report)
    except IntegrityError:
        raise Conflict(_("Le retour d'expérience a déjà été rédigé.")) from None
    audit.record(report, user, "", "experience_report", pairing_id=pairing.id)
    # The practices service joins this unit of work: report, sheet and link are saved together.
    sheet = practices_editing.create_sheet(user, sheet_sections(engagement, texts),
                                           comment=_("Créée depuis un retour d'expérience"))
    report.practice_sheet_id = sheet.id
    return report
