"""A host's representative asks for a pairing with one of the agents suggested for their need: the
suggestion enters the coordinator's queue marked "demandé par la collectivité d'accueil"."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Need, Pairing, RoleAssignment, SkillOffer, Suggestion, User
from marketplace.models.base import utcnow
from marketplace.pairings.services import audit
from marketplace.pairings.services.notify import tell


def _require_host(user, need: Need) -> None:
    if need.collectivity_id not in user.collectivity_ids("representative"):
        raise NotAllowed(_("Seuls les référents de la collectivité du besoin demandent une mise en relation."))


def suggested(user, need_id: int) -> tuple[Need, list[tuple[Suggestion, SkillOffer, Pairing | None]]]:
    """The agents suggested for this need, best first, with the pairing already asked or decided."""
    need = db.session.get(Need, need_id)
    if need is None:
        raise NotFound(_("Ce besoin n'existe pas."))
    _require_host(user, need)
    rows = db.session.execute(
        select(Suggestion, SkillOffer).join(SkillOffer, SkillOffer.id == Suggestion.offer_id)
        .where(Suggestion.need_id == need.id, SkillOffer.status == "published")
        .order_by(Suggestion.score.desc()).limit(50)).all()
    pairings = {p.offer_id: p for p in db.session.scalars(select(Pairing).where(Pairing.need_id == need.id))}
    return need, [(suggestion, offer, pairings.get(offer.id)) for suggestion, offer in rows]


def my_needs(user) -> list[Need]:
    """The open needs of the collectivities this user represents."""
    ids = user.collectivity_ids("representative")
    if not ids:
        return []
    return db.session.scalars(select(Need).where(Need.collectivity_id.in_(ids), Need.status == "open")
                              .order_by(Need.title)).all()


def _coordinators_of(need: Need) -> list[User]:
    roles = db.session.scalars(select(RoleAssignment).where(RoleAssignment.role == "coordinator",
                                                            RoleAssignment.active.is_(True))).all()
    collectivity = need.collectivity
    return [r.user for r in roles if r.covers(collectivity.departement_codes, collectivity.region_codes)]


@transactional
def ask(user, suggestion_id: int) -> Pairing:
    """Put a suggestion in the coordinator's queue as asked by the host; asking again is a no-op."""
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise NotFound(_("Cette suggestion n'existe plus."))
    need, offer = db.session.get(Need, suggestion.need_id), db.session.get(SkillOffer, suggestion.offer_id)
    _require_host(user, need)
    if need.status != "open" or offer.status != "published":
        raise ServiceError(_("Ce besoin ou cette offre n'est plus ouvert."))
    pairing = db.session.scalar(select(Pairing).where(Pairing.offer_id == offer.id, Pairing.need_id == need.id))
    if pairing is not None and pairing.status != "pending_review":
        raise ServiceError(_("Cette mise en relation a déjà été examinée par la coordination."))
    if pairing is not None and pairing.requested_by_id is not None:
        return pairing  # already asked (by this person or a colleague): one request
    if pairing is None:
        pairing = Pairing(offer_id=offer.id, need_id=need.id, status="pending_review", score=suggestion.score)
        try:
            with db.session.begin_nested():  # a coordinator may be deciding the same pair right now
                db.session.add(pairing)
        except IntegrityError:
            raise ServiceError(_("Cette suggestion vient d'être traitée : rechargez la page.")) from None
    pairing.requested_by_id, pairing.requested_at = user.id, utcnow()
    audit.record(pairing, user, "", "requested_by_host")
    tell(pairing, _coordinators_of(need), "requested",
         _l("%(host)s demande une mise en relation avec « %(offer)s » pour son besoin « %(need)s ».",
            host=need.collectivity.name, offer=offer.title, need=need.title),
         _l("Une collectivité demande une mise en relation"))
    return pairing
