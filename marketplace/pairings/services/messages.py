"""A simple thread on the pairing page: the parties of a proposed (or engaged) pairing write to
each other; the others are notified through their notification preferences."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import NotAllowed, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Pairing, PairingMessage
from marketplace.pairings.services.access import parties_of
from marketplace.pairings.services.notify import everyone, tell

MAX_LENGTH = 2000
OPEN_STATUSES = ("proposed", "engaged")


def thread(pairing: Pairing) -> list[PairingMessage]:
    return db.session.scalars(select(PairingMessage).where(PairingMessage.pairing_id == pairing.id)
                              .order_by(PairingMessage.created_at, PairingMessage.id)).all()


def can_write(user, pairing: Pairing) -> bool:
    return pairing.status in OPEN_STATUSES and bool(parties_of(user, pairing))


def _find(pairing: Pairing, user, token: str) -> PairingMessage | None:
    return db.session.scalar(select(PairingMessage).where(
        PairingMessage.pairing_id == pairing.id, PairingMessage.author_id == user.id, PairingMessage.token == token))


@transactional
def post(user, pairing: Pairing, body: str, token: str) -> PairingMessage:
    """Add a message. `token` comes with the form: the same form sent twice adds one message."""
    if not parties_of(user, pairing):
        raise NotAllowed(_("Seules les parties de la mise en relation échangent ici."))
    if pairing.status not in OPEN_STATUSES:
        raise ServiceError(_("Cette mise en relation est close : les messages sont fermés."))
    token = (token or "").strip()[:64]
    if not token:
        raise ServiceError(_("Le formulaire a expiré : rechargez la page."), "body")
    if (existing := _find(pairing, user, token)) is not None:
        return existing
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Écrivez votre message."), "body")
    if len(body) > MAX_LENGTH:
        raise ServiceError(_("%(n)s caractères au plus.", n=MAX_LENGTH), "body")
    message = PairingMessage(pairing_id=pairing.id, author_id=user.id, body=body, token=token)
    try:
        with db.session.begin_nested():  # the twin request may have won the race
            db.session.add(message)
    except IntegrityError:
        existing = _find(pairing, user, token)
        if existing is not None:
            return existing
        raise
    others = [person for person in everyone(pairing) if person.id != user.id]
    tell(pairing, others, f"message:{message.id}",
         _l("%(author)s a écrit sur la mise en relation « %(need)s ».", author=user.display_name,
            need=pairing.need.title), _l("Nouveau message sur une mise en relation"))
    return message
