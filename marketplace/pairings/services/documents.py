"""The engagement's documents: the convention (then its avenants) and, for a mise à disposition,
the home employer's arrêté, each with its own numbered versions.

The article texts live in editable template files, one per document kind
(templates/pairings/documents/<document>.fr.html), so that a legal team amends the wording without
touching code. A version is a draft, rewritten while the terms change, until a party freezes it for
signature: its PDF is then rendered once, stored under the upload folder with its SHA-256, and never
changes; a later change of the terms writes the next version.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
from datetime import date
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import event, inspect

from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import ConventionVersion, Engagement, EngagementParty
from marketplace.models.base import utcnow
from marketplace.pairings.services import audit
from marketplace.pairings.services.access import parties_of

LEGAL_ROUTE_LABELS = {
    "mise_a_disposition": _l("Mise à disposition"),
    "prestation_services": _l("Convention de prestation de services entre collectivités"),
    "service_commun": _l("Service commun au sein d'un EPCI"),
    "activite_accessoire": _l("Activité accessoire autorisée par l'employeur"),
}
DOCUMENT_LABELS = {"convention": _l("Convention"), "arrete": _l("Arrêté de mise à disposition")}
AGENT_STATUS_LABELS = {"titulaire": "fonctionnaire titulaire", "cdi": "agent contractuel en contrat à durée indéterminée"}
SIGNING_PARTIES = ("employer", "host")  # the collectivities that state their signatory


def documents_for(engagement: Engagement) -> tuple[str, ...]:
    """The documents this legal route produces: the arrêté exists only for a mise à disposition."""
    return ("convention", "arrete") if engagement.legal_route == "mise_a_disposition" else ("convention",)


def versions(engagement: Engagement, document: str = "convention") -> list[ConventionVersion]:
    return [v for v in engagement.versions if v.document == document]


def latest(engagement: Engagement, document: str = "convention") -> ConventionVersion | None:
    found = versions(engagement, document)
    return found[-1] if found else None


def party_details(engagement: Engagement) -> dict[str, EngagementParty]:
    rows = db.session.query(EngagementParty).filter_by(engagement_id=engagement.id).all()
    return {row.party: row for row in rows}


def missing(engagement: Engagement) -> list[str]:
    """What the parties must still fill in before a version can be frozen for signature."""
    details = party_details(engagement)
    gaps = []
    if "employer" not in details:
        gaps.append(_("l'employeur d'origine : adresse, signataire, qualité et délibération ou délégation"))
    if "host" not in details:
        gaps.append(_("la collectivité d'accueil : adresse, signataire, qualité et délibération ou délégation"))
    if not (engagement.agent_grade and engagement.agent_cadre and engagement.agent_status and engagement.agent_service):
        gaps.append(_("l'agent : grade, cadre d'emplois, statut et service d'origine"))
    return gaps


def _context(engagement: Engagement, document: str, number: int, kind: str) -> dict:
    pairing = engagement.pairing
    offer, need = pairing.offer, pairing.need
    details = party_details(engagement)
    previous = [v for v in versions(engagement, document) if v.number < number]
    return {
        "engagement": engagement, "pairing": pairing, "offer": offer, "need": need, "agent": offer.agent,
        "home": offer.collectivity, "host": need.collectivity, "employer_party": details.get("employer"),
        "host_party": details.get("host"), "number": number, "kind": kind, "document": document,
        "previous": previous[-1] if previous else None, "route": engagement.legal_route,
        "route_label": str(LEGAL_ROUTE_LABELS[engagement.legal_route]),
        "agent_status": AGENT_STATUS_LABELS.get(engagement.agent_status, ""),
        "fmt": lambda day: day.strftime("%d/%m/%Y") if isinstance(day, date) else "…",
        "days": ("%g" % engagement.planned_days).replace(".", ","),
    }


def render(engagement: Engagement, document: str, number: int, kind: str) -> str:
    """A version's HTML from the document's template file (legal documents are written in French)."""
    with force_locale("fr"):
        return render_template(f"pairings/documents/{document}.fr.html",
                               **_context(engagement, document, number, kind))


def _digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def _write(engagement: Engagement, document: str, actor) -> ConventionVersion:
    current = latest(engagement, document)
    if current is not None and not current.is_signed:
        html = render(engagement, document, current.number, current.kind)
        if _digest(html) != current.content_hash:
            current.html, current.content_hash = html, _digest(html)
            audit.record(current, actor, "draft", "rewritten", pairing_id=engagement.pairing_id,
                         document=document, number=current.number)
        return current
    number = current.number + 1 if current else 1
    kind = "arrete" if document == "arrete" else ("avenant" if current else "convention")
    if current is not None and _digest(render(engagement, document, current.number, current.kind)) == current.content_hash:
        return current  # the terms did not change what the frozen version says: nothing to amend
    html = render(engagement, document, number, kind)
    version = ConventionVersion(engagement_id=engagement.id, document=document, number=number, kind=kind,
                                html=html, content_hash=_digest(html))
    db.session.add(version)
    engagement.versions.append(version)
    audit.record(version, actor, "", kind, pairing_id=engagement.pairing_id, document=document, number=number)
    return version


def write_versions(engagement: Engagement, actor) -> None:
    """Bring every document in step with the terms: rewrite drafts, add a version after a frozen one."""
    for document in documents_for(engagement):
        _write(engagement, document, actor)


@event.listens_for(ConventionVersion, "before_update")
def _refuse_edit_of_frozen(_mapper, _connection, target: ConventionVersion) -> None:
    # The last line of defence: whatever the code path, a frozen text and its PDF never change.
    state = inspect(target)
    changed = any(state.attrs[name].history.has_changes()
                  for name in ("html", "content_hash", "number", "kind", "document"))
    was_frozen = (state.attrs["frozen_at"].history.deleted or [target.frozen_at])[0] is not None
    pdf_history = state.attrs["pdf_sha256"].history
    if (changed and was_frozen) or (pdf_history.deleted and pdf_history.deleted[0] is not None):
        raise ServiceError(_("Une version figée ne se modifie pas : toute modification passe par une nouvelle version."))


def storage_dir() -> Path:
    """Where frozen PDFs and signed copies live: the upload folder the practices use, under pairings/."""
    configured = current_app.config.get("UPLOAD_DIR")
    base = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    return base / "pairings"


def store(data: bytes) -> str:
    """Write bytes under a random name (atomically) and return that name."""
    directory = storage_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    temporary = directory / f".{name}.part"
    temporary.write_bytes(data)
    os.replace(temporary, directory / name)
    return name


def read_stored(name: str, sha256: str) -> bytes:
    """A stored file, checked against its recorded hash (a changed file is refused, not served)."""
    data = (storage_dir() / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServiceError(_("Le fichier enregistré ne correspond plus à son empreinte : contactez l'administrateur."))
    return data


@transactional
def freeze(user, version: ConventionVersion) -> ConventionVersion:
    """A party freezes the latest version for signature: its PDF is rendered once and stored with its
    SHA-256. Freezing twice (a double click) returns the frozen version unchanged."""
    engagement = db.session.get(Engagement, version.engagement_id)
    if not parties_of(user, engagement.pairing):
        raise NotAllowed(_("Seules les parties préparent la signature."))
    if version.is_frozen:
        return version
    if latest(engagement, version.document).id != version.id:
        raise ServiceError(_("Seule la dernière version se signe."))
    if engagement.status != "active":
        raise ServiceError(_("Cet engagement est terminé."))
    gaps = missing(engagement)
    if gaps:
        raise ServiceError(_("Avant de figer le document, complétez : %(gaps)s.", gaps=" ; ".join(gaps)))
    data = render_pdf(version.html)
    version.pdf_name, version.pdf_sha256 = store(data), hashlib.sha256(data).hexdigest()
    version.frozen_at, version.frozen_by_id = utcnow(), user.id
    audit.record(version, user, "draft", "frozen", pairing_id=engagement.pairing_id, document=version.document,
                 number=version.number, sha256=version.pdf_sha256)
    return version


def pdf(version: ConventionVersion) -> bytes:
    """The frozen version's stored PDF (always the same bytes)."""
    if not version.is_frozen:
        raise ServiceError(_("Ce document n'est pas encore figé pour signature : seul l'aperçu est disponible."))
    if version.pdf_name is None:  # signed before PDFs were stored (see the migration): its frozen HTML
        return render_pdf(version.html)
    return read_stored(version.pdf_name, version.pdf_sha256)


def _font_css() -> str:
    # Bitstream Vera ships inside reportlab (a dependency of xhtml2pdf) and covers French accents.
    import reportlab

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return ("<style>@font-face { font-family: Vera; src: url('%s'); }"
            "@font-face { font-family: Vera; font-weight: bold; src: url('%s'); }"
            "body { font-family: Vera; }</style>") % (os.path.join(fonts, "Vera.ttf"), os.path.join(fonts, "VeraBd.ttf"))


def render_pdf(html: str) -> bytes:
    """HTML to PDF (xhtml2pdf, pure Python)."""
    from xhtml2pdf import pisa

    out = io.BytesIO()
    result = pisa.CreatePDF(html.replace("</head>", _font_css() + "</head>"), dest=out, encoding="utf-8")
    if result.err:
        raise ServiceError(_("Le PDF n'a pas pu être produit (%(n)s erreur(s)).", n=result.err))
    return out.getvalue()
