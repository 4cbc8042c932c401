"""Pairing pages: read the form, call one service, then flash, redirect or render."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.extensions import db
from marketplace.core.forms import parse_id
from marketplace.models import User
from marketplace.pairings.services import capacity, consents, convention, engagement as engagements, feedback, page
from marketplace.pairings.services.errors import NotAllowed, PairingError
from marketplace.pairings.forms import (CapacityForm, CapForm, ConsentForm, DayLogForm, EndForm, FeedbackForm, ReportForm, SignForm,
                    TermsForm)

bp = Blueprint("pairings", __name__, url_prefix="/rapprochements")
DETAIL_FORMS = {"consent_form": ConsentForm, "sign_form": SignForm, "days_form": DayLogForm, "end_form": EndForm,
                "feedback_form": FeedbackForm, "report_form": ReportForm}


def _load(pairing_id: int):
    try:
        pairing = page.get_visible(current_user, pairing_id)
    except NotAllowed:
        abort(403)
    if pairing is None:
        abort(404)
    return pairing


def _detail(pairing, status: int = 200, **forms):
    for name, cls in DETAIL_FORMS.items():
        forms.setdefault(name, cls(prefix=name.removesuffix("_form"), formdata=None))
    return render_template("pairings/detail.html", **page.view(current_user, pairing), **forms), status


def _refused(form, error: PairingError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "error")


def _act(pairing_id: int, name: str, call, success: str, anchor: str = ""):
    """Validate the named form of the pairing page, call the service, redirect or show the errors."""
    pairing = _load(pairing_id)
    form = DETAIL_FORMS[name](prefix=name.removesuffix("_form"))
    if form.validate_on_submit():
        try:
            call(pairing, form)
        except NotAllowed:
            abort(403)
        except PairingError as error:
            _refused(form, error)
        else:
            flash(success, "success")
            return redirect(url_for(".detail", pairing_id=pairing.id) + anchor)
    return _detail(pairing, 400, **{name: form})


@bp.get("/")
@login_required
def index():
    return render_template("pairings/index.html", pairings=page.mine(current_user))


@bp.get("/<int:pairing_id>")
@login_required
def detail(pairing_id: int):
    return _detail(_load(pairing_id))


@bp.post("/<int:pairing_id>/accord")
@login_required
def consent(pairing_id: int):
    return _act(pairing_id, "consent_form", lambda p, f: consents.give(
        current_user, p, f.party.data, f.decision.data == "accepted", f.reason.data), _("Votre réponse est enregistrée."))


@bp.route("/<int:pairing_id>/conditions", methods=["GET", "POST"])
@login_required
def terms(pairing_id: int):
    pairing = _load(pairing_id)
    if "host" not in page.parties_of(current_user, pairing):
        abort(403)  # only the host's representative sets the terms
    current = pairing.engagement
    form = TermsForm(obj=current) if current else TermsForm(activities=pairing.need.description)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in engagements.TERM_FIELDS}
        try:
            if current is None:
                engagements.create(current_user, pairing, data)
            else:
                engagements.update_terms(current_user, current, data)
        except NotAllowed:
            abort(403)
        except PairingError as error:
            _refused(form, error)
        else:
            flash(_("Les conditions sont enregistrées ; la convention est à jour."), "success")
            return redirect(url_for(".detail", pairing_id=pairing.id) + "#convention")
    return render_template("pairings/terms.html", pairing=pairing, form=form,
                           budget_left=engagements.remaining_budget(
                               pairing.offer, (form.start_date.data or date.today()).year,
                               exclude_id=current.id if current else None)), 400 if form.errors else 200


def _version(pairing, number: int):
    version = next((v for v in (pairing.engagement.versions if pairing.engagement else []) if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.get("/<int:pairing_id>/convention/<int:number>")
@login_required
def convention_html(pairing_id: int, number: int):
    return Response(convention.printable(_version(_load(pairing_id), number)), mimetype="text/html")


@bp.get("/<int:pairing_id>/convention/<int:number>.pdf")
@login_required
def convention_pdf(pairing_id: int, number: int):
    version = _version(_load(pairing_id), number)
    return Response(convention.pdf(version), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="convention-{pairing_id}-v{number}.pdf"'})


@bp.post("/<int:pairing_id>/convention/<int:number>/signature")
@login_required
def sign(pairing_id: int, number: int):
    return _act(pairing_id, "sign_form", lambda p, f: convention.sign(
        current_user, _version(p, number), f.party.data, f.signed_on.data),
        _("La date de signature est enregistrée."), "#convention")


@bp.post("/<int:pairing_id>/jours")
@login_required
def log_days(pairing_id: int):
    return _act(pairing_id, "days_form", lambda p, f: engagements.log_days(
        current_user, _engagement(p), f.day.data, f.days.data, f.note.data), _("Les jours sont enregistrés."), "#jours")


@bp.post("/<int:pairing_id>/fin")
@login_required
def end(pairing_id: int):
    return _act(pairing_id, "end_form", lambda p, f: engagements.end(
        current_user, _engagement(p), f.early.data == "early", f.reason.data), _("L'engagement est terminé."), "#avis")


@bp.post("/<int:pairing_id>/avis")
@login_required
def give_feedback(pairing_id: int):
    return _act(pairing_id, "feedback_form", lambda p, f: feedback.give(
        current_user, _engagement(p), f.party.data, f.rating.data, f.comment.data), _("Merci pour votre avis."), "#avis")


@bp.post("/<int:pairing_id>/retour")
@login_required
def report(pairing_id: int):
    return _act(pairing_id, "report_form", lambda p, f: feedback.write_report(
        current_user, _engagement(p), f.what_was_done.data, f.for_whom.data, f.how_to_reuse.data),
        _("Merci : votre retour d'expérience est enregistré et une fiche pratique est ouverte en brouillon."), "#avis")


def _engagement(pairing):
    if pairing.engagement is None:
        raise PairingError(_("Aucun engagement n'est en cours pour cette mise en relation."))
    return pairing.engagement


def _capacity_page(own=None, cap=None, status: int = 200):
    own = own or CapacityForm(prefix="own", formdata=None, max_open=capacity.current(current_user.id).max_open)
    return render_template("pairings/capacity.html", own=own, cap=cap or CapForm(prefix="cap", formdata=None),
                           agents=capacity.agents_for(current_user),
                           is_agent=current_user.has_role("agent")), status


def _save_capacity(form, call):
    if form.validate_on_submit():
        try:
            call()
        except NotAllowed:
            abort(403)
        except PairingError as error:
            _refused(form, error)
        else:
            flash(_("La disponibilité est enregistrée."), "success")
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
    done = _save_capacity(form, lambda: capacity.set_own(current_user, form.max_open.data))
    return done or _capacity_page(own=form, status=400)


@bp.post("/capacite/employeur")
@login_required
def set_cap():
    form = CapForm(prefix="cap")
    agent_id = form.agent_id.data or ""
    agent = db.session.get(User, parse_id(agent_id)) if parse_id(agent_id) else None
    if agent is None:
        abort(404)
    done = _save_capacity(form, lambda: capacity.set_cap(current_user, agent, form.employer_cap.data))
    return done or _capacity_page(cap=form, status=400)
