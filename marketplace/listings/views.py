"""Offers and needs: one blueprint builder, so both kinds have the same routes and thin views.

A builder reads faster than twelve explicit routes written twice or a MethodView hierarchy: each
route is a short function next to the others, and the kind supplies its services and form.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField

from marketplace.core.permissions import can_edit, role_required
from marketplace.listings import query as listing_query, services as listings
from marketplace.listings.card_views import listing_card
from marketplace.accounts.services import can_publish
from marketplace.core.urls import safe_next
from marketplace.core.web import attempt
from marketplace.exports import responses as exports
from marketplace.listings.forms import NeedForm, OfferForm


class StatusForm(FlaskForm):
    """The small form behind each status button (it carries the CSRF token)."""

    status = HiddenField()


def build_blueprint(kind, import_name, url_prefix, form_class, create, update, change_status):
    """A blueprint with index, create, mine, detail, edit and change_status for one item kind.

    create/update/change_status are the kind's service functions: the only writers.
    """
    bp = Blueprint(kind.name, import_name, url_prefix=url_prefix)
    bp.add_app_template_global(listing_card, "listing_card")
    template = f"{kind.name}/%s.html"

    def editable(item_id: int):
        item = listings.get_for_viewer(kind, item_id, current_user)
        if item is None:
            abort(404)  # a draft of someone else does not exist for this visitor
        if not can_edit(current_user, item):
            abort(403)
        return item

    @bp.get("/")
    def index():
        page, filters = listing_query.browse(kind, request.args)
        return render_template(template % "index", kind=kind, page=page, filters=filters,
                               choices=listing_query.filter_choices())

    @bp.get("/export.<fmt>")
    @login_required
    def export(fmt: str):
        """The list as CSV or XLSX, filtered exactly like the page that offers the download."""
        filters = listing_query.parse_filters(request.args)
        response = exports.download(fmt, kind.export_name, str(kind.export_title), kind.export_columns,
                                    listing_query.filtered(kind, filters))
        if response is None:
            abort(404)
        return response

    @bp.get("/mes")
    @login_required
    def mine():
        page = listing_query.paginate(listings.own_items(kind, current_user),
                                      listing_query.parse_page(request.args.get("page")))
        return render_template(template % "mine", kind=kind, page=page, status_form=StatusForm())

    @bp.route("/nouveau", methods=["GET", "POST"], endpoint="create")
    @role_required(kind.role, pending_ok=True)  # drafts only: publishing needs a verified role
    def create_view():
        collectivities = listings.collectivities_for(current_user, kind)
        if not collectivities:
            abort(403)  # an administrator without this role has no collectivity to post for
        form = form_class(collectivities=collectivities)
        created = []
        publish = request.form.get("action") == "publish"
        if form.validate_on_submit() and attempt(
            lambda: created.append(create(current_user, form.listing_data(), publish=publish)),
            _("Publié.") if publish else _("Brouillon enregistré."), form,
        ):
            return redirect(url_for(".detail", item_id=created[0].id))
        return render_template(template % "form", kind=kind, form=form, item=None,
                               publish_refusal=can_publish(current_user).reason)

    @bp.get("/<int:item_id>")
    def detail(item_id: int):
        item = listings.get_for_viewer(kind, item_id, current_user)
        if item is None:
            abort(404)
        return render_template(template % "detail", kind=kind, item=item,
                               editable=can_edit(current_user, item), status_form=StatusForm())

    @bp.route("/<int:item_id>/modifier", methods=["GET", "POST"])
    @login_required
    def edit(item_id: int):
        item = editable(item_id)
        if listings.is_final(item):
            flash(_("Cet élément est clos : il ne peut plus être modifié."), "warning")
            return redirect(url_for(".detail", item_id=item.id))
        owner = getattr(item, kind.owner_relation)
        form = form_class(obj=item, collectivities=listings.collectivities_for(owner, kind))
        if form.validate_on_submit() and attempt(
            lambda: update(item, form.listing_data(), current_user), _("Modifications enregistrées."), form
        ):
            return redirect(url_for(".detail", item_id=item.id))
        return render_template(template % "form", kind=kind, form=form, item=item)

    @bp.post("/<int:item_id>/statut", endpoint="change_status")
    @login_required
    def status(item_id: int):
        item = editable(item_id)
        form = StatusForm()
        form.validate_on_submit()  # CSRF is checked globally; this reads the target status
        attempt(lambda: change_status(item, form.status.data or "", current_user),
                _("Statut mis à jour."))
        return redirect(safe_next(request.form.get("next")) or url_for(".detail", item_id=item.id))
    return bp


offers_bp = build_blueprint(
    listings.OFFER, __name__, "/offres", OfferForm,
    create=listings.create_offer,
    update=listings.update_offer,
    change_status=listings.change_offer_status,
)
needs_bp = build_blueprint(
    listings.NEED, __name__, "/besoins", NeedForm,
    create=listings.create_need,
    update=listings.update_need,
    change_status=listings.change_need_status,
)
