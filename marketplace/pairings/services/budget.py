"""The home employer's yearly day budget: how many days a year it lends each of its agents. Its
approvers set and change it themselves; every change is kept (who, from what, to what, when)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Collectivity, DayBudgetChange, RoleAssignment, User

MAX_BUDGET = 220  # working days in a year: the same bound the administrators' form uses


def _approver_roles(collectivity_id: int) -> list[RoleAssignment]:
    return db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.role == "approver", RoleAssignment.active.is_(True),
        RoleAssignment.collectivity_id == collectivity_id)).all()


def current(collectivity_id: int) -> int | None:
    """The collectivity's budget (the largest its approvers hold, as the pairing checks read it)."""
    values = [r.yearly_day_budget for r in _approver_roles(collectivity_id) if r.yearly_day_budget is not None]
    return max(values) if values else None


def mine(user: User) -> list[tuple[Collectivity, int | None, list[DayBudgetChange]]]:
    """The collectivities this approver answers for, with their budget and its history (newest first)."""
    rows = []
    for collectivity_id in sorted(user.collectivity_ids("approver")):
        rows.append((db.session.get(Collectivity, collectivity_id), current(collectivity_id),
                     history(collectivity_id)))
    return rows


def history(collectivity_id: int) -> list[DayBudgetChange]:
    return db.session.scalars(select(DayBudgetChange).where(DayBudgetChange.collectivity_id == collectivity_id)
                              .order_by(DayBudgetChange.at.desc(), DayBudgetChange.id.desc())).all()


@transactional
def set_budget(user: User, collectivity_id: int, days: int | None) -> DayBudgetChange | None:
    """An approver sets the yearly day budget of their collectivity (None: no budget, no lending).
    The same value again changes nothing and writes no history line."""
    if collectivity_id not in user.collectivity_ids("approver"):
        raise NotAllowed(_("Vous ne fixez le budget que de votre collectivité."))
    if days is not None and (not isinstance(days, int) or not 0 <= days <= MAX_BUDGET):
        raise ServiceError(_("Le budget est compris entre 0 et %(n)s jours.", n=MAX_BUDGET), "yearly_day_budget")
    old = current(collectivity_id)
    if old == days:
        return None
    # Every approver of the collectivity holds the same value: the budget is the collectivity's.
    for role in _approver_roles(collectivity_id):
        role.yearly_day_budget = days
    change = DayBudgetChange(collectivity_id=collectivity_id, user_id=user.id, old_budget=old, new_budget=days)
    db.session.add(change)
    db.session.flush()
    return change
