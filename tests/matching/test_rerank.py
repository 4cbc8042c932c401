"""The learned re-ranker and its offline metrics (pure: no app, no database)."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from matching import rerank


def test_feature_vector_marks_missing_values_instead_of_reading_zero():
    full = rerank.feature_vector({"lexical_score": 0.4, "semantic_score": 0.7, "distance_km": 1000,
                                  "shared_tags": 2, "capacity_ratio": 10, "modality_match": True})
    assert full == [0.4, 0.7, 1.0, 1.0, 1.0, 0.4, 1.0, 1.0]
    empty = rerank.feature_vector({"lexical_score": None})
    assert empty == [0.0] * len(rerank.FEATURES)
    assert rerank.feature_matrix([]).shape == (0, len(rerank.FEATURES))


def test_ranking_metrics_known_values():
    # group a: the good pair ranked second -> RR 1/2; group b: first -> 1; group c: one pair, skipped;
    # group d: no good pair, skipped.
    groups = ["a", "a", "a", "b", "b", "c", "d", "d"]
    scores = [0.9, 0.5, 0.1, 0.8, 0.2, 0.9, 0.5, 0.4]
    gains = [0, 1, -1, 2, 0, 1, -1, 0]
    m = rerank.ranking_metrics(groups, scores, gains, k=5)
    assert m["groups"] == 2 and m["mrr"] == pytest.approx(0.75)
    assert m["ndcg@5"] == pytest.approx((1 / np.log2(3) + 1.0) / 2)
    assert rerank.ranking_metrics(["a"], [1.0], [1], k=5) == {"mrr": None, "ndcg@5": None, "groups": 0}


def test_ties_do_not_favour_a_scorer():
    # Equal scores keep the input order for everyone.
    m = rerank.ranking_metrics(["a", "a"], [0.5, 0.5], [0, 1])
    assert m["mrr"] == 0.5


def _synthetic(n_groups=60, seed=0):
    """Queues where the good pair has a lower lexical score but shares tags and the modality:
    the fixed weights order them badly, a learned model can do better."""
    rng = np.random.default_rng(seed)
    pairs, gains, groups, times = [], [], [], []
    start = datetime(2026, 1, 1)
    for g in range(n_groups):
        good = int(rng.integers(0, 4))
        for i in range(4):
            is_good = i == good
            pairs.append({"lexical_score": rng.uniform(0.2, 0.4) if is_good else rng.uniform(0.3, 0.6),
                          "shared_tags": 3 if is_good else int(rng.integers(0, 2)),
                          "modality_match": is_good or rng.random() < 0.3,
                          "distance_km": rng.uniform(0, 200), "capacity_ratio": rng.uniform(0.5, 3)})
            gains.append(1.0 if is_good else -1.0)
            groups.append(g)
            times.append(start + timedelta(days=g))
    return rerank.feature_matrix(pairs), np.array(gains), groups, times


def test_learned_beats_fixed_on_a_signal_the_fixed_weights_miss():
    X, gains, groups, times = _synthetic()
    result = rerank.evaluate(X, gains, groups, times, cutoff=datetime(2026, 2, 15))
    assert result["counts"]["train"] == 45 * 4 and result["counts"]["test"] == 15 * 4
    assert result["learned"]["ndcg@5"] > result["fixed"]["ndcg@5"] + 0.1
    assert rerank.beats(result, margin=0.02, min_labels=100)
    assert not rerank.beats(result, margin=0.02, min_labels=1000)  # too few labels
    assert not rerank.beats(result, margin=1.0, min_labels=100)  # not by that margin


def test_params_round_trip_and_estimator_contract():
    X, gains, _groups, _times = _synthetic(20)
    model = rerank.Reranker(C=0.5)
    assert model.get_params() == {"C": 0.5, "class_weight": "balanced"} and not hasattr(model, "coef_")
    assert model.fit(X, gains) is model
    again = rerank.Reranker.from_params(model.to_params())
    assert np.allclose(again.score_pairs(X), model.score_pairs(X))
    assert ((model.score_pairs(X) >= 0) & (model.score_pairs(X) <= 1)).all()
    with pytest.raises(ValueError):
        rerank.Reranker.from_params(model.to_params() | {"features": ["lexical_score"]})


def test_one_class_refused():
    with pytest.raises(ValueError):
        rerank.Reranker().fit(np.zeros((3, len(rerank.FEATURES))), [1, 1, 1])


def test_time_split_is_strict():
    cutoff = datetime(2026, 3, 1)
    before, after = rerank.time_split([cutoff - timedelta(seconds=1), cutoff, cutoff + timedelta(days=1)], cutoff)
    assert before.tolist() == [True, False, False] and after.tolist() == [False, True, True]
