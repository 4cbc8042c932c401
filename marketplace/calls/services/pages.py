"""What the calls' pages show, assembled for one user (read only)."""
from __future__ import annotations

from flask_babel import gettext as _

from marketplace.calls.services import access, accompaniment, jury, projects
from marketplace.calls.services.calls import accepts_projects
from marketplace.core.errors import Conflict, NotAllowed


def call_page(call_id, user) -> dict:
    """The call, what this user may do on it, and the projects they may see."""
    call = access.get_call(call_id, user)
    manager, juror = access.can_manage(call, user), access.is_juror(call, user)
    to_score = []
    if juror and call.status in ("closed", "published"):
        mine = jury.my_scores(call, user)
        to_score = [(p, mine.get(p.id), jury.conflict_reason(p, user)) for p in projects.submitted(call)]
    return {
        "call": call, "is_manager": manager, "is_juror": juror, "accepting": accepts_projects(call),
        "eligible": access.eligible_collectivities(call, user), "mine": projects.projects_of(call, user),
        "to_score": to_score, "see_scores": jury.can_see_scores(call, user),
        "all_projects": projects.submitted(call) if manager else [],
        "laureates": [p for p in projects.submitted(call) if p.status == "laureate"]
        if call.status == "published" else [],
    }


def project_page(call_id, project_id, user) -> dict:
    """A project with its jury part: the juror's own score form while scoring, every comment
    (without the jurors' names for the applicant) once published."""
    call = access.get_call(call_id, user)
    project = access.readable_project(call, project_id, user)
    juror = access.is_juror(call, user)
    published = call.status == "published"
    show_feedback = published and (project.author_id == user.id or access.can_manage(call, user) or juror)
    ranked = jury.ranking(call) if show_feedback else []
    scores = next((r.scores for r in ranked if r.project.id == project.id), [])
    follow_up = None
    if project.status == "laureate":
        follow_up = accompaniment.get(call, project, user)
    return {
        "call": call, "project": project, "is_author": project.author_id == user.id,
        "editable": project.author_id == user.id and project.status == "submitted" and accepts_projects(call),
        "can_score": juror and call.status == "closed" and project.status != "withdrawn",
        "conflict": jury.conflict_reason(project, user) if juror else None,
        "my_score": jury.my_scores(call, user).get(project.id) if juror else None,
        "feedback": scores, "named_jurors": access.can_manage(call, user) or juror,
        "accompaniment": follow_up,
    }


def ranking_page(call_id, user) -> dict:
    call = access.get_call(call_id, user)
    if not jury.can_see_scores(call, user):
        raise NotAllowed(_("Le classement est visible des coordinateurs une fois l'appel clos, "
                           "et du jury une fois les résultats publiés."))
    return {"call": call, "rows": jury.ranking(call)}


def accompaniment_page(call_id, project_id, user) -> dict:
    call = access.get_call(call_id, user)
    project = access.readable_project(call, project_id, user)
    follow_up = accompaniment.get(call, project, user)
    steer = accompaniment.can_steer(call, follow_up, user) and follow_up.finished_at is None
    return {
        "call": call, "project": project, "accompaniment": follow_up, "can_steer": steer,
        "progress": accompaniment.progress(follow_up), "mentors": accompaniment.mentors(follow_up),
        "suggestions": accompaniment.suggested_mentors(follow_up) if steer else [],
        "is_author": project.author_id == user.id,
    }


def finish_page(call_id, project_id, user) -> dict:
    """The retour d'expérience form: for the laureate, while the accompaniment runs."""
    call, follow_up = accompaniment.lookup(call_id, project_id, user)
    if follow_up.project.author_id != user.id:
        raise NotAllowed(_("Le retour d'expérience est écrit par le porteur du projet."))
    if follow_up.finished_at is not None:
        raise Conflict(_("L'accompagnement est terminé : le retour d'expérience est publié."))
    return {"call": call, "project": follow_up.project, "accompaniment": follow_up}


def editable_call(call_id, user):
    """A call its manager may still change (draft or open)."""
    call = access.get_call(call_id, user)
    access.require_manager(call, user)
    if call.status not in ("draft", "open"):
        raise Conflict(_("L'appel est clos : il ne peut plus être modifié."))
    return call
