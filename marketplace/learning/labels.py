"""Coordinators' and parties' decisions stored as labelled (offer, need) pairs.

Each decision writes its label in the decision's own unit of work (helpers here only flush), with
the pair's features as they are at that moment: approved +1, rejected -1 (with its reason), the
three consents +2, a refused consent -1, a feedback rating graded from -1 (1/5) to +2 (5/5).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import DecisionLabel, Feedback, Need, Pairing, SkillOffer, Suggestion
from marketplace.models.base import utcnow
from marketplace.suggestions.index import offer_days_available

APPROVED, REJECTED, CONSENTED, DECLINED = 1.0, -1.0, 2.0, -1.0
# 1 star is as bad as a rejection, 5 stars as good as the three consents.
RATING_LABELS = {1: -1.0, 2: -0.5, 3: 0.5, 4: 1.0, 5: 2.0}
FEATURE_COLUMNS = ("lexical_score", "semantic_score", "distance_km", "shared_tags", "capacity_ratio",
                   "modality_match")


def features(offer: SkillOffer, need: Need, reasons: dict | None = None, score: float | None = None) -> dict:
    """The features of a pair now: matching scores (from its stored suggestion's `reasons` and
    `score`), distance, shared tags, the agent's days against the days asked, and the modalities."""
    reasons = reasons or {}
    base = reasons.get("fixed_score", score)
    days = offer_days_available(offer)
    return {
        "lexical_score": reasons.get("lexical_score", base),
        "semantic_score": reasons.get("semantic_score"),
        "distance_km": reasons.get("distance_km"),
        "shared_tags": len(reasons.get("tags") or ()),
        "capacity_ratio": round(days / need.estimated_days, 4) if need.estimated_days else None,
        "modality_match": offer.modality == need.modality,
    }


def _suggestion_of(pairing: Pairing) -> Suggestion | None:
    return db.session.scalar(select(Suggestion).where(Suggestion.offer_id == pairing.offer_id,
                                                      Suggestion.need_id == pairing.need_id))


def record(pairing: Pairing, event: str, label: float, reason: str = "", reason_code: str = "",
           at=None, suggestion: Suggestion | None = None) -> None:
    """Store one label of a pairing in the current unit of work; the same event again is ignored.

    The features come from the pair's stored suggestion, or from a label already recorded for the
    pairing (a consent weeks after the approval keeps the features the coordinator saw).
    """
    earlier = db.session.scalar(select(DecisionLabel).where(DecisionLabel.pairing_id == pairing.id)
                                .order_by(DecisionLabel.decided_at).limit(1))
    if earlier is not None and suggestion is None:
        values = {name: getattr(earlier, name) for name in FEATURE_COLUMNS}
    else:
        suggestion = suggestion or _suggestion_of(pairing)
        values = features(pairing.offer, pairing.need, suggestion.reasons if suggestion else None,
                          suggestion.score if suggestion else pairing.score)
    row = {"offer_id": pairing.offer_id, "need_id": pairing.need_id, "pairing_id": pairing.id, "event": event,
           "label": label, "reason": (reason or "")[:2000], "reason_code": reason_code,
           "decided_at": at or utcnow(), **values}
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(DecisionLabel).values(row).on_conflict_do_nothing(
        index_elements=["pairing_id", "event"]))



def feedback_event(party: str) -> str:
    """The event name of one party's rating (each party's rating is its own label)."""
    return f"feedback_{party}"[:20]


def training_pairs() -> list[dict]:
    """One row per decided pair, oldest decision first: its features at the first decision, its
    gain (the latest label: a later consent or rating says more than the first look), its need
    (a queue is one need's suggestions) and the time of the first decision."""
    pairs: dict[tuple[int, int], dict] = {}
    for label in db.session.scalars(select(DecisionLabel).order_by(DecisionLabel.decided_at, DecisionLabel.id)):
        key = (label.offer_id, label.need_id)
        if key not in pairs:
            pairs[key] = {name: getattr(label, name) for name in FEATURE_COLUMNS} | {
                "offer_id": label.offer_id, "need_id": label.need_id, "decided_at": _aware(label.decided_at)}
        pairs[key]["gain"] = label.label
    return list(pairs.values())


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; every time here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def counts() -> dict:
    """How many labels of each event are stored."""
    found: dict[str, int] = {}
    for event in db.session.scalars(select(DecisionLabel.event)):
        found[event] = found.get(event, 0) + 1
    return found


@transactional
def backfill() -> int:
    """Label the decisions taken before labels were recorded (idempotent); how many labels exist."""
    for pairing in db.session.scalars(select(Pairing).where(Pairing.decided_at.is_not(None)).order_by(Pairing.id)):
        approved = pairing.status != "rejected"
        record(pairing, "approved" if approved else "rejected", APPROVED if approved else REJECTED,
               "" if approved else pairing.reason, at=pairing.decided_at)
        answers = sorted(pairing.consents, key=lambda c: c.decided_at)
        refused = [c for c in answers if c.decision == "declined"]
        if refused:
            record(pairing, "declined", DECLINED, refused[0].reason, at=refused[0].decided_at)
        elif len(answers) == 3:
            record(pairing, "consented", CONSENTED, at=answers[-1].decided_at)
        if pairing.engagement is not None:
            for item in db.session.scalars(select(Feedback).where(Feedback.engagement_id == pairing.engagement.id)):
                record(pairing, feedback_event(item.party), RATING_LABELS[item.rating], at=item.created_at)
    db.session.flush()
    return sum(counts().values())
