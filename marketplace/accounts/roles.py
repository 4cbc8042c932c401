"""Roles that must be earned: self-service requests, their verification, and the audit log.

Only agent and référent (`representative`) can be requested in self-service; such a request is
*pending* and gives no right until verified by one of three paths, each written to the audit log:

1. ProConnect: the `siret` claim's SIREN equals the requested collectivity's SIREN
   (`verify_by_siret`, called by the ProConnect login);
2. e-mail domain: the verified address's domain is on the collectivity's admin-managed list
   (`verify_by_email_domain`, called when a request is filed and when the address is verified);
3. manual: a coordinator whose territory covers the collectivity, or an administrator, approves
   or refuses with a reason (`decide_request`); the requester gets an e-mail and a notification.

No role is active while the account's e-mail is unverified. A limit per account
(`MAX_COLLECTIVITIES_PER_ACCOUNT`, default 3) stops collecting collectivities.
"""
from __future__ import annotations

import logging
import re

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.services import queue_account_email
from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.taxonomy import ROLES, SELF_SERVICE_ROLES, label
from marketplace.core.unit_of_work import transactional
from marketplace.models import Collectivity, ExternalIdentity, RoleAssignment, User
from marketplace.models.base import utcnow
from marketplace.models.user import (ROLE_ACTIVE, ROLE_PENDING, ROLE_REFUSED,
                                     CollectivityEmailDomain, RoleAuditEntry)

logger = logging.getLogger(__name__)

DEFAULT_MAX_COLLECTIVITIES = 3
REASON_MIN, REASON_MAX = 3, 1000
# Verification methods, as stored on the role and in the audit log.
PROCONNECT, EMAIL_DOMAIN, MANUAL, ADMIN_GRANT = "proconnect", "email_domain", "manual", "admin_grant"
METHODS = {
    PROCONNECT: _l("ProConnect (SIRET de l'employeur)"),
    EMAIL_DOMAIN: _l("Domaine de l'adresse e-mail"),
    MANUAL: _l("Vérification par un coordinateur ou un administrateur"),
    ADMIN_GRANT: _l("Attribué par un administrateur"),
    "legacy": _l("Rôle antérieur à la vérification"),
}
SIRET = re.compile(r"^\d{14}$")


def audit(assignment: RoleAssignment, action: str, actor: User | None = None, method: str | None = None,
          evidence: str | None = None, reason: str | None = None) -> RoleAuditEntry:
    """Write one event of a role's life to the audit log (in the current unit of work)."""
    db.session.flush()  # the assignment needs its id
    entry = RoleAuditEntry(user_id=assignment.user_id or assignment.user.id,
                           actor_id=actor.id if actor else None, role_assignment_id=assignment.id,
                           role=assignment.role, collectivity_id=assignment.collectivity_id,
                           action=action, method=method, evidence=evidence, reason=reason)
    db.session.add(entry)
    logger.info("role %s id=%s user=%s actor=%s method=%s", action, assignment.id,
                entry.user_id, entry.actor_id, method)
    return entry


def activate(assignment: RoleAssignment, method: str, evidence: str | None = None,
              actor: User | None = None, reason: str | None = None) -> None:
    """Put a role in force, recording how it was verified and by whom (a helper: it flushes)."""
    assignment.status = ROLE_ACTIVE
    assignment.verification_method = method
    assignment.evidence = evidence
    assignment.decided_by_id = actor.id if actor else None
    assignment.decided_at = utcnow()
    assignment.reason = reason
    audit(assignment, "verified", actor, method, evidence, reason)


def max_collectivities() -> int:
    """How many collectivities one account may hold or request roles in."""
    return int(current_app.config.get("MAX_COLLECTIVITIES_PER_ACCOUNT", DEFAULT_MAX_COLLECTIVITIES))


def held_collectivity_ids(user: User) -> set[int]:
    """The collectivities this account holds or requests a role in (refused requests do not count)."""
    return {r.collectivity_id for r in user.requested_roles() if r.collectivity_id}


