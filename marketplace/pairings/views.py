"""Pairing pages: read the form, call one service, then flash, redirect or render.

The documents (convention, arrêté, signed copies) are in views_documents.py, the settings (capacity,
day budget, asking for a pairing) in views_settings.py; both register on the same blueprint.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.web import attempt
from marketplace.exports import datasets, responses as exports
from marketplace.pairings import views_documents, views_settings  # noqa: F401  (their routes join bp)
from marketplace.pairings.forms import TermsForm
from marketplace.pairings.services import consents, engagement as engagements, feedback, messages, page
from marketplace.pairings.views_common import act, bp, detail_page, engagement_of, load

__all__ = ["bp"]


@bp.get("/")
@login_required
def index():
    return render_template("pairings/index.html", pairings=page.mine(current_user))


@bp.get("/export.<fmt>")
@login_required
def export(fmt: str):
    """The pairings of this page as CSV or XLSX, with days and feedback."""
    rows = page.mine_for_export(current_user)
    response = exports.download_rows(fmt, "rapprochements", _("Mes rapprochements"),
                                     datasets.headers(datasets.PAIRING_COLUMNS),
                                     datasets.rows_of(rows, datasets.PAIRING_COLUMNS))
    if response is None:
        abort(404)
    return response


@bp.get("/<int:pairing_id>")
@login_required
def detail(pairing_id: int):
    return detail_page(load(pairing_id))


@bp.post("/<int:pairing_id>/accord")
@login_required
def consent(pairing_id: int):
    return act(pairing_id, "consent_form", lambda p, f: consents.give(
        current_user, p, f.party.data, f.decision.data == "accepted", f.reason.data), _("Votre réponse est enregistrée."))


@bp.route("/<int:pairing_id>/conditions", methods=["GET", "POST"])
@login_required
def terms(pairing_id: int):
    pairing = load(pairing_id)
    if "host" not in page.parties_of(current_user, pairing):
        abort(403)  # only the host's representative sets the terms
    current = pairing.engagement
    # The activities are written by the parties, never copied from the need's advert.
    form = TermsForm(obj=current) if current else TermsForm()
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in engagements.TERM_FIELDS}
        save = engagements.create if current is None else engagements.update_terms
        if attempt(lambda: save(current_user, current or pairing, data),
                   _("Les conditions sont enregistrées ; les documents sont à jour."), form):
            return redirect(url_for(".detail", pairing_id=pairing.id) + "#documents")
    start = form.start_date.data if isinstance(form.start_date.data, date) else date.today()
    return render_template("pairings/terms.html", pairing=pairing, form=form,
                           budget_left=engagements.remaining_budget(
                               pairing.offer, start.year, exclude_id=current.id if current else None)), \
        400 if form.errors else 200


@bp.post("/<int:pairing_id>/jours")
@login_required
def log_days(pairing_id: int):
    return act(pairing_id, "days_form", lambda p, f: engagements.log_days(
        current_user, engagement_of(p), f.day.data, f.days.data, f.note.data), _("Les jours sont enregistrés."), "#jours")


@bp.post("/<int:pairing_id>/fin")
@login_required
def end(pairing_id: int):
    def call(pairing, form):
        engagement = engagements.end(current_user, engagement_of(pairing), form.early.data == "early", form.reason.data)
        if engagement.status == "active":  # a normal end before the planned date waits for the other parties
            flash(_("La fin d'un commun accord est demandée ; elle prendra effet quand les autres parties l'auront "
                    "confirmée."), "info")
        else:
            flash(_("L'engagement est terminé."), "success")

    return act(pairing_id, "end_form", call, None, "#avis")


@bp.post("/<int:pairing_id>/avis")
@login_required
def give_feedback(pairing_id: int):
    return act(pairing_id, "feedback_form", lambda p, f: feedback.give(
        current_user, engagement_of(p), f.party.data, f.rating.data, f.comment.data), _("Merci pour votre avis."), "#avis")


@bp.post("/<int:pairing_id>/retour")
@login_required
def report(pairing_id: int):
    return act(pairing_id, "report_form", lambda p, f: feedback.write_report(
        current_user, engagement_of(p), f.what_was_done.data, f.for_whom.data, f.how_to_reuse.data, f.results.data),
        _("Merci : votre retour d'expérience est enregistré et une fiche pratique est ouverte en brouillon."), "#avis")


@bp.post("/<int:pairing_id>/messages")
@login_required
def post_message(pairing_id: int):
    return act(pairing_id, "message_form", lambda p, f: messages.post(current_user, p, f.body.data, f.token.data),
               _("Votre message est envoyé."), "#messages")
