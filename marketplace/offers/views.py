"""Skill offers: browse, create, edit, publish, pause and archive (routes built in listings)."""
from ..listings.views import build_blueprint
from ..services import listings
from .forms import OfferForm

bp = build_blueprint(
    listings.OFFER, __name__, "/offres", OfferForm,
    create=listings.create_offer,
    update=listings.update_offer,
    change_status=listings.change_offer_status,
)