def request_roles(user: User, roles: list[str], collectivity: Collectivity) -> list[RoleAssignment]:
    """File self-service requests for these roles in this collectivity, pending until verified;
    verify them at once when the account's verified address is on the collectivity's domains.

    A helper of a use case (onboarding): it flushes, the caller's unit of work commits.
    """
    wanted = [role for role in roles if role in SELF_SERVICE_ROLES]
    if not wanted:
        raise ServiceError(_("Choisissez au moins un rôle."), field="roles")
    held = held_collectivity_ids(user)
    if collectivity.id not in held and len(held) >= max_collectivities():
        raise ServiceError(_(
            "Un compte peut avoir des rôles dans %(n)s collectivités au plus. Retirez un rôle "
            "depuis votre profil ou demandez à un administrateur.", n=max_collectivities()),
            field="collectivity_query")
    added = []
    for role in wanted:
        existing = next((r for r in user.roles
                         if r.role == role and r.collectivity_id == collectivity.id), None)
        if existing is not None and existing.status != ROLE_REFUSED:
            continue
        assignment = existing or RoleAssignment(role=role, collectivity=collectivity)
        assignment.status = ROLE_PENDING
        assignment.verification_method = assignment.evidence = assignment.reason = None
        assignment.decided_by_id = assignment.decided_at = None
        if existing is None:
            user.roles.append(assignment)
        audit(assignment, "requested", user)
        added.append(assignment)
    verify_by_email_domain(user)
    verify_by_known_siret(user)
    return added


def verify_by_known_siret(user: User) -> list[RoleAssignment]:
    """Verify pending requests against the SIRETs ProConnect vouched for at this user's sign-ins
    (a request filed after a ProConnect sign-in is verified as if filed before it)."""
    sirets = db.session.scalars(select(ExternalIdentity.siret).where(
        ExternalIdentity.user_id == user.id, ExternalIdentity.siret.is_not(None))).all()
    verified = []
    for siret in sirets:
        if SIRET.fullmatch(siret or ""):
            verified += verify_by_siret(user, siret)
    return verified


def email_domain(address: str) -> str:
    """The domain of an e-mail address, lower-cased."""
    return address.rsplit("@", 1)[-1].strip().lower()


def verify_by_email_domain(user: User) -> list[RoleAssignment]:
    """Verify the pending self-service requests whose collectivity lists the domain of this
    account's verified address. A helper: the caller's unit of work commits."""
    if not user.email_verified or not user.active:
        return []
    domain = email_domain(user.email)
    listed = set(db.session.scalars(select(CollectivityEmailDomain.collectivity_id)
                                    .where(CollectivityEmailDomain.domain == domain)))
    verified = []
    for assignment in user.pending_roles():
        if assignment.role in SELF_SERVICE_ROLES and assignment.collectivity_id in listed:
            activate(assignment, EMAIL_DOMAIN, evidence=domain)
            verified.append(assignment)
    return verified


@transactional
def verify_by_siret(user: User, siret: str) -> list[RoleAssignment]:
    """Verify this user's pending agent/référent requests in the collectivity whose SIREN is the
    first nine digits of `siret` (the ProConnect claim), and in no other.

    Call it after the ProConnect login has marked the address verified (ProConnect's addresses
    are verified by the identity provider): no role is active on an unverified address.
    """
    siret = "".join((siret or "").split())
    if not SIRET.fullmatch(siret):
        raise ServiceError(_("Le SIRET transmis par ProConnect n'est pas valide."), field="siret")
    if not user.email_verified or not user.active:
        return []
    verified = []
    for assignment in user.pending_roles():
        collectivity = assignment.collectivity
        if (assignment.role in SELF_SERVICE_ROLES and collectivity is not None
                and collectivity.siren == siret[:9]):
            activate(assignment, PROCONNECT, evidence=siret)
            verified.append(assignment)
    return verified


# --- manual review by a coordinator of the territory or an administrator ----------------------


def can_review(reviewer: User, assignment: RoleAssignment) -> bool:
    """Administrators review every request; a coordinator, the self-service requests of the
    collectivities their territory covers; nobody reviews their own."""
    if not getattr(reviewer, "is_authenticated", False) or assignment.user_id == reviewer.id:
        return False
    if reviewer.is_admin:
        return True
    collectivity = assignment.collectivity
    if assignment.role not in SELF_SERVICE_ROLES or collectivity is None:
        return False
    return any(scope.covers(collectivity.departement_codes, collectivity.region_codes)
               for scope in reviewer.active_roles("coordinator"))


