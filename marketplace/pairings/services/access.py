"""Who is who on a pairing: its coordinators, its three parties, who may see it."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import Pairing, RoleAssignment, User
from marketplace.core.errors import NotAllowed

PARTIES_ORDER = ("agent", "employer", "host")


def covers_need(user, need) -> bool:
    """Whether this user coordinates the territory of the need's collectivity (admins: everywhere)."""
    if user.is_admin:
        return True
    collectivity = need.collectivity
    return any(role.covers(collectivity.departement_codes, collectivity.region_codes)
               for role in user.active_roles("coordinator"))


def _holders(role: str, collectivity_id: int) -> list[RoleAssignment]:
    return db.session.scalars(
        select(RoleAssignment).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.role == role, RoleAssignment.active.is_(True),
               RoleAssignment.collectivity_id == collectivity_id, User.active.is_(True))
        .order_by(RoleAssignment.user_id)
    ).all()


def employer_approvers(offer) -> list[User]:
    """The home employer's approvers: those who consent to lend the offer's agent."""
    return [r.user for r in _holders("approver", offer.collectivity_id)]


def host_representatives(need) -> list[User]:
    """The representatives of the need's collectivity (the host)."""
    return [r.user for r in _holders("representative", need.collectivity_id)]


def yearly_budget(offer) -> int | None:
    """Days per year the home employer lends this agent (the largest budget its approvers set)."""
    budgets = [r.yearly_day_budget for r in _holders("approver", offer.collectivity_id)
               if r.yearly_day_budget is not None]
    return max(budgets) if budgets else None


def parties_of(user, pairing: Pairing) -> list[str]:
    """The parties this user may answer for on this pairing."""
    parties = []
    if pairing.offer.agent_id == user.id:
        parties.append("agent")
    if pairing.offer.collectivity_id in user.collectivity_ids("approver"):
        parties.append("employer")
    if pairing.need.collectivity_id in user.collectivity_ids("representative"):
        parties.append("host")
    return parties


def people_of(pairing: Pairing, party: str) -> list[User]:
    """Who may answer for a party."""
    if party == "agent":
        return [pairing.offer.agent]
    if party == "employer":
        return employer_approvers(pairing.offer)
    return host_representatives(pairing.need)


def can_view(user, pairing: Pairing) -> bool:
    """Participants, the coordinators of the need's territory and administrators see a pairing."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(parties_of(user, pairing)) or covers_need(user, pairing.need)


def require_view(user, pairing: Pairing) -> None:
    if not can_view(user, pairing):
        raise NotAllowed("")
