"""Input checks shared by the communities' use cases: text, territory codes, web addresses, audit.

The services check what they store even when a form checked it first: a task, a command or a
future API calls them without a form, and bad input must give a French message, never a 500.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

from flask_babel import gettext as _

from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.models import AuditEntry

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DEPARTEMENT = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])$")
_REGION = re.compile(r"^[0-9]{2}$")


def line(value, field: str, max_length: int, required_message: str | None = None) -> str:
    """A one-line text: line breaks and runs of blanks become one space (a pasted title keeps
    its words), control characters are refused, the length is capped with a message."""
    text = " ".join(str(value or "").split())
    return _checked(text, field, max_length, required_message)


def prose(value, field: str, max_length: int, required_message: str | None = None) -> str:
    """A multi-line text: CR/LF become LF, surrounding blanks are trimmed."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return _checked(text, field, max_length, required_message)


def _checked(text: str, field: str, max_length: int, required_message: str | None) -> str:
    if "\ufffd" in text or _CONTROL.search(text):
        raise ServiceError(_("Le texte contient des caractères non autorisés."), field)
    if required_message and not text:
        raise ServiceError(required_message, field)
    if len(text) > max_length:
        raise ServiceError(_("Ce texte fait au plus %(n)s caractères.", n=max_length), field)
    return text


def web_address(value, field: str, required: bool = True) -> str:
    """An http or https address with a host (at most 1000 characters), or "" when optional."""
    url = str(value or "").strip()
    if not url and not required:
        return ""
    parsed = urlparse(url)
    if (parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 1000
            or any(ch.isspace() for ch in url) or _CONTROL.search(url)):
        raise ServiceError(_("Indiquez une adresse web commençant par http:// ou https://."), field)
    return url


def territory(departements, regions) -> tuple[list[str], list[str]]:
    """Official département codes ('01', '2A', '971') and région codes (two digits), deduplicated."""
    deps = _codes(departements, upper=True)
    regs = _codes(regions)
    for code in deps:
        if not _DEPARTEMENT.match(code):
            raise ServiceError(_("« %(code)s » n'est pas un code de département (ex. : 01, 2A, 971).",
                                 code=code[:10]), "departements")
    for code in regs:
        if not _REGION.match(code):
            raise ServiceError(_("« %(code)s » n'est pas un code de région (deux chiffres, ex. : 84).",
                                 code=code[:10]), "regions")
    if len(deps) > 20 or len(regs) > 18:
        raise ServiceError(_("Indiquez au plus 20 départements et 18 régions."), "departements")
    return deps, regs


def _codes(values, upper: bool = False) -> list[str]:
    if isinstance(values, str):
        values = values.replace(";", ",").replace(" ", ",").split(",")
    found = []
    for value in values or ():
        code = str(value).strip()
        code = code.upper() if upper else code
        if code and code not in found:
            found.append(code)
    return found


def audit(community, actor, action: str, target: str, target_id: int, reason: str = "") -> AuditEntry:
    """Write a moderation act to the shared audit log: who, what, when, why (helper: flushes only)."""
    entry = AuditEntry(object_type="community", object_id=community.id, actor_id=getattr(actor, "id", None),
                       from_state="", to_state=action[:30],
                       detail={"target": target, "target_id": target_id, "reason": reason})
    db.session.add(entry)
    db.session.flush()
    return entry