def may_review(reviewer: User) -> bool:
    """Whether this user reviews role requests at all (coordinators and administrators)."""
    return bool(getattr(reviewer, "is_authenticated", False)
                and (reviewer.is_admin or reviewer.has_role("coordinator")))


def reviewable_requests(reviewer: User) -> list[RoleAssignment]:
    """The pending requests this reviewer may decide, oldest first."""
    if not may_review(reviewer):
        raise NotAllowed(_("Seuls les coordinateurs et les administrateurs examinent les demandes."))
    pending = db.session.scalars(select(RoleAssignment).where(RoleAssignment.status == ROLE_PENDING)
                                 .order_by(RoleAssignment.created_at, RoleAssignment.id))
    return [a for a in pending if can_review(reviewer, a)]


@transactional
def decide_request(reviewer: User, assignment_id: int, approve: bool, reason: str) -> RoleAssignment:
    """Approve or refuse a pending request, with a reason; the requester is told by e-mail and in
    the application."""
    assignment = db.session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.status != ROLE_PENDING:
        raise NotFound(_("Cette demande n'existe pas ou a déjà été traitée."))
    if not can_review(reviewer, assignment):
        raise NotAllowed(_("Cette demande n'est pas dans votre périmètre."))
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ServiceError(_("Indiquez le motif de votre décision (3 à 1000 caractères)."),
                           field="reason")
    requester = assignment.user
    if approve:
        if not requester.email_verified:
            raise ServiceError(_("Le demandeur n'a pas encore confirmé son adresse e-mail : aucun "
                                 "rôle ne peut être activé avant."), field="reason")
        activate(assignment, MANUAL, actor=reviewer, reason=reason)
    else:
        assignment.status = ROLE_REFUSED
        assignment.decided_by_id = reviewer.id
        assignment.decided_at = utcnow()
        assignment.reason = reason
        audit(assignment, "refused", reviewer, MANUAL, reason=reason)
    tell_requester(assignment)
    return assignment


def tell_requester(assignment: RoleAssignment) -> None:
    """Tell the requester the decision on their request, in the application and by e-mail."""
    from marketplace.notifications.services import notify  # a sibling feature's service

    user = assignment.user
    role = label(ROLES, assignment.role)
    place = assignment.collectivity.name if assignment.collectivity else ""
    approved = assignment.status == ROLE_ACTIVE
    if approved:
        message = _l("Votre rôle « %(role)s » pour %(place)s est validé.", role=role, place=place)
    else:
        message = _l("Votre demande de rôle « %(role)s » pour %(place)s est refusée : %(reason)s",
                     role=role, place=place, reason=assignment.reason)
    notify(user, "roles", f"role:{assignment.id}:{assignment.status}:{assignment.decided_at}", message)
    queue_account_email(user, "role_decision",
                        _l("Votre demande de rôle est validée") if approved
                        else _l("Votre demande de rôle est refusée"),
                        approved=approved, role=str(role), place=place, reason=assignment.reason or "")


@transactional
def withdraw(user: User, assignment_id: int) -> None:
    """Let a person give up one of their agent/référent roles or requests (e.g. a wrong
    collectivity); roles an administrator granted are removed by an administrator."""
    assignment = next((r for r in user.roles if r.id == assignment_id), None)
    if assignment is None:
        raise NotFound(_("Ce rôle n'existe pas ou plus."))
    if assignment.role not in SELF_SERVICE_ROLES:
        raise NotAllowed(_("Seul un administrateur retire ce rôle."))
    audit(assignment, "withdrawn", user)
    user.roles.remove(assignment)


def audit_log(user: User) -> list[RoleAuditEntry]:
    """The role events of one account, newest first (shown to administrators)."""
    return list(db.session.scalars(select(RoleAuditEntry).where(RoleAuditEntry.user_id == user.id)
                                   .order_by(RoleAuditEntry.at.desc(), RoleAuditEntry.id.desc())))
