"""Who may do what with a call, and the lookups every use case starts with.

- managers: administrators, and the coordinators whose scope covers the whole territory of the
  call (a national call, without territory, is managed by administrators only);
- applicants: agents with a verified agent role in a collectivity of the call's territory;
- jurors: the named members of the jury; a juror of the project's collectivity, or one who
  declared a conflict, never scores it;
- anyone signed in with an active role reads the open and published calls; drafts are shown to
  their managers only.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotAllowed, NotFound
from marketplace.core.extensions import db
from marketplace.models import Call, CallProject, Collectivity, Departement


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active_roles())


def require_signed_in(user) -> None:
    """Refuse visitors and accounts whose roles are not verified yet."""
    if not signed_in(user):
        raise NotAllowed(_("Les appels à projets sont réservés aux personnes inscrites ayant un rôle vérifié."))


def covers(role, departements, regions) -> bool:
    """Whether a coordinator's scope includes every département and région of a territory (a
    département counts as covered when its région is in the scope)."""
    if not departements and not regions:
        return False
    if not set(regions) <= set(role.scope_regions):
        return False
    outside = set(departements) - set(role.scope_departements)
    return not outside or _in_regions(outside, role.scope_regions)


def _in_regions(departements: set, regions) -> bool:
    found = db.session.scalars(select(Departement.code).where(
        Departement.code.in_(departements), Departement.region_code.in_(list(regions)))).all()
    return len(set(found)) == len(departements)


def can_manage_territory(user, departements, regions) -> bool:
    if not signed_in(user):
        return False
    if user.is_admin:
        return True
    return any(covers(role, departements, regions) for role in user.active_roles("coordinator"))


def can_manage(call: Call, user) -> bool:
    return can_manage_territory(user, call.departement_codes, call.region_codes)


def require_manager(call: Call, user) -> None:
    require_signed_in(user)
    if not can_manage(call, user):
        raise NotAllowed(_("Seuls les coordinateurs du territoire de l'appel et les administrateurs "
                           "peuvent faire cela."))


def may_open_calls(user) -> bool:
    """Coordinators and administrators open calls (in their territory, checked on saving)."""
    return signed_in(user) and (user.is_admin or user.has_role("coordinator"))


def is_juror(call: Call, user) -> bool:
    return signed_in(user) and any(j.user_id == user.id for j in call.jurors)


def require_juror(call: Call, user) -> None:
    require_signed_in(user)
    if not is_juror(call, user):
        raise NotAllowed(_("Seuls les membres du jury de cet appel peuvent faire cela."))


def can_read(call: Call, user) -> bool:
    if not signed_in(user):
        return False
    return call.status != "draft" or can_manage(call, user)


def in_territory(call: Call, collectivity: Collectivity) -> bool:
    """Whether a collectivity lies in the call's territory (a call without territory is national)."""
    if not call.departement_codes and not call.region_codes:
        return True
    return bool(set(collectivity.departement_codes) & set(call.departement_codes)
                or set(collectivity.region_codes) & set(call.region_codes))


def eligible_collectivities(call: Call, user) -> list[Collectivity]:
    """The collectivities for which this user may submit: verified agent roles in the territory."""
    if not signed_in(user):
        return []
    return [r.collectivity for r in user.active_roles("agent")
            if r.collectivity is not None and in_territory(call, r.collectivity)]


def get_call(call_id, user) -> Call:
    """The call with this id as this user may see it; NotFound otherwise (drafts stay hidden)."""
    require_signed_in(user)
    call = db.session.get(Call, call_id) if isinstance(call_id, int) else None
    if call is None or not can_read(call, user):
        raise NotFound(_("Cet appel à projets n'existe pas."))
    return call


def get_project(call: Call, project_id) -> CallProject:
    project = db.session.get(CallProject, project_id) if isinstance(project_id, int) else None
    if project is None or project.call_id != call.id:
        raise NotFound(_("Ce projet n'existe pas."))
    return project


def can_read_project(call: Call, project: CallProject, user) -> bool:
    """The author, the jury (once the call is closed), the managers; laureates' projects are
    public to members once the results are published."""
    if not signed_in(user):
        return False
    if project.author_id == user.id or can_manage(call, user):
        return True
    if call.status in ("closed", "published") and is_juror(call, user) and project.status != "withdrawn":
        return True
    return call.status == "published" and project.status == "laureate"


def readable_project(call: Call, project_id, user) -> CallProject:
    project = get_project(call, project_id)
    if not can_read_project(call, project, user):
        raise NotAllowed(_("Ce projet n'est visible que de son auteur, du jury et des coordinateurs."))
    return project


def call_and_project(call_id, project_id, user) -> tuple[Call, CallProject]:
    """The call and one of its projects, as this user may see them (NotFound, NotAllowed)."""
    call = get_call(call_id, user)
    return call, readable_project(call, project_id, user)
