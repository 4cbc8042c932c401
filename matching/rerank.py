"""A re-ranker learned from the coordinators' decisions, and the offline metrics that judge it.

Today's order is the fixed weights: the matching score alone (lexical, or blended with the
semantic stage when there is one). With enough labelled pairs, a logistic regression learns how
much each feature of a pair counts: lexical score, semantic score, distance, shared tags, the
agent's capacity against the days asked, and whether the modalities agree. It is switched on only
when it orders later decisions better than the fixed weights (see `evaluate` and the time split).

Pure code over arrays (scikit-learn's estimator conventions): no Flask, no SQLAlchemy. A fitted
model is a handful of numbers (`to_params`), stored as JSON, never pickled.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

FEATURES = ("lexical_score", "semantic_score", "has_semantic", "distance", "has_distance", "shared_tags",
            "capacity_ratio", "modality_match")
# Caps keep one far-away or over-generous pair from dominating what is learned.
MAX_KM = 500.0
MAX_TAGS = 5.0
MAX_CAPACITY_RATIO = 5.0


def feature_vector(pair: Mapping) -> list[float]:
    """The numbers of one pair, in `FEATURES` order, from its stored features (missing ones as
    neutral values with a "has_" flag, so that a missing semantic score is not read as 0 similarity)."""
    semantic = pair.get("semantic_score")
    km = pair.get("distance_km")
    ratio = pair.get("capacity_ratio")
    return [
        float(pair.get("lexical_score") or 0.0),
        float(semantic) if semantic is not None else 0.0,
        1.0 if semantic is not None else 0.0,
        min(float(km), MAX_KM) / MAX_KM if km is not None else 0.0,
        1.0 if km is not None else 0.0,
        min(float(pair.get("shared_tags") or 0), MAX_TAGS) / MAX_TAGS,
        min(float(ratio), MAX_CAPACITY_RATIO) / MAX_CAPACITY_RATIO if ratio is not None else 0.0,
        1.0 if pair.get("modality_match") else 0.0,
    ]


def feature_matrix(pairs: Iterable[Mapping]) -> np.ndarray:
    """`feature_vector` of each pair, as a (n, len(FEATURES)) array."""
    rows = [feature_vector(p) for p in pairs]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES))


def fixed_scores(X: np.ndarray, pairs: Iterable[Mapping] | None = None) -> np.ndarray:
    """Today's order: the stored matching score (`fixed_score` of each pair when given, else the
    lexical score column)."""
    if pairs is not None:
        return np.asarray([float(p.get("fixed_score", p.get("lexical_score") or 0.0)) for p in pairs])
    return np.asarray(X)[:, 0].astype(float)


class Reranker(ClassifierMixin, BaseEstimator):
    """Logistic regression on standardised `FEATURES`: P(good pair | features) is the new score.

    ``C`` is the inverse regularisation strength, ``class_weight`` as in scikit-learn (balanced by
    default: rejections usually outnumber approvals).
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced"):
        self.C = C
        self.class_weight = class_weight

    def fit(self, X, y) -> "Reranker":
        """Learn from pairs `X` and labels `y` (> 0 a good pair, else a bad one). Returns self."""
        X = np.asarray(X, dtype=float)
        y = (np.asarray(y, dtype=float) > 0).astype(int)
        if len(set(y.tolist())) < 2:
            raise ValueError("the labels hold only one class: nothing to learn from")
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=1000)
        model.fit((X - self.mean_) / self.scale_, y)
        self.coef_ = model.coef_[0].copy()
        self.intercept_ = float(model.intercept_[0])
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = np.asarray(X, dtype=float)
        return ((X - self.mean_) / self.scale_) @ self.coef_ + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X) -> np.ndarray:
        return (self.decision_function(X) > 0).astype(int)

    def score_pairs(self, X) -> np.ndarray:
        """The learned score of each pair, in [0, 1]."""
        return self.predict_proba(X)[:, 1]

    def to_params(self) -> dict:
        """What it takes to rebuild the fitted model (JSON-ready)."""
        check_is_fitted(self, "coef_")
        return {"features": list(FEATURES), "C": self.C, "class_weight": self.class_weight,
                "mean": self.mean_.tolist(), "scale": self.scale_.tolist(), "coef": self.coef_.tolist(),
                "intercept": self.intercept_}

    @classmethod
    def from_params(cls, params: Mapping) -> "Reranker":
        """The fitted model `to_params` described; ValueError when its features are not today's."""
        if tuple(params.get("features", ())) != FEATURES:
            raise ValueError("the stored re-ranker was fitted on other features")
        model = cls(C=params["C"], class_weight=params["class_weight"])
        model.mean_, model.scale_ = np.asarray(params["mean"]), np.asarray(params["scale"])
        model.coef_, model.intercept_ = np.asarray(params["coef"]), float(params["intercept"])
        model.classes_ = np.array([0, 1])
        return model


