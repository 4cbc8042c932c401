"""Retrieval quality of MatchEngine against public lexical baselines, in one run.

    .venv/bin/pip install --no-deps -r requirements-bench.txt
    .venv/bin/python bench/matching_quality.py            # markdown table
    .venv/bin/python bench/matching_quality.py --grid     # also a small parameter grid

Methods: scikit-learn's default TfidfVectorizer + cosine; BM25 (bm25s, with its French
or English stop words); BM25 + Snowball stemmer (bm25s + PyStemmer, the strongest
lexical baseline we know of); MatchEngine() with its defaults. Metrics: recall@10,
nDCG@10 and MRR@10 (one relevant document per query), with bootstrap 95% intervals
over queries.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from datasets import all_tasks  # noqa: E402

from matching import Document, MatchEngine  # noqa: E402

K = 10


def ranks_from_lists(retrieved: list[list[str]], relevant: list[str]) -> np.ndarray:
    """1-based rank of the relevant id in each list, 0 when absent from the top K."""
    out = np.zeros(len(relevant), dtype=np.int64)
    for i, (lst, rel) in enumerate(zip(retrieved, relevant)):
        if rel in lst[:K]:
            out[i] = lst.index(rel) + 1
    return out


def run_tfidf(corpus, queries, lang):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    ids = [c[0] for c in corpus]
    vec = TfidfVectorizer().fit([c[1] for c in corpus])
    sims = cosine_similarity(vec.transform([q for q, _ in queries]), vec.transform([c[1] for c in corpus]))
    order = np.argsort(-sims, axis=1, kind="stable")[:, :K]
    return [[ids[j] for j in row] for row in order]


def _bm25(corpus, queries, lang, stem: bool):
    import bm25s

    stemmer = None
    if stem:
        import Stemmer

        stemmer = Stemmer.Stemmer("french" if lang == "fr" else "english")
    ids = [c[0] for c in corpus]
    sw = "fr" if lang == "fr" else "en"
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([c[1] for c in corpus], stopwords=sw, stemmer=stemmer, show_progress=False), show_progress=False)
    q_tokens = bm25s.tokenize([q for q, _ in queries], stopwords=sw, stemmer=stemmer, show_progress=False, return_ids=False)
    # bm25s rejects queries whose every token is unknown; keep an empty result for them.
    vocab = retriever.vocab_dict
    q_tokens = [[t for t in toks if t in vocab] or [next(iter(vocab))] for toks in q_tokens]
    docs, _ = retriever.retrieve(q_tokens, k=min(K, len(ids)), show_progress=False, n_threads=1)
    return [[ids[j] for j in row] for row in docs]


def run_bm25(corpus, queries, lang):
    return _bm25(corpus, queries, lang, stem=False)


def run_bm25_stem(corpus, queries, lang):
    return _bm25(corpus, queries, lang, stem=True)


def engine_runner(**params):
    def run(corpus, queries, lang):
        engine = MatchEngine(**params).fit([Document(i, t) for i, t in corpus])
        results = engine.query_many([Document(f"q{n}", q) for n, (q, _) in enumerate(queries)], k=K)
        return [[m.id for m in res] for res in results]

    return run


def metrics(ranks: np.ndarray) -> dict[str, np.ndarray]:
    """Per-query recall@10, nDCG@10 and MRR@10 from 1-based ranks (0 = missed)."""
    hit = ranks > 0
    safe = np.where(hit, ranks, 1)
    return {
        "recall@10": hit.astype(float),
        "nDCG@10": np.where(hit, 1.0 / np.log2(safe + 1), 0.0),
        "MRR@10": np.where(hit, 1.0 / safe, 0.0),
    }


def bootstrap(values: np.ndarray, n: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """Mean and percentile 95% interval over ``n`` resamples of the queries."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(values), size=(n, len(values)))
    means = values[idx].mean(axis=1)
    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def evaluate(runner, parts) -> np.ndarray:
    """Pooled ranks of one method over the parts of a benchmark."""
    ranks = []
    for task in parts:
        retrieved = runner(task.corpus, task.queries, task.lang)
        ranks.append(ranks_from_lists(retrieved, [rel for _, rel in task.queries]))
    return np.concatenate(ranks)


METHODS = {
    "TfidfVectorizer() + cosine (scikit-learn)": run_tfidf,
    "BM25 (bm25s, stop words)": run_bm25,
    "BM25 + Snowball stems (bm25s + PyStemmer)": run_bm25_stem,
    "MatchEngine(lexicon=None, min_score=0) (before issue 12)": engine_runner(lexicon=None, min_score=0.0),
    "MatchEngine(min_score=0) (fr-admin lexicon, ranking only)": engine_runner(min_score=0.0),
    "MatchEngine() (defaults: lexicon, floor 0.2)": engine_runner(),
    'MatchEngine(gram_mode="affix", gram_sizes=(4, 6), min_score=0)': engine_runner(gram_mode="affix", gram_sizes=(4, 6), min_score=0.0),
}


def table(methods, benchmarks) -> str:
    lines = [
        "| benchmark | queries | docs | method | recall@10 [95% CI] | nDCG@10 [95% CI] | MRR@10 [95% CI] |",
        "| --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    for bench, parts in benchmarks.items():
        nq = sum(len(p.queries) for p in parts)
        nd = len(parts[0].corpus)
        for name, runner in methods.items():
            m = metrics(evaluate(runner, parts))
            cells = []
            for key in ("recall@10", "nDCG@10", "MRR@10"):
                mean, lo, hi = bootstrap(m[key])
                cells.append(f"{mean:.3f} [{lo:.3f}, {hi:.3f}]")
            lines.append(f"| {bench} | {nq} | {nd} | {name} | " + " | ".join(cells) + " |")
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def grid(benchmarks) -> str:
    """nDCG@10 of a few parameter settings (to choose defaults; check on held-out seeds)."""
    settings = [
        dict(min_score=0.0),
        dict(gram_weight=0.0),
        dict(gram_weight=0.5),
        dict(gram_weight=1.5),
        dict(gram_sizes=(3, 4, 5)),
        dict(gram_sizes=(5,)),
        dict(gram_mode="affix", gram_sizes=(4, 6)),
        dict(gram_mode="affix", gram_sizes=(3, 5, 7)),
        dict(max_df=0.05),
    ]
    header = "| params | " + " | ".join(benchmarks) + " |"
    lines = [header, "|" + " --- |" * (len(benchmarks) + 1)]
    for params in settings:
        cells = [f"{metrics(evaluate(engine_runner(**params), parts))['nDCG@10'].mean():.3f}" for parts in benchmarks.values()]
        lines.append(f"| {params} | " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="also print a parameter grid (nDCG@10)")
    parser.add_argument("--only", default="", help="comma-separated substrings of benchmark names")
    args = parser.parse_args()
    benchmarks = all_tasks()
    if args.only:
        keys = args.only.split(",")
        benchmarks = {b: p for b, p in benchmarks.items() if any(k in b for k in keys)}
    start = time.perf_counter()
    if args.grid:
        print(grid(benchmarks) + "\n")
    print(table(METHODS, benchmarks))
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
