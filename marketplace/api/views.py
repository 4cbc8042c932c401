"""JSON endpoints used by the pages (autocomplete). Errors come back as {"error": ...}."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
