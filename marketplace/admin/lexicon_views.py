"""/lexique: coordinators propose acronym dictionary entries; administrators accept or refuse them
and export the accepted ones as CSV lines. Every POST is checked by CSRFProtect."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.admin import lexicon as lexicon_service
from marketplace.admin.lexicon_forms import KIND_LABELS, LexiconDecisionForm, LexiconProposalForm
from marketplace.core.errors import ServiceError
from marketplace.core.permissions import role_required
from marketplace.core.web import refuse

bp = Blueprint("lexicon", __name__, url_prefix="/lexique")


def _page(form: LexiconProposalForm, status: int = 200, decision_forms: dict | None = None):
    lists = lexicon_service.listing(current_user)
    forms = {p.id: LexiconDecisionForm(formdata=None, prefix=f"p{p.id}") for p in lists["pending"]}
    forms.update(decision_forms or {})
    return render_template("admin/lexicon.html", form=form, decision_forms=forms, kinds=KIND_LABELS,
                           **lists), status


@bp.get("/")
@role_required("coordinator")
def index():
    return _page(LexiconProposalForm())


@bp.post("/")
@role_required("coordinator")
def propose():
    form = LexiconProposalForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        lexicon_service.propose(current_user, form.fields())
    except ServiceError as error:
        refuse(error, form)
        return _page(form, 400)
    flash(_("Merci : votre proposition attend l'examen d'un administrateur."), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:proposal_id>/decision")
@role_required("admin")
def decide(proposal_id: int):
    form = LexiconDecisionForm(prefix=f"p{proposal_id}")
    if form.validate_on_submit():
        try:
            proposal = lexicon_service.decide(current_user, proposal_id, bool(form.accept.data), form.reason.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Proposition acceptée : les index seront reconstruits avec ce terme.")
                  if proposal.status == "accepted" else _("Proposition refusée."), "success")
            return redirect(url_for(".index"))
    return _page(LexiconProposalForm(formdata=None), 400, {proposal_id: form})


@bp.get("/export.csv")
@role_required("admin")
def export():
    return Response(lexicon_service.export_csv(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=sigles-acceptes.csv"})
