"""Coordinator queue views: read the form, call one service, then flash, redirect or render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace.core.errors import ServiceError
from marketplace.core.permissions import role_required
from marketplace.core.web import refuse
from marketplace.exports import datasets, responses as exports
from marketplace.listings.query import parse_page
from marketplace.pairings.forms import DecisionForm, QueueFilterForm
from marketplace.pairings.services import queue

bp = Blueprint("coordination", __name__, url_prefix="/coordination")


def _render_queue(decision: DecisionForm, status: int = 200):
    filters = QueueFilterForm(request.args)
    page = None
    if filters.validate():
        page = queue.queue_page(current_user, page=parse_page(request.args.get("page")), sort=filters.sort.data,
                                **filters.filters())
    # The URL keeps the filters and the order, so that a page link or a decision keeps them too.
    args = {k: v for k, v in request.args.items() if k != "page" and v != ""}
    return render_template("coordination/index.html", page=page, filters=filters, form=decision, args=args,
                           stale_days=queue.stale_days()), status if not filters.errors else 400


@bp.get("/")
@role_required("coordinator")
def index():
    return _render_queue(DecisionForm())


@bp.get("/export.<fmt>")
@role_required("coordinator")
def export(fmt: str):
    """Every suggestion of the queue as CSV or XLSX, with the filters and order of the page."""
    filters = QueueFilterForm(request.args)
    if not filters.validate():
        return _render_queue(DecisionForm(), 400)
    items = queue.queue(current_user, sort=filters.sort.data, **filters.filters())
    response = exports.download_rows(fmt, "suggestions", _("Suggestions à examiner"),
                                     datasets.headers(datasets.SUGGESTION_COLUMNS),
                                     datasets.rows_of(items, datasets.SUGGESTION_COLUMNS))
    if response is None:
        abort(404)
    return response


@bp.get("/suggestions/<int:suggestion_id>")
@role_required("coordinator")
def suggestion(suggestion_id: int):
    # NotFound and NotAllowed reach the app's error handler: 404 or 403 with their message.
    item = queue.item(current_user, suggestion_id)
    return render_template("coordination/suggestion.html", item=item, form=DecisionForm())


@bp.post("/decision")
@role_required("coordinator")
def decide():
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_queue(form, 400)
    approve = bool(form.approve.data)
    try:
        pairings = queue.decide(current_user, form.chosen_ids(), approve=approve, reason=form.reason.data,
                               reason_code=form.reason_code.data or "")
    except ServiceError as error:
        refuse(error, form)
        return _render_queue(form, 400)
    if approve:
        flash(ngettext("%(num)s mise en relation proposée aux trois parties.",
                       "%(num)s mises en relation proposées aux trois parties.", len(pairings)), "success")
    else:
        flash(ngettext("%(num)s suggestion rejetée.", "%(num)s suggestions rejetées.", len(pairings)), "success")
    return redirect(url_for(".index", **request.args))
