"""Coordinator queue views: read the form, call one service, then flash, redirect or render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from marketplace.core.extensions import db
from marketplace.models import Suggestion
from marketplace.core.permissions import role_required
from marketplace.pairings.services import queue
from marketplace.core.errors import ServiceError
from marketplace.core.web import refuse
from marketplace.pairings.forms import DecisionForm, QueueFilterForm

bp = Blueprint("coordination", __name__, url_prefix="/coordination")


def _render_queue(decision: DecisionForm, status: int = 200):
    filters = QueueFilterForm(request.args)
    items = []
    if filters.validate():
        items = queue.queue(current_user, departement=(filters.departement.data or "").strip() or None,
                            domain=filters.domain.data or None, min_score=filters.min_score.data,
                            min_age_days=filters.min_age_days.data)
    return render_template("coordination/index.html", items=items, filters=filters, form=decision,
                           stale_days=queue.stale_days()), status if filters.errors == {} else 400


@bp.get("/")
@role_required("coordinator")
def index():
    return _render_queue(DecisionForm())


@bp.get("/suggestions/<int:suggestion_id>")
@role_required("coordinator")
def suggestion(suggestion_id: int):
    item = next((i for i in queue.queue(current_user) if i.suggestion.id == suggestion_id), None)
    if item is None:
        abort(404 if db.session.get(Suggestion, suggestion_id) is None else 403)
    return render_template("coordination/suggestion.html", item=item, form=DecisionForm())


@bp.post("/decision")
@role_required("coordinator")
def decide():
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_queue(form, 400)
    approve = bool(form.approve.data)
    try:
        pairings = queue.decide(current_user, form.suggestion_ids.data, approve=approve, reason=form.reason.data)
    except ServiceError as error:
        refuse(error, form)
        return _render_queue(form, 400)
    if approve:
        flash(ngettext("%(num)s mise en relation proposée aux trois parties.",
                       "%(num)s mises en relation proposées aux trois parties.", len(pairings)), "success")
    else:
        flash(ngettext("%(num)s suggestion rejetée.", "%(num)s suggestions rejetées.", len(pairings)), "success")
    return redirect(url_for(".index", **request.args))
