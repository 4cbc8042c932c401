"""The jury's work once the call is closed: conflicts of interest, scores against the grid, and
the ranking.

Conflicts: a juror holding a role in the project's collectivity (or its author) cannot score it,
nor can a juror who declared a conflict on it. Secrecy: while the call is under instruction, a
juror sees only their own scores; the coordinators managing the call see every score (they do not
score unless they are on the jury); once the results are published, the whole jury sees them.
Score: each juror's mark is the weighted mean of the criteria (0 to 10); a project's score is the
mean over the jurors who scored it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.calls.services import access
from marketplace.calls.services.calls import audit
from marketplace.calls.services.projects import submitted
from marketplace.communities.services.checks import line, prose
from marketplace.core.errors import Conflict, NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.forms import parse_int
from marketplace.core.unit_of_work import transactional
from marketplace.models import Call, CallConflict, CallProject, CallScore

MAX_MARK = 10


def conflict_reason(project: CallProject, juror) -> str | None:
    """Why this juror may not score this project, or None."""
    if project.author_id == juror.id:
        return _("Vous êtes l'auteur de ce projet.")
    if project.collectivity_id in juror.collectivity_ids():
        return _("Vous avez un rôle dans la collectivité qui porte ce projet.")
    declared = db.session.scalar(select(CallConflict).where(CallConflict.project_id == project.id,
                                                            CallConflict.juror_id == juror.id))
    if declared is not None:
        return _("Vous avez déclaré un conflit d'intérêts : %(reason)s", reason=declared.reason)
    return None


def _require_instruction(call: Call, juror) -> None:
    access.require_juror(call, juror)
    if call.status != "closed":
        raise Conflict(_("Le jury note les projets une fois l'appel clos et avant la publication des résultats."))


def weighted(call: Call, marks: dict) -> float:
    total_weight = sum(c["weight"] for c in call.criteria)
    return round(sum(c["weight"] * marks[str(i)] for i, c in enumerate(call.criteria)) / total_weight, 2)


@transactional
def score(call: Call, project: CallProject, juror, marks: dict, comment: str) -> CallScore:
    """Record (or change) a juror's marks, one per criterion from 0 to 10, and their comment."""
    _require_instruction(call, juror)
    if project.call_id != call.id or project.status == "withdrawn":
        raise ServiceError(_("Ce projet n'est pas en lice."))
    reason = conflict_reason(project, juror)
    if reason:
        raise NotAllowed(reason)
    clean = {}
    for index, _criterion in enumerate(call.criteria):
        value = parse_int(marks.get(str(index)), 0, MAX_MARK)
        if value is None:
            raise ServiceError(_("Donnez une note entière de 0 à 10 à chaque critère."), f"mark_{index}")
        clean[str(index)] = value
    comment = prose(comment, "comment", 5_000, _("Écrivez un commentaire : il est rendu au porteur du projet."))
    row = db.session.scalar(select(CallScore).where(CallScore.project_id == project.id,
                                                    CallScore.juror_id == juror.id))
    if row is None:
        row = CallScore(project_id=project.id, juror_id=juror.id, marks=clean, total=0)
        db.session.add(row)
    row.marks, row.comment, row.total = clean, comment, weighted(call, clean)
    db.session.flush()
    return row


@transactional
def declare_conflict(call: Call, project: CallProject, juror, reason: str) -> CallConflict:
    """A juror declares a conflict of interest on a project: any score they gave it is removed."""
    access.require_juror(call, juror)
    if call.status == "published":
        raise Conflict(_("Les résultats sont publiés."))
    if project.call_id != call.id:
        raise ServiceError(_("Ce projet n'est pas en lice."))
    reason = line(reason, "reason", 500, _("Précisez la nature du conflit d'intérêts."))
    if db.session.scalar(select(CallConflict.id).where(CallConflict.project_id == project.id,
                                                       CallConflict.juror_id == juror.id)):
        raise ServiceError(_("Vous avez déjà déclaré un conflit sur ce projet."), "reason")
    for row in db.session.scalars(select(CallScore).where(CallScore.project_id == project.id,
                                                          CallScore.juror_id == juror.id)):
        db.session.delete(row)
    conflict = CallConflict(project_id=project.id, juror_id=juror.id, reason=reason)
    db.session.add(conflict)
    audit(call, juror, "", "conflict_declared", project_id=project.id, reason=reason)
    return conflict


def my_scores(call: Call, juror) -> dict[int, CallScore]:
    """The juror's own scores in this call, by project id."""
    rows = db.session.scalars(select(CallScore).join(CallProject, CallProject.id == CallScore.project_id)
                              .where(CallProject.call_id == call.id, CallScore.juror_id == juror.id))
    return {row.project_id: row for row in rows}


@dataclass
class Ranked:
    project: CallProject
    score: float | None
    scores: list = field(default_factory=list)
    rank: int = 0
    tie_note: str = ""


def can_see_scores(call: Call, user) -> bool:
    """Managers from closing on, the jury once the results are published."""
    if call.status == "published":
        return access.can_manage(call, user) or access.is_juror(call, user)
    return call.status == "closed" and access.can_manage(call, user)


def ranking(call: Call) -> list[Ranked]:
    """The projects in the running, best first. Ties on the score are broken by the number of
    jurors who scored (more opinions first), then by submission time (earliest first); each
    tie is explained in `tie_note`. Projects no juror scored come last."""
    rows = []
    for project in submitted(call):
        scores = db.session.scalars(select(CallScore).where(CallScore.project_id == project.id)
                                    .order_by(CallScore.id)).all()
        mean = round(sum(s.total for s in scores) / len(scores), 2) if scores else None
        rows.append(Ranked(project, mean, scores))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -len(r.scores), r.project.created_at, r.project.id))
    for position, row in enumerate(rows, start=1):
        row.rank = position
        tied = [r for r in rows if r is not row and r.score is not None and r.score == row.score]
        if tied:
            row.tie_note = _("Ex æquo à %(score)s avec %(n)s autre(s) projet(s) : départagé par le nombre de "
                             "jurés qui l'ont noté (%(count)s), puis par la date de dépôt.",
                             score=row.score, n=len(tied), count=len(row.scores))
    return rows
