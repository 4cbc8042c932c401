"""Champion size and query budget against overlap@10 at national scale, on one fitted index.

    .venv/bin/python bench/matching_sizing.py --n 2000000 --queries 50

Fits MatchEngine once on ``n`` synthetic documents (bench/matching_speed.py's generator),
prints its time (CPU of the parent and of the analysis processes) and its peak memory (growth of
VmHWM, the documents already loaded) beside the index, computes the exhaustive answers (with the benchmark's rules) once, then for each champion size
rebuilds the champion lists and, for each query budget, measures overlap@10 with the exhaustive
answer and the median CPU time per query. Prints a markdown table and the load average.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from matching_fit import rss_kib  # noqa: E402
from matching_speed import make_docs, rules_for  # noqa: E402

from matching import MatchEngine  # noqa: E402
from matching.rules import Rules  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--sizes", default="2000,8000,20000")
    parser.add_argument("--budgets", default="30000,100000,300000")
    parser.add_argument("--reranks", default="100")
    parser.add_argument("--gram-mode", choices=["char", "affix"], default="char",
                        help="affix: the national-scale setting (a quarter of char's memory at 2,000,000)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    t = time.perf_counter()
    docs = make_docs(args.n, seed=1, prefix="d")
    qs = make_docs(args.queries, seed=2, prefix="q", length=(8, 25))
    print(f"generated {args.n:,} documents in {time.perf_counter() - t:.0f} s", flush=True)
    rss_before = rss_kib("VmRSS")
    t, c = time.perf_counter(), os.times()
    engine = MatchEngine(gram_mode=args.gram_mode).fit(docs)
    c2 = os.times()
    children = c2.children_user + c2.children_system - c.children_user - c.children_system
    peak = (rss_kib("VmHWM") - rss_before) / 1024
    index_mib = engine.nbytes() / 2**20
    print(f"fitted in {time.perf_counter() - t:.0f} s wall, {c2.user + c2.system - c.user - c.system:.0f} s cpu in "
          f"the parent (+ {children:.0f} s in the analysis processes); index {index_mib:,.0f} MiB, peak RSS growth "
          f"{peak:,.0f} MiB ({peak / index_mib:.2f}x the index); load average {os.getloadavg()[0]:.2f}", flush=True)
    del docs
    gc.collect()
    rules = [Rules.coerce(rules_for(q)) for q in qs]
    vectors = [engine._query_vector(q) for q in qs]
    c = time.process_time()
    exact = [set(engine._search_exact(v, r, 10)[0].tolist()) for v, r in zip(vectors, rules)]
    print(f"exhaustive search: {(time.process_time() - c) / len(qs) * 1e3:.1f} ms cpu per query (mean)", flush=True)
    print(f"exhaustive answers: {sum(1 for e in exact if e)} non-empty of {len(exact)}; "
          f"median size {np.median([len(e) for e in exact]):.0f}", flush=True)
    print("| docs | champion_size | query_budget | rerank_size | overlap@10 | cpu median per search (ms) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    index = engine.index_
    for size in [int(x) for x in args.sizes.split(",")]:
        engine.champion_size = index.champion_size = size
        index._set_main(index.main)
        for budget, rerank in [(int(b), int(r)) for b in args.budgets.split(",") for r in args.reranks.split(",")]:
            engine.query_budget, engine.rerank_size = budget, rerank
            engine._search(vectors[0], rules[0], 10)
            shares, cpu = [], []
            for v, r, e in zip(vectors, rules, exact):
                c = time.process_time()
                got = set(engine._search(v, r, 10)[0].tolist())
                cpu.append(time.process_time() - c)
                if e:
                    shares.append(len(got & e) / len(e))
            print(f"| {args.n:,} | {size:,} | {budget:,} | {rerank:,} | {np.mean(shares):.3f} | {np.median(cpu) * 1e3:.2f} |",
                  flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
