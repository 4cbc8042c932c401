"""A laureate's accompaniment: its plan (milestones and check-ins), its mentors (often agents
found through their published offers, suggested by the shared offers index), its progress, and
the retour d'expérience that ends it as a practice sheet of the wiki."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from matching import Document

from marketplace.calls.services import access
from marketplace.calls.services.calls import audit
from marketplace.communities.services.checks import line, prose
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Accompaniment, AccompanimentStep, Call, CallProject, SkillOffer, User
from marketplace.models.base import utcnow
from marketplace.models.calls import STEP_KINDS
from marketplace.practices.services import editing
from marketplace.suggestions import index as matching_index

SUGGESTED_MENTORS = 5


def get(call: Call, project: CallProject, user) -> Accompaniment:
    """The accompaniment of a laureate project, for whoever may read the project."""
    if not access.can_read_project(call, project, user):
        raise NotAllowed(_("Ce projet n'est visible que de son auteur, du jury et des coordinateurs."))
    found = db.session.scalar(select(Accompaniment).where(Accompaniment.project_id == project.id))
    if found is None:
        raise NotFound(_("Ce projet n'est pas accompagné : il n'est pas lauréat."))
    return found


def lookup(call_id, project_id, user) -> tuple[Call, Accompaniment]:
    """The call and the accompaniment of one of its laureate projects, for a reader."""
    call, project = access.call_and_project(call_id, project_id, user)
    return call, get(call, project, user)


def can_steer(call: Call, accompaniment: Accompaniment, user) -> bool:
    """The laureate, the mentors and the call's managers keep the plan up to date."""
    if not access.signed_in(user):
        return False
    mentor_ids = {m["user_id"] for m in accompaniment.mentors}
    return accompaniment.project.author_id == user.id or user.id in mentor_ids or access.can_manage(call, user)


def _require_steer(call: Call, accompaniment: Accompaniment, user) -> None:
    if not can_steer(call, accompaniment, user):
        raise NotAllowed(_("Seuls le lauréat, ses mentors et les coordinateurs suivent l'accompagnement."))
    if accompaniment.finished_at is not None:
        raise Conflict(_("L'accompagnement est terminé."))


def progress(accompaniment: Accompaniment) -> int:
    """Share of the milestones reached, in percent (0 when there is none yet)."""
    milestones = [s for s in accompaniment.steps if s.kind == "milestone"]
    return round(100 * sum(1 for s in milestones if s.done_at) / len(milestones)) if milestones else 0


@transactional
def add_step(call: Call, accompaniment: Accompaniment, user, data: dict) -> AccompanimentStep:
    """A milestone to reach or a check-in to hold, within the accompaniment's dates."""
    _require_steer(call, accompaniment, user)
    kind = data.get("kind")
    if kind not in STEP_KINDS:
        raise ServiceError(_("Choisissez une étape ou un point d'étape."), "kind")
    due = data.get("due_on")
    if not isinstance(due, date) or not accompaniment.starts_on <= due <= accompaniment.ends_on:
        raise ServiceError(_("Choisissez une date comprise dans l'accompagnement (du %(start)s au %(end)s).",
                             start=accompaniment.starts_on.strftime("%d/%m/%Y"),
                             end=accompaniment.ends_on.strftime("%d/%m/%Y")), "due_on")
    step = AccompanimentStep(kind=kind, due_on=due, title=line(data.get("title"), "title", 200,
                                                                _("Donnez un intitulé à l'étape.")),
                             notes=prose(data.get("notes"), "notes", 5_000))
    accompaniment.steps.append(step)
    db.session.flush()
    return step


@transactional
def complete_step(call: Call, accompaniment: Accompaniment, user, step_id) -> AccompanimentStep:
    _require_steer(call, accompaniment, user)
    step = next((s for s in accompaniment.steps if s.id == step_id), None)
    if step is None:
        raise NotFound(_("Cette étape n'existe pas."))
    if step.done_at is None:
        step.done_at = utcnow()
    return step


