"""Needs of collectivities: browse, create, edit, open, close (routes built in listings)."""
from ..listings.views import build_blueprint
from ..services import listings
from .forms import NeedForm

bp = build_blueprint(
    listings.NEED, __name__, "/besoins", NeedForm,
    create=listings.create_need,
    update=listings.update_need,
    change_status=listings.change_need_status,
)