def _groups(groups) -> dict:
    found: dict = {}
    for i, g in enumerate(groups):
        found.setdefault(g, []).append(i)
    return found


def _ordered(idx: list[int], scores: np.ndarray) -> list[int]:
    # Ties broken by position, the same for every scorer: no scorer wins on luck of the sort.
    return sorted(idx, key=lambda i: (-scores[i], i))


def ranking_metrics(groups, scores, gains, k: int = 5) -> dict:
    """MRR and nDCG@k of ordering each group (one need's queue) by `scores`, over the groups with at
    least two pairs and one good pair (gain > 0); negative gains count as 0. Also their number."""
    scores, gains = np.asarray(scores, dtype=float), np.clip(np.asarray(gains, dtype=float), 0, None)
    rr, ndcg = [], []
    for idx in _groups(groups).values():
        if len(idx) < 2 or not (gains[idx] > 0).any():
            continue
        order = _ordered(idx, scores)
        rr.append(1.0 / (1 + next(r for r, i in enumerate(order) if gains[i] > 0)))
        discounts = 1.0 / np.log2(np.arange(2, k + 2))
        dcg = sum(gains[i] * d for i, d in zip(order[:k], discounts))
        ideal = sorted(gains[idx], reverse=True)[:k]
        ndcg.append(dcg / sum(g * d for g, d in zip(ideal, discounts)))
    return {"mrr": float(np.mean(rr)) if rr else None, f"ndcg@{k}": float(np.mean(ndcg)) if ndcg else None,
            "groups": len(rr)}


def time_split(times, cutoff) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (before the cutoff: training; at or after: evaluation)."""
    before = np.asarray([t < cutoff for t in times], dtype=bool)
    return before, ~before


def evaluate(X, gains, groups, times, cutoff, fixed=None, C: float = 1.0, k: int = 5) -> dict:
    """Fit on the pairs decided before `cutoff`, rank those decided after with the learned model and
    with the fixed weights; both metrics, the label counts, and the fitted model ("model")."""
    X, gains, groups = np.asarray(X, dtype=float), np.asarray(gains, dtype=float), list(groups)
    fixed = fixed_scores(X) if fixed is None else np.asarray(fixed, dtype=float)
    train, test = time_split(times, cutoff)
    counts = {"train": int(train.sum()), "train_positive": int((gains[train] > 0).sum()),
              "test": int(test.sum()), "test_positive": int((gains[test] > 0).sum())}
    model = Reranker(C=C).fit(X[train], gains[train])
    test_groups = [g for g, keep in zip(groups, test) if keep]
    return {"counts": counts, "model": model,
            "fixed": ranking_metrics(test_groups, fixed[test], gains[test], k),
            "learned": ranking_metrics(test_groups, model.score_pairs(X[test]), gains[test], k)}


def beats(result: Mapping, margin: float, min_labels: int, k: int = 5) -> bool:
    """Whether a learned model may be switched on: enough labels on both sides of the split, and
    an nDCG@k on the later period above the fixed weights' by at least `margin`."""
    counts = result["counts"]
    if counts["train"] < min_labels or counts["test"] < max(1, min_labels // 4):
        return False
    learned, fixed = result["learned"].get(f"ndcg@{k}"), result["fixed"].get(f"ndcg@{k}")
    return learned is not None and fixed is not None and learned >= fixed + margin