def project_document(project: CallProject) -> Document:
    """What the offers index is queried with: the project's words and the call's domain."""
    text = "\n".join((project.title, project.problem, project.idea, project.support_needed))
    return Document(f"call-project:{project.id}", text, (project.call.domain,), {})


def suggested_mentors(accompaniment: Accompaniment) -> list[tuple[SkillOffer, float]]:
    """Published offers close to the project, best first (the laureate's own left out)."""
    engine = matching_index.current("offers", build=False)  # for a page: never fit on a request
    if engine is None or len(engine) == 0:
        return []
    project = accompaniment.project
    matches = engine.query(project_document(project), k=min(len(engine), SUGGESTED_MENTORS * 3))
    offers = {o.id: o for o in db.session.scalars(select(SkillOffer).where(
        SkillOffer.id.in_([m.id for m in matches]), SkillOffer.status == "published"))}
    taken = {m["user_id"] for m in accompaniment.mentors} | {project.author_id}
    found = [(offers[m.id], m.score) for m in matches if m.id in offers and offers[m.id].agent_id not in taken]
    return found[:SUGGESTED_MENTORS]


@transactional
def add_mentor(call: Call, accompaniment: Accompaniment, user, offer_id=None, email=None) -> User:
    """Name a mentor: the agent of a suggested offer, or any verified account by e-mail."""
    _require_steer(call, accompaniment, user)
    offer = db.session.get(SkillOffer, offer_id) if isinstance(offer_id, int) else None
    if offer_id is not None and (offer is None or offer.status != "published"):
        raise NotFound(_("Cette offre n'existe pas ou n'est plus publiée."))
    if offer is not None:
        mentor = offer.agent
    else:
        address = line(email, "email", 254, _("Indiquez l'adresse e-mail du mentor."))
        mentor = db.session.scalar(select(User).where(User.email.ilike(address)))
        if mentor is None or not mentor.active_roles():
            raise ServiceError(_("Aucun compte vérifié ne porte cette adresse."), "email")
    if any(m["user_id"] == mentor.id for m in accompaniment.mentors) or mentor.id == accompaniment.project.author_id:
        raise ServiceError(_("Cette personne accompagne déjà le projet."), "email")
    accompaniment.mentors = accompaniment.mentors + [{"user_id": mentor.id, "offer_id": offer.id if offer else None}]
    audit(call, user, "", "mentor_added", project_id=accompaniment.project_id, user_id=mentor.id)
    return mentor


def mentors(accompaniment: Accompaniment) -> list[User]:
    ids = [m["user_id"] for m in accompaniment.mentors]
    found = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


@transactional
def finish(call: Call, accompaniment: Accompaniment, user, data: dict):
    """The laureate writes the retour d'expérience: it is published as a practice sheet of the
    wiki (through the practices services), linked to the call, and the accompaniment ends."""
    _require_steer(call, accompaniment, user)
    project = accompaniment.project
    if user.id != project.author_id:
        raise NotAllowed(_("Le retour d'expérience est écrit par le porteur du projet."))
    summary = prose(data.get("summary"), "summary", 2_000, _("Résumez le projet et ce qu'il a changé."))
    intro = _("Projet lauréat de l'appel à projets « %(call)s ».", call=call.title)
    sheet = editing.create_sheet(user, {
        "title": project.title, "summary": f"{intro}\n\n{summary}", "problem": project.problem,
        "actions": prose(data.get("actions"), "actions", 20_000, _("Racontez ce qui a été fait.")),
        "results": prose(data.get("results"), "results", 20_000, _("Décrivez les résultats obtenus.")),
        "costs": prose(data.get("costs"), "costs", 5_000), "days": None,
        "contacts": project.author.display_name, "domain": call.domain, "tags": ["appel à projets"],
        "collectivity_id": project.collectivity_id, "status": "published",
    }, comment=_("Retour d'expérience de l'appel « %(call)s »", call=call.title[:200]))
    accompaniment.practice_sheet_id, accompaniment.finished_at = sheet.id, utcnow()
    audit(call, user, "", "accompaniment_finished", project_id=project.id, sheet_id=sheet.id)
    return sheet
