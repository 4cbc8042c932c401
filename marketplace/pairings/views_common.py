"""What the pairing views share: the blueprint, loading a pairing for the current user, the page
with all its forms, and "validate one form of the page, call one service, redirect"."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import ServiceError
from marketplace.core.web import attempt, refuse
from marketplace.pairings.forms import (AgentForm, ConsentForm, DayLogForm, EndForm, FeedbackForm, FreezeForm,
                                        MessageForm, PartyForm, ReportForm, SignedCopyForm)
from marketplace.pairings.services import page

bp = Blueprint("pairings", __name__, url_prefix="/rapprochements")
DETAIL_FORMS = {"consent_form": ConsentForm, "days_form": DayLogForm, "end_form": EndForm,
                "feedback_form": FeedbackForm, "report_form": ReportForm, "message_form": MessageForm,
                "party_form": PartyForm, "agent_form": AgentForm, "freeze_form": FreezeForm,
                "copy_form": SignedCopyForm}


def load(pairing_id: int):
    """The pairing this user may see, else 403 or 404."""
    try:
        pairing = page.get_visible(current_user, pairing_id)
    except ServiceError as error:
        refuse(error)
    if pairing is None:
        abort(404)
    return pairing


def engagement_of(pairing):
    if pairing.engagement is None:
        raise ServiceError(_("Aucun engagement n'est en cours pour cette mise en relation."))
    return pairing.engagement


def detail_page(pairing, status: int = 200, **forms):
    """The pairing page; `forms` replaces the blank form of the same name (to show its errors)."""
    for name, cls in DETAIL_FORMS.items():
        forms.setdefault(name, cls(prefix=name.removesuffix("_form"), formdata=None))
    if not forms["message_form"].token.data:
        # A fresh token per page: the same form sent twice adds one message.
        forms["message_form"].token.data = secrets.token_hex(16)
    engagement = pairing.engagement
    if engagement is not None and forms["agent_form"].agent_grade.data is None:
        forms["agent_form"] = AgentForm(prefix="agent", formdata=None, obj=engagement)
    return render_template("pairings/detail.html", **page.view(current_user, pairing), **forms), status


def act(pairing_id: int, name: str, call, success: str, anchor: str = ""):
    """Validate the named form of the pairing page, call the service, redirect or show the errors."""
    pairing = load(pairing_id)
    form = DETAIL_FORMS[name](prefix=name.removesuffix("_form"))
    if form.validate_on_submit() and attempt(lambda: call(pairing, form), success, form):
        return redirect(url_for("pairings.detail", pairing_id=pairing.id) + anchor)
    return detail_page(pairing, 400, **{name: form})
