"""Train the re-ranker on the stored labels (time split), keep it with its metrics, switch it on
only when it beats the fixed weights; and apply the active one when suggestions are stored."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.learning import labels
from marketplace.models import Need, RerankerModel, SkillOffer
from matching import rerank

K = 5


def settings() -> dict:
    """The switch-on rule: minimum labels before the cutoff, nDCG@5 margin over the fixed weights."""
    config = current_app.config
    return {"min_labels": int(config.get("RERANKER_MIN_LABELS", 200)),
            "margin": float(config.get("RERANKER_MARGIN", 0.02))}


@transactional
def train(cutoff: datetime, min_labels: int | None = None, margin: float | None = None, C: float = 1.0) -> RerankerModel:
    """Fit on the pairs decided before `cutoff`, evaluate on those after; store the model with its
    metrics and label counts, active only if it beats the fixed weights (then the only active one).
    ValueError when there is nothing to learn from (no labels, or one class only)."""
    rule = settings()
    min_labels = rule["min_labels"] if min_labels is None else min_labels
    margin = rule["margin"] if margin is None else margin
    pairs = labels.training_pairs()
    if not pairs:
        raise ValueError("no labelled pairs yet")
    X = rerank.feature_matrix(pairs)
    result = rerank.evaluate(X, [p["gain"] for p in pairs], [p["need_id"] for p in pairs],
                             [p["decided_at"] for p in pairs], cutoff, C=C, k=K)
    switched_on = rerank.beats(result, margin, min_labels, k=K)
    if switched_on:
        db.session.execute(update(RerankerModel).where(RerankerModel.active.is_(True)).values(active=False))
    row = RerankerModel(cutoff=cutoff, params=result["model"].to_params(), active=switched_on,
                        metrics={"fixed": result["fixed"], "learned": result["learned"], "margin": margin,
                                 "min_labels": min_labels},
                        label_counts=result["counts"] | {"events": labels.counts()})
    db.session.add(row)
    db.session.flush()
    return row


def active() -> rerank.Reranker | None:
    """The re-ranker switched on, if any."""
    row = db.session.scalar(select(RerankerModel).where(RerankerModel.active.is_(True))
                            .order_by(RerankerModel.id.desc()).limit(1))
    return rerank.Reranker.from_params(row.params) if row is not None else None


def rescore(values: list[dict]) -> list[dict]:
    """Suggestion rows ({"offer_id", "need_id", "score", "reasons"}) scored by the active re-ranker,
    the matching score kept in reasons["fixed_score"]; unchanged when none is switched on."""
    model = active() if values else None
    if model is None:
        return values
    offers = {o.id: o for o in db.session.scalars(select(SkillOffer).where(SkillOffer.id.in_({v["offer_id"] for v in values})))}
    needs = {n.id: n for n in db.session.scalars(select(Need).where(Need.id.in_({v["need_id"] for v in values})))}
    pairs = [labels.features(offers[v["offer_id"]], needs[v["need_id"]], v["reasons"], v["score"]) for v in values]
    learned = model.score_pairs(rerank.feature_matrix(pairs))
    return [v | {"score": round(float(s), 6), "reasons": {**v["reasons"], "fixed_score": v["score"]}}
            for v, s in zip(values, learned)]
