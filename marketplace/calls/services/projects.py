"""Projects agents submit to a call: submit, edit until the deadline, withdraw.

The deadline is checked by the server's clock at each save (Europe/Paris dates, UTC instants):
a form opened before the deadline and sent after it is refused.
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from marketplace.calls.services import access
from marketplace.calls.services.calls import accepts_projects, audit
from marketplace.communities.services.checks import line, prose
from marketplace.core.errors import Conflict, NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Call, CallProject

TEXT_MAX = 10_000
TEXT_FIELDS = {
    "problem": _l("Décrivez le problème que le projet résout."),
    "users": _l("Dites à quels usagers ou agents le projet s'adresse."),
    "idea": _l("Décrivez votre idée."),
    "team": _l("Présentez l'équipe du projet."),
    "support_needed": _l("Dites de quel accompagnement vous avez besoin."),
}


def _fields(data: dict) -> dict:
    fields = {"title": line(data.get("title"), "title", 200, _("Donnez un titre au projet."))}
    for name, message in TEXT_FIELDS.items():
        fields[name] = prose(data.get(name), name, TEXT_MAX, str(message))
    return fields


def _require_open(call: Call) -> None:
    if not accepts_projects(call):
        raise ServiceError(_("Cet appel ne reçoit pas de projet : il n'est pas ouvert ou sa date limite "
                             "est passée."))


def _collectivity(call: Call, user, collectivity_id):
    eligible = access.eligible_collectivities(call, user)
    if not eligible:
        raise NotAllowed(_("Seuls les agents vérifiés d'une collectivité du territoire de l'appel "
                           "peuvent déposer un projet."))
    if collectivity_id is None and len(eligible) == 1:
        return eligible[0]
    found = next((c for c in eligible if c.id == collectivity_id), None)
    if found is None:
        raise ServiceError(_("Choisissez une de vos collectivités situées dans le territoire de l'appel."),
                           "collectivity_id")
    return found


@transactional
def submit(call: Call, user, data: dict) -> CallProject:
    """Submit a project for one of the agent's collectivities in the call's territory."""
    access.require_signed_in(user)
    _require_open(call)
    collectivity = _collectivity(call, user, data.get("collectivity_id"))
    project = CallProject(call_id=call.id, author_id=user.id, collectivity_id=collectivity.id, **_fields(data))
    db.session.add(project)
    db.session.flush()
    return project


def _require_author(project: CallProject, user) -> None:
    if not access.signed_in(user) or project.author_id != user.id:
        raise NotAllowed(_("Seul l'auteur du projet peut le modifier."))
    if project.status == "withdrawn":
        raise Conflict(_("Ce projet a été retiré."))


@transactional
def update(call: Call, project: CallProject, user, data: dict) -> CallProject:
    """The author edits the project until the deadline."""
    _require_author(project, user)
    _require_open(call)
    for key, value in _fields(data).items():
        setattr(project, key, value)
    db.session.flush()
    return project


@transactional
def withdraw(call: Call, project: CallProject, user) -> None:
    """The author withdraws the project before the deadline; the jury never sees it."""
    _require_author(project, user)
    _require_open(call)
    project.status = "withdrawn"
    audit(call, user, "submitted", "project_withdrawn", project_id=project.id)


def projects_of(call: Call, user) -> list[CallProject]:
    """The user's own projects in this call."""
    if not access.signed_in(user):
        return []
    return db.session.scalars(select(CallProject).where(CallProject.call_id == call.id,
                                                        CallProject.author_id == user.id)
                              .order_by(CallProject.id)).all()


def submitted(call: Call) -> list[CallProject]:
    """The projects still in the running (not withdrawn), oldest first."""
    return db.session.scalars(select(CallProject).where(CallProject.call_id == call.id,
                                                        CallProject.status != "withdrawn")
                              .order_by(CallProject.created_at, CallProject.id)).all()
