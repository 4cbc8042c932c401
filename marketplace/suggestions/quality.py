"""Nightly check of the matching fast path: overlap@10 with the exhaustive search, sampled on
the live offers index with the rules the suggestions use, logged and stored."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import func, select

from matching.reference import overlap_at_k

from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import MatchingOverlapSample, Need
from marketplace.suggestions import index as matching_index
from marketplace.suggestions.services import _rules

logger = logging.getLogger(__name__)

# A query whose overlap@10 is under this counts in `below_target` (one result of ten missed).
QUERY_TARGET = 0.9


def sample_overlap(sample_size: int | None = None, k: int = 10) -> MatchingOverlapSample | None:
    """Query ``sample_size`` random open needs (MATCHING_OVERLAP_SAMPLE, 200 by default) against
    the offers index with the engine and with the exhaustive search; store and log overlap@k.
    None when there is no offers index yet."""
    sample_size = sample_size or current_app.config.get("MATCHING_OVERLAP_SAMPLE", 200)
    engine = matching_index.current("offers", build=False)
    if engine is None:
        return None
    needs = db.session.scalars(select(Need).where(Need.status == "open").order_by(func.random()).limit(sample_size)).all()
    needs = [n for n in needs if matching_index.is_indexed("needs", n)]
    documents = [matching_index.need_document(n) for n in needs]
    rules = [_rules(n, asker_days=n.estimated_days) for n in needs]
    shares = [s for s in overlap_at_k(engine, documents, k=k, where=rules) if s is not None]
    return _store(len(engine), shares, k)


@transactional
def _store(index_size: int, shares: list[float], k: int) -> MatchingOverlapSample:
    sample = MatchingOverlapSample(
        kind="offers", index_size=index_size, queries=len(shares), k=k,
        overlap_mean=sum(shares) / len(shares) if shares else None, overlap_min=min(shares) if shares else None,
        below_target=sum(s < QUERY_TARGET for s in shares))
    db.session.add(sample)
    db.session.flush()
    logger.info("matching overlap@%d sampled", k, extra={
        "event": "matching_overlap", "kind": sample.kind, "index_size": index_size, "queries": sample.queries,
        "overlap_mean": sample.overlap_mean, "overlap_min": sample.overlap_min, "below_target": sample.below_target})
    return sample


def latest() -> MatchingOverlapSample | None:
    """The last stored sample (for /healthz or the admin)."""
    return db.session.scalars(select(MatchingOverlapSample).order_by(MatchingOverlapSample.sampled_at.desc(),
                                                                     MatchingOverlapSample.id.desc()).limit(1)).first()
