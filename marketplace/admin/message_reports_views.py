"""Abuse reports on messages (/admin/signalements): the reported message, then a decision (dismiss,
hide the message, suspend its sender) with a reason kept in the audit log.

Routes on the admin blueprint, so its `admins_only` guard applies (403 for anyone else); every
POST is checked by CSRFProtect. Registered by an import in setup.py, before the blueprint is.
"""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.admin.views import bp
from marketplace.core.web import attempt
from marketplace.messaging.forms import DecisionForm
from marketplace.messaging.services import reports


def _page(forms: dict | None = None, status: int = 200):
    open_reports = reports.open_reports()
    forms = forms or {}
    for item in open_reports:
        forms.setdefault(item.id, DecisionForm(formdata=None, prefix=f"r{item.id}"))
    return render_template("admin/message_reports.html", open_reports=open_reports, forms=forms,
                           decided=reports.decided_reports(), reasons=reports.REASONS,
                           decisions=reports.DECISIONS), status


@bp.get("/signalements")
def message_reports():
    return _page()


@bp.post("/signalements/<int:report_id>/decision")
def decide_message_report(report_id: int):
    form = DecisionForm(prefix=f"r{report_id}")
    if form.validate() and attempt(
            lambda: reports.decide(current_user, report_id, form.decision.data, form.reason.data),
            _("Décision enregistrée dans le journal."), form):
        return redirect(url_for("admin.message_reports"))
    return _page({report_id: form}, 400)
