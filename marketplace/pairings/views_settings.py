"""Settings around pairings: the agent's capacity and its cap by the employer, the employer's
yearly day budget (with its history), and a host asking for a pairing with a suggested agent."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.extensions import db
from marketplace.core.forms import parse_id
from marketplace.core.web import attempt
from marketplace.models import User
from marketplace.pairings.forms import AskForm, BudgetForm, CapacityForm, CapForm
from marketplace.pairings.services import budget, capacity, requests
from marketplace.pairings.views_common import bp



def _capacity_page(own=None, cap=None, budget_form=None, status: int = 200):
    own = own or CapacityForm(prefix="own", formdata=None, max_open=capacity.current(current_user.id).max_open)
    return render_template("pairings/capacity.html", own=own, cap=cap or CapForm(prefix="cap", formdata=None),
                           budget_form=budget_form or BudgetForm(prefix="budget", formdata=None),
                           budgets=budget.mine(current_user), agents=capacity.agents_for(current_user),
                           is_agent=current_user.has_role("agent")), status


def _save(form, call, success: str):
    if form.validate_on_submit() and attempt(call, success, form):
        return redirect(url_for(".capacity_page"))
    return None


@bp.get("/capacite")
@login_required
def capacity_page():
    return _capacity_page()


@bp.post("/capacite")
@login_required
def set_capacity():
    form = CapacityForm(prefix="own")
    done = _save(form, lambda: capacity.set_own(current_user, form.max_open.data), _("La disponibilité est enregistrée."))
    return done or _capacity_page(own=form, status=400)


@bp.post("/capacite/employeur")
@login_required
def set_cap():
    form = CapForm(prefix="cap")
    agent_id = parse_id(form.agent_id.data)
    agent = db.session.get(User, agent_id) if agent_id else None
    if agent is None:
        abort(404)
    done = _save(form, lambda: capacity.set_cap(current_user, agent, form.employer_cap.data),
                 _("La disponibilité est enregistrée."))
    return done or _capacity_page(cap=form, status=400)


@bp.post("/budget")
@login_required
def set_budget():
    form = BudgetForm(prefix="budget")
    collectivity_id = parse_id(form.collectivity_id.data)
    if collectivity_id is None:
        abort(404)
    done = _save(form, lambda: budget.set_budget(current_user, collectivity_id, form.yearly_day_budget.data),
                 _("Le budget annuel de jours est enregistré."))
    return done or _capacity_page(budget_form=form, status=400)


@bp.get("/besoins")
@login_required
def my_needs():
    return render_template("pairings/needs.html", needs=requests.my_needs(current_user))


@bp.get("/besoins/<int:need_id>")
@login_required
def suggested(need_id: int):
    need, rows = requests.suggested(current_user, need_id)
    return render_template("pairings/suggested.html", need=need, rows=rows, form=AskForm())


@bp.post("/suggestions/<int:suggestion_id>/demande")
@login_required
def ask(suggestion_id: int):
    form = AskForm()
    if not form.validate_on_submit():
        abort(400)
    pairing = None

    def call():
        nonlocal pairing
        pairing = requests.ask(current_user, suggestion_id)

    if attempt(call, _("Votre demande est transmise à la coordination territoriale.")):
        return redirect(url_for(".suggested", need_id=pairing.need_id))
    return redirect(url_for(".my_needs"))
