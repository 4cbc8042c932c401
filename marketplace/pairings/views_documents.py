"""The documents of an engagement: preview, freeze for signature, stored PDF, signed copies, and
the details the parties state before signature."""
from __future__ import annotations

from flask import Response, abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.models.pairing_documents import DOCUMENTS
from marketplace.pairings.services import documents, particulars, signatures
from marketplace.pairings.views_common import act, bp, engagement_of, load


def _version(pairing, document: str, number: int):
    if document not in DOCUMENTS or pairing.engagement is None:
        abort(404)
    version = next((v for v in documents.versions(pairing.engagement, document) if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.get("/<int:pairing_id>/documents/<document>/<int:number>")
@login_required
def document_html(pairing_id: int, document: str, number: int):
    """The version's text as HTML: the preview of a draft, the exact frozen text otherwise."""
    return Response(_version(load(pairing_id), document, number).html, mimetype="text/html")


@bp.get("/<int:pairing_id>/documents/<document>/<int:number>.pdf")
@login_required
def document_pdf(pairing_id: int, document: str, number: int):
    version = _version(load(pairing_id), document, number)
    if not version.is_frozen:
        abort(404)  # a draft has no PDF: it would be signed and then differ from the frozen text
    return Response(documents.pdf(version), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{document}-{pairing_id}-v{number}.pdf"'})


@bp.post("/<int:pairing_id>/documents/<document>/<int:number>/figer")
@login_required
def freeze(pairing_id: int, document: str, number: int):
    return act(pairing_id, "freeze_form", lambda p, f: documents.freeze(current_user, _version(p, document, number)),
               _("Le document est figé : téléchargez son PDF, signez-le, puis déposez la version signée."), "#documents")


@bp.post("/<int:pairing_id>/documents/<document>/<int:number>/signe")
@login_required
def upload_signed(pairing_id: int, document: str, number: int):
    return act(pairing_id, "copy_form", lambda p, f: signatures.upload(
        current_user, _version(p, document, number), f.party.data, f.file.data.stream, f.file.data.filename,
        f.signed_outside_on.data), _("Votre exemplaire signé est enregistré."), "#documents")


@bp.get("/<int:pairing_id>/documents/<document>/<int:number>/signe/<party>.pdf")
@login_required
def signed_pdf(pairing_id: int, document: str, number: int, party: str):
    version = _version(load(pairing_id), document, number)
    copy = version.copy_of(party)
    if copy is None:
        abort(404)
    return Response(signatures.read_copy(copy), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{document}-{pairing_id}-v{number}-{party}-signe.pdf"'})


@bp.post("/<int:pairing_id>/parties")
@login_required
def party_details(pairing_id: int):
    return act(pairing_id, "party_form", lambda p, f: particulars.set_party(
        current_user, engagement_of(p), f.party.data, {name: getattr(f, name).data for name in particulars.PARTY_FIELDS}),
        _("Les informations de votre collectivité sont enregistrées ; les documents sont à jour."), "#documents")


@bp.post("/<int:pairing_id>/agent")
@login_required
def agent_details(pairing_id: int):
    return act(pairing_id, "agent_form", lambda p, f: particulars.set_agent(
        current_user, engagement_of(p), {name: getattr(f, name).data for name in (*particulars.AGENT_FIELDS, "agent_status")}),
        _("La situation de l'agent est enregistrée ; les documents sont à jour."), "#documents")
