"""Notifications, e-mail preferences, one-click unsubscribe (RFC 8058) and the suggestions feed.

Views read the form, call one service function, then flash, redirect or render.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.extensions import csrf, db
from marketplace.core.web import attempt
from marketplace.models import Need, SkillOffer
from marketplace.listings.services import can_view
from marketplace.messaging.services import conversations
from marketplace.notifications import services as notifications
from marketplace.suggestions import exclusions, services as suggestions
from marketplace.notifications.forms import choices_of, preferences_form

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread_notifications():
    """`unread_notifications` in every template: the count shown next to the bell."""
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": notifications.unread_count(current_user)}
    return {"unread_notifications": 0}


@bp.app_template_global()
def can_see_suggestions(item) -> bool:
    """Whether the current user sees the suggestions section of an offer or need page."""
    return suggestions.can_see(current_user, item)


@bp.app_template_global()
def has_suggestions(item) -> bool:
    """Whether an offer or need has stored suggestions (the page then hides its "none yet" advice)."""
    return suggestions.has_suggestions(item)


@bp.app_template_global()
def suggestion_exclusions(item):
    """Close items a hard rule left out of an offer's or need's suggestions, worded for the page,
    for its owner, its coordinators and administrators only (None for others or when none)."""
    if not exclusions.can_see_exclusions(current_user, item):
        return None
    return exclusions.exclusions_summary(item)


@bp.app_template_global()
def suggestion_reasons(suggestion, need, offer, say=None) -> dict:
    """A stored suggestion's reasons with labels, and places only when the modality needs them
    (`say`: the rendering's `phrases`)."""
    return suggestions.explained_reasons(suggestion, need, offer, say)


@bp.get("/")
@login_required
def index():
    return render_template("notifications/index.html", items=notifications.for_user(current_user))


@bp.post("/lues")
@login_required
def mark_read():
    # CSRF is checked by CSRFProtect for this form.
    notifications.mark_all_read(current_user)
    flash(_("Toutes vos notifications sont marquées comme lues."), "success")
    return redirect(url_for(".index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = preferences_form(notifications.preferences(current_user))
    if form.validate_on_submit() and attempt(lambda: notifications.set_preferences(current_user, choices_of(form)),
                                             _("Vos préférences d'e-mails sont enregistrées."), form):
        return redirect(url_for(".preferences"))
    return render_template("notifications/preferences.html", form=form), 400 if form.errors else 200


def _unsubscribe_page(found, token: str, done: bool):
    if found is None:
        return render_template("notifications/unsubscribe.html", found=None), 404
    return render_template("notifications/unsubscribe.html", found=found, token=token, done=done,
                           kind_name=notifications.EMAIL_KINDS[found[1]])


@bp.get("/desabonnement/<token>")
def unsubscribe_page(token: str):
    # GET changes nothing (mail scanners follow links): it shows a button that posts.
    return _unsubscribe_page(notifications.read_unsubscribe_token(token), token, done=False)


@bp.post("/desabonnement/<token>")
@csrf.exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" with no session
def unsubscribe(token: str):
    return _unsubscribe_page(notifications.unsubscribe(token), token, done=True)


def _feed(model, item_id: int):
    item = db.session.get(model, item_id)
    # A draft (or withdrawn) item is its owner's and the admins' only, and so are its suggestions.
    if item is None or not can_view(current_user, item) or not suggestions.can_see(current_user, item):
        abort(404)
    rows = suggestions.feed(item, _page_of)
    if isinstance(item, Need):  # "Écrire à l'agent" next to the offers whose agent this user may write to
        contactable = conversations.contactable_offers(current_user, item, [row["id"] for row in rows])
        for row in rows:
            if row["id"] in contactable:
                row["contact_url"] = url_for("messaging.start", need_id=item.id, offer_id=row["id"])
    return jsonify({"suggestions": rows})


def _page_of(other) -> str:
    """The page of the other side of a suggestion (the service knows no URLs)."""
    return url_for("offers.detail" if isinstance(other, SkillOffer) else "needs.detail", item_id=other.id)


@bp.get("/suggestions/besoins/<int:item_id>.json")
@login_required
def need_suggestions(item_id: int):
    return _feed(Need, item_id)


@bp.get("/suggestions/offres/<int:item_id>.json")
@login_required
def offer_suggestions(item_id: int):
    return _feed(SkillOffer, item_id)
