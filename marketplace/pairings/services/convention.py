"""The convention: a versioned HTML snapshot of the terms, printable and as PDF, signed per party.

A version any party has signed is frozen (a listener refuses to rewrite it): a later change of the
terms writes an avenant, the next version. An unsigned version is simply rewritten.
"""
from __future__ import annotations

import hashlib
import io
import os
from datetime import date

from flask import render_template
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import event, inspect

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import ConventionVersion, Engagement
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import parties_of
from marketplace.core.errors import NotAllowed, ServiceError

LEGAL_ROUTE_LABELS = {
    "mise_a_disposition": _l("Mise à disposition"),
    "prestation_services": _l("Convention de prestation de services entre collectivités"),
    "service_commun": _l("Service commun au sein d'un EPCI"),
    "activite_accessoire": _l("Activité accessoire autorisée par l'employeur"),
}
SIGNATURE_COLUMNS = {"agent": "signed_agent_on", "employer": "signed_employer_on", "host": "signed_host_on"}


def latest(engagement: Engagement) -> ConventionVersion | None:
    return engagement.versions[-1] if engagement.versions else None


def render(engagement: Engagement, number: int, kind: str) -> str:
    """The convention's HTML for these terms (French: the legal document is written in French)."""
    pairing = engagement.pairing
    with force_locale("fr"):
        return render_template("pairings/convention_document.html", engagement=engagement, pairing=pairing,
                               offer=pairing.offer, need=pairing.need, number=number, kind=kind,
                               route_label=str(LEGAL_ROUTE_LABELS[engagement.legal_route]))


def write_version(engagement: Engagement, actor) -> ConventionVersion:
    """Bring the convention in step with the terms: rewrite an unsigned version, else add an avenant."""
    current = latest(engagement)
    if current is not None and not current.is_signed:
        html = render(engagement, current.number, current.kind)
        if hashlib.sha256(html.encode()).hexdigest() != current.content_hash:
            current.html, current.content_hash = html, hashlib.sha256(html.encode()).hexdigest()
            audit.record(current, actor, "draft", "rewritten", pairing_id=engagement.pairing_id, number=current.number)
        return current
    number = current.number + 1 if current else 1
    kind = "avenant" if current else "convention"
    html = render(engagement, number, kind)
    if current is not None and hashlib.sha256(html.encode()).hexdigest() == current.content_hash:
        return current  # nothing changed: no avenant
    version = ConventionVersion(engagement_id=engagement.id, number=number, kind=kind, html=html,
                                content_hash=hashlib.sha256(html.encode()).hexdigest())
    db.session.add(version)
    engagement.versions.append(version)
    audit.record(version, actor, "", kind, pairing_id=engagement.pairing_id, number=number)
    return version


@event.listens_for(ConventionVersion, "before_update")
def _refuse_edit_of_signed(_mapper, _connection, target: ConventionVersion) -> None:
    # The last line of defence: whatever the code path, a signed text is never rewritten.
    state = inspect(target)
    changed = any(state.attrs[name].history.has_changes() for name in ("html", "content_hash", "number", "kind"))
    was_signed = any((state.attrs[c].history.deleted or [state.attrs[c].value])[0] for c in SIGNATURE_COLUMNS.values())
    if changed and was_signed:
        raise ServiceError(_("Une version signée ne se modifie pas : toute modification passe par un avenant."))


@transactional
def sign(user, version: ConventionVersion, party: str, signed_on: date) -> ConventionVersion:
    """Record the date a party signed a version (the latest only, once, not in the future)."""
    engagement = db.session.get(Engagement, version.engagement_id)
    if party not in SIGNATURE_COLUMNS or party not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Vous ne pouvez pas signer au nom de cette partie."))
    if latest(engagement).id != version.id:
        raise ServiceError(_("Seule la dernière version se signe."))
    if not isinstance(signed_on, date) or signed_on > date.today():
        raise ServiceError(_("La date de signature ne peut pas être dans le futur."), "signed_on")
    column = SIGNATURE_COLUMNS[party]
    if getattr(version, column) is not None:
        raise ServiceError(_("Cette partie a déjà signé cette version."))
    setattr(version, column, signed_on)
    audit.record(version, user, "", f"signed_{party}", pairing_id=engagement.pairing_id, number=version.number,
                 signed_on=signed_on.isoformat())
    return version


def printable(version: ConventionVersion) -> str:
    """The version's frozen text followed by the signature dates recorded so far."""
    with force_locale("fr"):
        signatures = render_template("pairings/convention_signatures.html", version=version)
    return version.html.replace("</body>", signatures + "</body>")


def _font_css() -> str:
    # Bitstream Vera ships inside reportlab (a dependency of xhtml2pdf) and covers French accents.
    import reportlab

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return ("<style>@font-face { font-family: Vera; src: url('%s'); }"
            "@font-face { font-family: Vera; font-weight: bold; src: url('%s'); }"
            "body { font-family: Vera; }</style>") % (os.path.join(fonts, "Vera.ttf"), os.path.join(fonts, "VeraBd.ttf"))


def pdf(version: ConventionVersion) -> bytes:
    """The version as a PDF document (xhtml2pdf, pure Python)."""
    from xhtml2pdf import pisa

    html = printable(version).replace("</head>", _font_css() + "</head>")
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"PDF rendering failed with {result.err} error(s)")
    return out.getvalue()
