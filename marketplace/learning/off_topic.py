"""Pairs a coordinator rejected as off-topic ("hors sujet / sans rapport"): never stored nor shown
again, whichever side is matched and however often the indexes are refitted, until lifted."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from marketplace.core import task_queue
from marketplace.core.errors import NotAllowed, NotFound
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Need, OffTopicPair, SkillOffer, Suggestion
from marketplace.pairings.services.access import covers_need

# The reason code of a rejection that rules the pair out for good (the free-text reason stays).
REASON_CODE = "off_topic"
MATCH_NEED_TASK = "workers.tasks.match_need"


def mark(user, offer_id: int, need_id: int) -> None:
    """Rule a pair off-topic in the current unit of work, and take its suggestion off every page."""
    exists = db.session.scalar(select(OffTopicPair.id).where(OffTopicPair.offer_id == offer_id,
                                                             OffTopicPair.need_id == need_id))
    if exists is None:
        db.session.add(OffTopicPair(offer_id=offer_id, need_id=need_id, marked_by_id=getattr(user, "id", None)))
    db.session.execute(delete(Suggestion).where(Suggestion.offer_id == offer_id, Suggestion.need_id == need_id))
    db.session.flush()


def without(rows: list) -> list:
    """The (offer_id, need_id, ...) rows whose pair was not ruled off-topic, in their order."""
    if not rows:
        return rows
    keys = {(row[0], row[1]) for row in rows}
    ruled = set(db.session.execute(select(OffTopicPair.offer_id, OffTopicPair.need_id).where(
        OffTopicPair.offer_id.in_({k[0] for k in keys}), OffTopicPair.need_id.in_({k[1] for k in keys}))).all())
    return [row for row in rows if (row[0], row[1]) not in ruled]


def ruled_count(*, offer_id: int | None = None, need_id: int | None = None) -> int:
    """How many pairs of this offer (or need) were ruled off-topic: as many more candidates to ask
    the engine for, so that setting them aside still leaves the top k."""
    column, value = (OffTopicPair.offer_id, offer_id) if offer_id is not None else (OffTopicPair.need_id, need_id)
    return db.session.scalar(select(func.count()).select_from(OffTopicPair).where(column == value)) or 0


def visible_to(user) -> list[tuple[OffTopicPair, SkillOffer, Need]]:
    """The off-topic pairs on this user's territory (all of them for an administrator), newest first."""
    rows = db.session.execute(
        select(OffTopicPair, SkillOffer, Need).join(SkillOffer, SkillOffer.id == OffTopicPair.offer_id)
        .join(Need, Need.id == OffTopicPair.need_id).order_by(OffTopicPair.marked_at.desc(), OffTopicPair.id.desc())).all()
    return [(pair, offer, need) for pair, offer, need in rows if covers_need(user, need)]


@transactional
def lift(user, pair_id: int) -> OffTopicPair:
    """Undo an off-topic ruling (an administrator, or a coordinator of the need's territory): the
    need is matched again, so the pair comes back if it still qualifies."""
    pair = db.session.get(OffTopicPair, pair_id)
    if pair is None:
        raise NotFound(_("Cette paire n'est pas marquée hors sujet."))
    need = db.session.get(Need, pair.need_id)
    if not (user.is_admin or (user.has_role("coordinator") and covers_need(user, need))):
        raise NotAllowed(_("Ce besoin est hors de votre territoire."))
    db.session.delete(pair)
    task_queue.enqueue_after_commit(MATCH_NEED_TASK, need.id)
    return pair
