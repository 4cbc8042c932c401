"""Agent capacity: how many open proposals and engagements at once, set by the agent and capped
by their home employer's approver."""
from __future__ import annotations

from flask_babel import gettext as _

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import AgentCapacity, User
from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.pairings.services.queue import DEFAULT_CAPACITY

MAX_CAPACITY = 20


def current(user_id: int) -> AgentCapacity:
    """The agent's row (not saved when they never set it)."""
    return db.session.get(AgentCapacity, user_id) or AgentCapacity(user_id=user_id, max_open=DEFAULT_CAPACITY)


def _check(value, field: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
        raise ServiceError(_("Indiquez un nombre entre 0 et %(max)s.", max=MAX_CAPACITY), field)
    return value


@transactional
def set_own(user: User, max_open: int) -> AgentCapacity:
    """The agent says how many proposals and engagements they take at once."""
    if not user.has_role("agent"):
        raise NotAllowed(_("Seuls les agents fixent leur disponibilité."))
    row = current(user.id)
    row.max_open = _check(max_open, "max_open")
    db.session.add(row)
    return row


@transactional
def set_cap(approver: User, agent: User, cap: int | None) -> AgentCapacity:
    """The home employer's approver caps one of its agents (None lifts the cap)."""
    if not set(agent.collectivity_ids("agent")) & approver.collectivity_ids("approver"):
        raise NotAllowed(_("Cet agent ne relève pas de votre collectivité."))
    row = current(agent.id)
    row.employer_cap = None if cap is None else _check(cap, "employer_cap")
    row.employer_cap_by_id = approver.id
    db.session.add(row)
    return row


def agents_for(approver: User) -> list[tuple[User, AgentCapacity]]:
    """The agents of the approver's collectivities with their capacity."""
    from sqlalchemy import select

    from marketplace.models import RoleAssignment

    ids = approver.collectivity_ids("approver")
    if not ids:
        return []
    users = db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == "agent", RoleAssignment.active.is_(True),
               RoleAssignment.collectivity_id.in_(ids)).distinct().order_by(User.display_name)
    ).all()
    return [(user, current(user.id)) for user in users]
