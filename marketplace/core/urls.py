"""URL helpers: the redirect targets a form may carry, and ids in URL paths."""
from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from marketplace.core.forms import MAX_DB_INTEGER


def safe_next(target: str | None) -> str | None:
    """A redirect target only when it stays on this site (no open redirect) and is a single,
    printable path: a CR/LF would split the Location header, a backslash is read as '/' by
    browsers ("/\\evil.example" is "//evil.example")."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target.rstrip("?") or "/"


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in a route: a number the id columns cannot hold matches no route (404)
    instead of overflowing the database driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INTEGER, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def register_converters(app) -> None:
    """Install the converters before any blueprint adds its routes."""
    app.url_map.converters["int"] = DatabaseIdConverter
