"""Offline evaluation of the learned re-ranker (matching/rerank.py) against the fixed weights.

    .venv/bin/python bench/matching_reranker.py                       # simulated labels only
    .venv/bin/python bench/matching_reranker.py --app                 # + the app's stored decisions

Two sources of labels, never mixed, each said in the output:

1. SIMULATED from the paraphrase benchmark (bench/paraphrase_fr.py): each need is one queue, the
   engine's top 10 offers its suggestions; the true offer(s) of a need are the positives, the
   distractors and other needs' offers the negatives. Decision dates are simulated (one need
   per day, in a shuffled order) and the split is in time: the first 70 % of days train, the rest
   evaluate. The corpus has no places, tags or capacities, so those features are simulated too,
   in two scenarios: "no side signal" (distance, capacity, modality drawn at random, independent
   of the label: the learned model has nothing to add and must not be switched on), and
   "coordinators refuse far pairs" (a true pair further than 150 km is rejected, as a
   coordinator would: a signal the fixed weights cannot see).
2. REAL decisions stored by the app (DecisionLabel rows, `--app`, with DATABASE_URL): the demo
   data holds no decisions, so on a fresh install this reports how few there are.

Prints MRR and nDCG@5 of each queue's order (fixed weights vs learned), the label counts, the
switch-on verdict with the app's defaults (200 labels, +0.02 nDCG@5), the machine and load.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import paraphrase_fr  # noqa: E402

from matching import Document, MatchEngine  # noqa: E402
from matching import rerank  # noqa: E402

K = 10
FAR_KM = 150.0
MIN_LABELS, MARGIN = 200, 0.02
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def paraphrase_queues(seed: int = 0):
    """(pairs, gains, groups, times): the engine's top K for each need, labelled by the benchmark."""
    corpus, queries, _kinds = paraphrase_fr.task()
    relevant = paraphrase_fr.relevant_sets()
    engine = MatchEngine(min_score=0.0).fit([Document(i, t) for i, t in corpus])
    results = engine.query_many([Document(f"q{n}", q) for n, (q, _) in enumerate(queries)], k=K)
    days = np.random.default_rng(seed).permutation(len(queries))
    pairs, gains, groups, times = [], [], [], []
    for n, matches in enumerate(results):
        for m in matches:
            pairs.append({"lexical_score": m.score, "fixed_score": m.score})
            gains.append(1.0 if m.id in relevant[n] else -1.0)
            groups.append(n)
            times.append(START + timedelta(days=int(days[n])))
    return pairs, np.array(gains), groups, times


def simulate_side_features(pairs, gains, scenario: str, seed: int = 1):
    """Distance, tags, capacity and modality for pairs that have none; in "far" a true pair further
    than FAR_KM becomes a rejection (what coordinators do), so the labels change too."""
    rng = np.random.default_rng(seed)
    gains = gains.copy()
    out = []
    for i, pair in enumerate(pairs):
        km = float(rng.uniform(0, 400))
        out.append(pair | {"distance_km": km, "shared_tags": int(rng.integers(0, 3)),
                           "capacity_ratio": float(rng.uniform(0.3, 3.0)), "modality_match": bool(rng.random() < 0.6)})
        if scenario == "far" and gains[i] > 0 and km > FAR_KM:
            gains[i] = -1.0
    return out, gains


def run(pairs, gains, groups, times, cutoff) -> dict:
    X = rerank.feature_matrix(pairs)
    t0 = time.perf_counter()
    result = rerank.evaluate(X, gains, groups, times, cutoff, fixed=rerank.fixed_scores(X, pairs))
    result["seconds"] = time.perf_counter() - t0
    return result


def row(source: str, result: dict) -> str:
    c, f, lrn = result["counts"], result["fixed"], result["learned"]

    def fmt(v):
        return "—" if v is None else f"{v:.3f}"

    verdict = "switched on" if rerank.beats(result, MARGIN, MIN_LABELS) else "fixed weights kept"
    return (f"| {source} | {c['train']} ({c['train_positive']}+) | {c['test']} ({c['test_positive']}+) | {f['groups']} "
            f"| {fmt(f['mrr'])} | {fmt(lrn['mrr'])} | {fmt(f['ndcg@5'])} | {fmt(lrn['ndcg@5'])} | {verdict} |")


HEADER = ("| labels | train pairs (+) | later pairs (+) | queues | MRR fixed | MRR learned | nDCG@5 fixed "
          "| nDCG@5 learned | verdict |\n|---|---|---|---|---|---|---|---|---|")


def app_labels():
    """The stored decisions of the app (DATABASE_URL), or None when there are none."""
    from marketplace import create_app
    from marketplace.learning import labels

    app = create_app()
    with app.app_context():
        pairs = labels.training_pairs()
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="store_true", help="also the decisions stored by the app (DATABASE_URL)")
    args = parser.parse_args()
    print(f"Machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPU, "
          f"Python {platform.python_version()}, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    pairs, gains, groups, times = paraphrase_queues()
    cutoff = START + timedelta(days=int(0.7 * len(set(groups))))
    print(f"Time split: decisions before {cutoff:%Y-%m-%d} train, the later ones evaluate. "
          f"Switch-on rule: {MIN_LABELS} training labels and +{MARGIN} nDCG@5.\n")
    print(HEADER)
    print(row("SIMULATED paraphrase, lexical score only", run(pairs, gains, groups, times, cutoff)))
    for scenario, name in (("none", "SIMULATED paraphrase + random side features (no side signal)"),
                           ("far", f"SIMULATED paraphrase + coordinators refuse pairs > {FAR_KM:.0f} km")):
        side, side_gains = simulate_side_features(pairs, gains, scenario)
        print(row(name, run(side, side_gains, groups, times, cutoff)))
    if args.app:
        stored = app_labels()
        if len({p["need_id"] for p in stored}) < 4 or len({p["gain"] > 0 for p in stored}) < 2:
            print(f"| REAL app decisions | {len(stored)} labelled pairs: too few to fit and evaluate | | | | | | | |")
        else:
            stored.sort(key=lambda p: p["decided_at"])
            cut = stored[int(0.7 * len(stored))]["decided_at"]
            print(row("REAL app decisions", run(stored, np.array([p["gain"] for p in stored]),
                                                [p["need_id"] for p in stored], [p["decided_at"] for p in stored], cut)))


if __name__ == "__main__":
    main()
