"""Signing outside Essaim: each signatory downloads the frozen PDF, signs it by hand or with their own
e-signature tool, and uploads the signed PDF here. Each file is checked by its content (a real,
readable PDF under the size limit), stored with its SHA-256, and shown with who uploaded it and when.
A document is signed when every signatory's file is in. A paper signature is recorded the same way:
"signé hors d'Essaim, le …" with the scan attached.
"""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import Conflict, NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import ConventionVersion, Engagement, SignedCopy
from marketplace.pairings.services import audit, documents
from marketplace.pairings.services.access import parties_of
from marketplace.pairings.services.notify import everyone, tell

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
SIGNATORY_LABELS = {"employer": _l("la collectivité d'origine"), "host": _l("la collectivité d'accueil"),
                    "agent": _l("l'agent")}


def max_bytes() -> int:
    return int(current_app.config.get("SIGNED_PDF_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_name(filename: str | None) -> str:
    """A file name safe to store and to send back in a header: no path, no control characters."""
    name = CONTROL_CHARS.sub("", (filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:255] or "document-signe.pdf"


def read_pdf(stream) -> bytes:
    """The uploaded bytes if they are a readable PDF within the size limit; else a field error."""
    limit = max_bytes()
    data = stream.read(limit + 1) if stream is not None else b""
    if not data:
        raise ServiceError(_("Choisissez le PDF signé à déposer."), "file")
    if len(data) > limit:
        raise ServiceError(_("Le fichier dépasse la taille maximale de %(mb)s Mo.", mb=round(limit / 1024 / 1024, 1)),
                           "file")
    if not data.startswith(b"%PDF-"):
        raise ServiceError(_("Ce fichier n'est pas un PDF : déposez le document signé au format PDF."), "file")
    from pypdf import PdfReader

    try:
        if len(PdfReader(io.BytesIO(data)).pages) == 0:
            raise ValueError("no page")
    except Exception:  # pypdf raises many kinds of errors on a damaged file; all mean "unreadable"
        raise ServiceError(_("Ce PDF est illisible ou endommagé : exportez-le de nouveau puis déposez-le."),
                           "file") from None
    return data


@transactional
def upload(user, version: ConventionVersion, party: str, stream, filename: str,
           signed_outside_on: date | None = None) -> SignedCopy:
    """Store one signatory's signed PDF for a frozen version. The same file sent twice by the same
    person is kept once; another file for a party that already signed is refused."""
    engagement = db.session.get(Engagement, version.engagement_id)
    if party not in version.signatories or party not in parties_of(user, engagement.pairing):
        raise NotAllowed(_("Vous ne pouvez pas signer au nom de cette partie."))
    if not version.is_frozen:
        raise ServiceError(_("Figez d'abord cette version pour signature, puis téléchargez son PDF."))
    if documents.latest(engagement, version.document).id != version.id:
        raise ServiceError(_("Seule la dernière version se signe."))
    if signed_outside_on is not None:
        frozen_on = version.frozen_at.date()
        if not frozen_on <= signed_outside_on <= date.today():
            raise ServiceError(_("La date de signature est comprise entre le %(frozen)s et aujourd'hui.",
                                 frozen=frozen_on.strftime("%d/%m/%Y")), "signed_outside_on")
    data = read_pdf(stream)
    digest = hashlib.sha256(data).hexdigest()
    existing = version.copy_of(party)
    if existing is not None:
        if existing.user_id == user.id and existing.sha256 == digest:
            return existing  # a double submit
        raise Conflict(_("Cette partie a déjà déposé sa version signée."))
    copy = SignedCopy(version_id=version.id, party=party, user_id=user.id, original_name=clean_name(filename),
                      stored_name=documents.store(data), sha256=digest, size=len(data),
                      signed_outside_on=signed_outside_on)
    try:
        with db.session.begin_nested():  # the twin request may have stored the same party's file
            db.session.add(copy)
    except IntegrityError:
        raise Conflict(_("Cette partie a déjà déposé sa version signée.")) from None
    db.session.expire(version, ["signed_copies"])
    audit.record(version, user, "", f"signed_{party}", pairing_id=engagement.pairing_id, document=version.document,
                 number=version.number, sha256=digest)
    if version.fully_signed:
        audit.record(version, None, "frozen", "signed", pairing_id=engagement.pairing_id, document=version.document,
                     number=version.number)
        pairing = engagement.pairing
        tell(pairing, everyone(pairing), f"signed:{version.document}:{version.number}",
             _l("Le document « %(doc)s » (version %(n)s) est signé par toutes les parties.",
                doc=documents.DOCUMENT_LABELS[version.document], n=version.number),
             _l("Un document de mise à disposition est signé"))
    return copy


def read_copy(copy: SignedCopy) -> bytes:
    """The signed file as uploaded (checked against its recorded SHA-256)."""
    return documents.read_stored(copy.stored_name, copy.sha256)


def convention_signed(engagement: Engagement) -> bool:
    """The latest convention version is frozen and every signatory's file is in."""
    latest = documents.latest(engagement, "convention")
    return latest is not None and latest.is_frozen and latest.fully_signed
