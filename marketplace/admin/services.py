"""Administration of accounts: activation, role requests, coordinator scopes, approver rights.

Every entry point is one unit of work; refusals raise ServiceError with a French message for the
named field. Every change of a role is written to the role audit log (`accounts.roles.audit`).
"""
from __future__ import annotations

import logging
import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from marketplace.accounts import roles as role_service
from marketplace.accounts.onboarding import resolve_collectivity_choice
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Collectivity, Departement, Region, RoleAssignment, User
from marketplace.models.user import ROLE_PENDING

logger = logging.getLogger(__name__)

DEPARTEMENT_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8]|976)$")
REGION_CODE = re.compile(r"^\d{2}$")
APPROVER_BUDGET_MAX = 220


def list_users(search: str = "", role: str = "", pending: bool = False, page: int = 1,
               per_page: int | None = None):
    """A page of accounts, filtered by name or address, by active role, or by pending request."""
    query = select(User).order_by(User.display_name, User.id)
    search = (search or "").strip().lower()
    if search:
        pattern = f"%{search}%"
        query = query.where(or_(func.lower(User.display_name).like(pattern),
                                func.lower(User.email).like(pattern)))
    if role:
        query = query.where(exists().where(RoleAssignment.user_id == User.id,
                                           RoleAssignment.role == role,
                                           RoleAssignment.active.is_(True)))
    if pending:
        query = query.where(exists().where(RoleAssignment.user_id == User.id,
                                           RoleAssignment.status == ROLE_PENDING))
    return db.paginate(query, page=max(page, 1), error_out=False,
                       per_page=per_page or current_app.config["ITEMS_PER_PAGE"])


def pending_count() -> int:
    """How many role requests wait for a verification."""
    return db.session.scalar(select(func.count()).select_from(RoleAssignment)
                             .where(RoleAssignment.status == ROLE_PENDING)) or 0


@transactional
def set_active(admin: User, user: User, active: bool) -> None:
    """Activate or deactivate an account; an administrator cannot deactivate themselves."""
    if user.id == admin.id and not active:
        raise ServiceError(field="account", message=_("Vous ne pouvez pas désactiver votre propre compte."))
    user.active = active
    logger.info("admin=%s set user=%s active=%s", admin.id, user.id, active)


def _require_verified_address(user: User, field: str = "role") -> None:
    # No role is active on an address nobody proved to read.
    if not user.email_verified:
        raise ServiceError(_("Cette personne n'a pas encore confirmé son adresse e-mail : aucun "
                             "rôle ne peut lui être accordé avant."), field=field)


def _assignment(user: User, assignment_id: int) -> RoleAssignment:
    found = next((r for r in user.roles if r.id == assignment_id), None)
    if found is None:
        raise ServiceError(field="role", message=_("Ce rôle n'existe pas ou plus."))
    return found


@transactional
def approve_role(admin: User, user: User, assignment_id: int, yearly_day_budget: int | None) -> RoleAssignment:
    """Accept a pending role request; an approver request needs its yearly day budget."""
    assignment = _assignment(user, assignment_id)
    _require_verified_address(user)
    if assignment.role == "approver":
        if yearly_day_budget is None:
            raise ServiceError(field="yearly_day_budget", message=_("Indiquez le nombre de jours par an."))
        assignment.yearly_day_budget = yearly_day_budget
    assignment.granted_by_id = admin.id
    role_service.activate(assignment, role_service.MANUAL, actor=admin,
                          reason=_("Validé par un administrateur."))
    role_service.tell_requester(assignment)
    logger.info("admin=%s approved role=%s of user=%s", admin.id, assignment.role, user.id)
    return assignment


@transactional
def revoke_role(admin: User, user: User, assignment_id: int) -> None:
    """Remove a role, or refuse a pending request; an administrator keeps their own admin role."""
    assignment = _assignment(user, assignment_id)
    if assignment.role == "admin" and user.id == admin.id:
        raise ServiceError(field="role", message=_("Vous ne pouvez pas retirer votre propre rôle d'administrateur."))
    role_service.audit(assignment, "revoked", admin)
    user.roles.remove(assignment)
    logger.info("admin=%s removed role=%s of user=%s", admin.id, assignment.role, user.id)


def _table_codes(model) -> set[str] | None:
    """The codes the geography import stored, or None when it has not run yet."""
    codes = set(db.session.scalars(select(model.code)))
    return codes or None


def parse_codes(text: str, model, pattern: re.Pattern, field: str, what: str) -> list[str]:
    """The comma- or space-separated codes of `text`, each checked against the imported table
    when it holds rows, else against the code format."""
    codes = sorted({c.strip().upper() for c in re.split(r"[,;\s]+", text or "") if c.strip()})
    known = _table_codes(model)
    wrong = [c for c in codes if (c not in known if known is not None else not pattern.match(c))]
    if wrong:
        raise ServiceError(field=field, message=_("%(what)s inconnu(s) : %(codes)s.", what=what, codes=", ".join(wrong)))
    return codes


@transactional
def grant_coordinator(admin: User, user: User, departements: str, regions: str) -> RoleAssignment:
    """Make this user coordinator of a territory (départements and/or régions)."""
    departement_codes = parse_codes(departements, Departement, DEPARTEMENT_CODE, "departements",
                                    _("Code(s) de département"))
    region_codes = parse_codes(regions, Region, REGION_CODE, "regions", _("Code(s) de région"))
    if not departement_codes and not region_codes:
        raise ServiceError(field="departements", message=_("Indiquez au moins un département ou une région."))
    _require_verified_address(user)
    assignment = RoleAssignment(role="coordinator", scope_departements=departement_codes,
                                scope_regions=region_codes, granted_by_id=admin.id)
    user.roles.append(assignment)
    role_service.activate(assignment, role_service.ADMIN_GRANT, actor=admin,
                          evidence=", ".join(departement_codes + region_codes))
    logger.info("admin=%s made user=%s coordinator of %s %s", admin.id, user.id,
                departement_codes, region_codes)
    return assignment


@transactional
def grant_approver(admin: User, user: User, collectivity_id: str | None, collectivity_query: str | None,
                   yearly_day_budget: int) -> RoleAssignment:
    """Let this user approve the loans of their collectivity's agents, within a yearly budget."""
    collectivity: Collectivity = resolve_collectivity_choice(collectivity_id, collectivity_query)
    if not 0 <= yearly_day_budget <= APPROVER_BUDGET_MAX:
        raise ServiceError(field="yearly_day_budget", message=_("Le budget est compris entre 0 et %(n)s jours.",
                                                n=APPROVER_BUDGET_MAX))
    _require_verified_address(user, field="collectivity_query")
    assignment = next((r for r in user.roles
                       if r.role == "approver" and r.collectivity_id == collectivity.id), None)
    if assignment is None:
        assignment = RoleAssignment(role="approver", collectivity=collectivity)
        user.roles.append(assignment)
    role_service.activate(assignment, role_service.ADMIN_GRANT, actor=admin)
    assignment.yearly_day_budget = yearly_day_budget
    assignment.granted_by_id = admin.id
    logger.info("admin=%s made user=%s approver of collectivity=%s", admin.id, user.id, collectivity.id)
    return assignment


@transactional
def grant_admin(admin: User, user: User) -> None:
    """Make this user an administrator too."""
    if user.is_admin:
        return
    _require_verified_address(user, field="account")
    assignment = RoleAssignment(role="admin", granted_by_id=admin.id)
    user.roles.append(assignment)
    role_service.activate(assignment, role_service.ADMIN_GRANT, actor=admin)
    logger.info("admin=%s made user=%s admin", admin.id, user.id)
