"""French paraphrase benchmark (bench/paraphrase_fr.py) and the calibration of the relevance floor.

    .venv/bin/python bench/matching_paraphrase.py            # MRR@10 and recall@3 per method
    .venv/bin/python bench/matching_paraphrase.py --floor    # + score distributions for min_score

Methods: scikit-learn's TfidfVectorizer + cosine, BM25 (bm25s) with and without a Snowball
stemmer, the engine before this work (``MatchEngine(lexicon=None, min_score=0)``) and the
default engine (fr-admin lexicon, floor). Every method ranks the whole corpus (the floor
is not applied for MRR, so methods are compared on ranking only; ``--floor`` reports what
the floor removes).
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import paraphrase_fr  # noqa: E402
from matching_quality import bootstrap, run_bm25, run_bm25_stem, run_tfidf  # noqa: E402

from matching import Document, MatchEngine  # noqa: E402

K = 10


def engine_runner(**params):
    def run(corpus, queries, lang):
        engine = MatchEngine(**{"min_score": 0.0, **params}).fit([Document(i, t) for i, t in corpus])
        results = engine.query_many([Document(f"q{n}", q) for n, (q, _) in enumerate(queries)], k=K)
        return [[m.id for m in res] for res in results]

    return run


METHODS = {
    "TfidfVectorizer() + cosine (scikit-learn)": run_tfidf,
    "BM25 (bm25s, stop words)": run_bm25,
    "BM25 + Snowball stems (bm25s + PyStemmer)": run_bm25_stem,
    "MatchEngine before (lexicon=None)": engine_runner(lexicon=None),
    "MatchEngine() (fr-admin lexicon)": engine_runner(),
}


def ranks(retrieved, relevant) -> np.ndarray:
    """1-based rank of the first relevant id in each list (``relevant``: a set per query), 0 when
    none is in the top K."""
    return np.array([next((n + 1 for n, i in enumerate(lst[:K]) if i in rel), 0) for lst, rel in zip(retrieved, relevant)])


def table(methods, strict: bool = False) -> str:
    """MRR@10 and recall@3 per method; ``strict``: only the paired offer counts as relevant."""
    corpus, queries, kinds = paraphrase_fr.task()
    relevant = [{rel} for _, rel in queries] if strict else paraphrase_fr.relevant_sets()
    kinds = np.array(kinds)
    lines = [
        f"| method | MRR@10 [95% CI] (all {len(queries)}) | recall@3 | MRR acronym ({(kinds == 'acronym').sum()}) "
        f"| MRR synonym ({(kinds == 'synonym').sum()}) | MRR free ({(kinds == 'free').sum()}) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, run in methods.items():
        r = ranks(run(corpus, queries, "fr"), relevant)
        rr = np.where(r > 0, 1.0 / np.maximum(r, 1), 0.0)
        mean, lo, hi = bootstrap(rr)
        by = {k: rr[kinds == k].mean() for k in ("acronym", "synonym", "free")}
        lines.append(f"| {name} | {mean:.3f} [{lo:.3f}, {hi:.3f}] | {((r > 0) & (r <= 3)).mean():.3f} | "
                     f"{by['acronym']:.3f} | {by['synonym']:.3f} | {by['free']:.3f} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def floor_report() -> str:
    """Best score of unrelated queries (paraphrase corpus and NAF corpora) against the score of
    the relevant document of each paraphrase need, for the default engine."""
    from datasets import naf_task

    corpus, queries, _ = paraphrase_fr.task()
    engine = MatchEngine(min_score=0.0).fit([Document(i, t) for i, t in corpus])
    unrelated = [Document(f"u{i}", t) for i, t in enumerate(paraphrase_fr.UNRELATED)]
    top_unrelated = [res[0].score if res else 0.0 for res in engine.query_many(unrelated, k=1)]
    naf = naf_task("groupe", 0)[0]
    naf_engine = MatchEngine(min_score=0.0).fit([Document(i, t) for i, t in naf.corpus])
    top_naf = [res[0].score if res else 0.0 for res in naf_engine.query_many(unrelated, k=1)]
    relevant = []
    for (q, rel), res in zip(queries, engine.query_many([Document("q", q) for q, _ in queries], k=len(corpus))):
        relevant.append(next((m.score for m in res if m.id == rel), 0.0))
    naf_rel = []
    for (q, rel), res in zip(naf.queries, naf_engine.query_many([Document("q", q) for q, _ in naf.queries], k=K)):
        naf_rel.append(next((m.score for m in res if m.id == rel), None))
    naf_rel = np.array([s for s in naf_rel if s is not None])
    relevant = np.array(relevant)
    lines = [
        "| floor | unrelated queries above it (paraphrase corpus) | (NAF groupe corpus) | paraphrase relevant offers below it | NAF relevant (found in top 10) below it |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for floor in (0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20):
        lines.append(
            f"| {floor:.2f} | {sum(s >= floor for s in top_unrelated)}/{len(top_unrelated)} "
            f"| {sum(s >= floor for s in top_naf)}/{len(top_naf)} | {(relevant < floor).sum()}/{len(relevant)} "
            f"| {(naf_rel < floor).sum()}/{len(naf_rel)} |"
        )
    lines.append("")
    lines.append(f"unrelated best scores (paraphrase corpus): max {max(top_unrelated):.3f}, "
                 f"median {np.median(top_unrelated):.3f}; NAF corpus: max {max(top_naf):.3f}")
    lines.append(f"relevant offers: min {relevant.min():.3f}, 5th percentile {np.percentile(relevant, 5):.3f}, median {np.median(relevant):.3f}")
    return "\n".join(lines)


def demo_report() -> str:
    """The same check on the application's demo data (300 offers, 150 needs of
    marketplace/demo/generator.py, as the app indexes them): unrelated queries' best score,
    and how many of each need's top 10 (without a floor) each floor keeps."""
    from marketplace.demo.generator import build_plan

    plan = build_plan()
    offers = [Document(i, f"{o.title}\n{o.description}", tuple(o.tags) + (o.domain,)) for i, o in enumerate(plan.offers)]
    needs = [Document(f"n{i}", f"{n.title}\n{n.description}", tuple(n.tags) + (n.domain,)) for i, n in enumerate(plan.needs)]
    engine = MatchEngine(min_score=0.0).fit(offers)
    unrelated = [r[0].score if r else 0.0 for r in engine.query_many([Document("u", t) for t in paraphrase_fr.UNRELATED], k=1)]
    res = engine.query_many(needs, k=K)
    lines = [f"demo data: {len(offers)} offers, {len(needs)} needs; unrelated best scores max {max(unrelated):.3f}, "
             f"'{paraphrase_fr.UNRELATED[0]}' {unrelated[0]:.3f}", "",
             "| floor | unrelated queries above it | results kept per need (of 10) | needs left with none |",
             "| ---: | ---: | ---: | ---: |"]
    for floor in (0.10, 0.15, 0.20, 0.25):
        kept = [sum(m.score >= floor for m in r) for r in res]
        lines.append(f"| {floor:.2f} | {sum(s >= floor for s in unrelated)}/{len(unrelated)} | {np.mean(kept):.1f} | {kept.count(0)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", action="store_true", help="also report the floor calibration")
    parser.add_argument("--demo", action="store_true", help="also the floor on the app's demo data")
    args = parser.parse_args()
    print(table(METHODS))
    print("\nStrict reading (only the paired offer is relevant):\n")
    print(table(METHODS, strict=True))
    if args.floor:
        print()
        print(floor_report())
    if args.demo:
        print()
        print(demo_report())


if __name__ == "__main__":
    main()
