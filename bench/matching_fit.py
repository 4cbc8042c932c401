"""Fit time and peak memory, and bulk querying on processes, beside the code before (issue 13).

    .venv/bin/python bench/matching_fit.py                       # 100,000 documents, 10,000 queries
    .venv/bin/python bench/matching_fit.py --n 500000 --gram-mode affix --bulk 0

The baseline is the code of ``--baseline-commit`` (before this work), checked out with
``git worktree add`` into ``--baseline-tree`` and run in the same session: every fit runs in a
fresh subprocess (one per code version and size), so that its peak memory is its own. Peak =
growth of the process's resident set high-water mark (VmHWM) during ``fit``, the documents
already in memory; "index" = ``engine.nbytes()`` (CSR + CSC + champion lists + meta), which the
peak includes. Documents are bench/matching_speed.py's synthetic French-like documents.

Bulk: the same 10,000 queries with rules against the new engine, answered by
``engine.query_many`` on one thread, then by ``matching.bulk.query_many`` on processes with the
code of ``--bulk-baseline-commit`` (checked out into ``--bulk-baseline-tree``, run in a subprocess
on this engine saved and loaded) and with this tree's, alternated ``--bulk-repeat`` times; wall
time, and CPU time of the process and its children; answers compared with the one-thread ones.
The machine is shared: the load average is printed beside every row; read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def rss_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(field + ":"))


def fit_worker(tree: str, docs_path: str, params: dict) -> None:
    """Run in a subprocess with ``tree`` first on sys.path: fit once, print one JSON line."""
    sys.path.insert(0, tree)
    from matching import MatchEngine

    with open(docs_path, "rb") as fh:
        docs = pickle.load(fh)
    before = rss_kib("VmRSS")
    t, c = time.perf_counter(), os.times()
    engine = MatchEngine(**params).fit(docs)
    wall, c2 = time.perf_counter() - t, os.times()
    print(json.dumps({
        "wall": wall,
        "cpu": c2.user + c2.system - c.user - c.system,
        "children_cpu": c2.children_user + c2.children_system - c.children_user - c.children_system,
        "peak_mib": (rss_kib("VmHWM") - before) / 1024,
        "index_mib": engine.nbytes() / 2**20,
        "nnz": int(engine.index_.main.nnz),
    }))


def run_fit(tree: str, docs_path: str, params: dict) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--fit-worker", tree, docs_path, json.dumps(params)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline_tree(path: str, commit: str) -> str:
    if not os.path.isdir(path):
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", path, commit], check=True,
                       capture_output=True)
    return path


def timed(fn):
    t, c = time.perf_counter(), os.times()
    result = fn()
    for matches in result:  # reasons read as the service stores them (they may be computed lazily)
        for m in matches:
            m.reasons
    c2 = os.times()
    cpu = c2.user + c2.system - c.user - c.system + c2.children_user + c2.children_system - c.children_user - c.children_system
    return result, time.perf_counter() - t, cpu


def bulk_worker(tree: str, engine_path: str, queries_path: str, out_path: str, n_jobs: int) -> None:
    """Run in a subprocess with ``tree`` first on sys.path: load the engine saved by `bulk_rows`,
    answer its queries with that tree's ``matching.bulk.query_many``, print one JSON line and
    write the answers (plain matches) to ``out_path``."""
    sys.path.insert(0, tree)
    from matching import MatchEngine
    from matching.bulk import query_many

    engine = MatchEngine.load(engine_path)
    with open(queries_path, "rb") as fh:
        queries, where = pickle.load(fh)
    engine.query(queries[0], k=10, where=where[0])  # caches warm, as in bulk_rows
    answers, wall, cpu = timed(lambda: query_many(engine, queries, k=10, where=where, n_jobs=n_jobs))
    with open(out_path, "wb") as fh:
        pickle.dump([[(m.id, m.score, m.reasons) for m in ms] for ms in answers], fh)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def plain(answers) -> list:
    return [[(m.id, m.score, m.reasons) for m in ms] for ms in answers]


def bulk_rows(docs, n_bulk: int, params: dict, n_jobs: int, base: str | None, base_label: str,
              repeat: int = 1) -> list[str]:
    """The bulk table: one thread, then (``repeat`` times, alternated) the process path of the
    code in ``base`` (a subprocess on an engine saved by this one) and this tree's."""
    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    from matching_speed import make_docs, rules_for

    from matching import MatchEngine
    from matching.bulk import query_many

    engine = MatchEngine(**params).fit(docs)
    queries = make_docs(n_bulk, seed=2, prefix="q", length=(8, 25))
    where = [rules_for(q) for q in queries]
    engine.query(queries[0], k=10, where=where[0])  # caches warm, as in a worker
    rows = []
    head = f"| {len(docs):,} | {n_bulk:,} queries"
    threads = engine.n_jobs
    engine.set_params(n_jobs=1)
    one, wall1, cpu1 = timed(lambda: engine.query_many(queries, k=10, where=where))
    engine.set_params(n_jobs=threads)
    one = plain(one)
    rows.append(f"{head}, `engine.query_many`, 1 thread | {wall1:.1f} s | {cpu1:.1f} s | 1.0x | {load()} |")
    with tempfile.TemporaryDirectory() as tmp:
        paths = {name: os.path.join(tmp, name) for name in ("engine.npz", "queries.pkl", "answers.pkl")}
        if base:
            engine.save(paths["engine.npz"])
            with open(paths["queries.pkl"], "wb") as fh:
                pickle.dump((queries, where), fh, protocol=pickle.HIGHEST_PROTOCOL)
        for _ in range(repeat):
            if base:
                cmd = [sys.executable, os.path.abspath(__file__), "--bulk-worker", base, paths["engine.npz"],
                       paths["queries.pkl"], paths["answers.pkl"], str(n_jobs)]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=base)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                with open(paths["answers.pkl"], "rb") as fh:
                    same = "identical answers" if pickle.load(fh) == one else "ANSWERS DIFFER"
                rows.append(f"{head}, `matching.bulk.query_many` of {base_label}, n_jobs={n_jobs} | {r['wall']:.1f} s | "
                            f"{r['cpu']:.1f} s | {wall1 / r['wall']:.1f}x ({same}) | {load()} |")
            procs, wall3, cpu3 = timed(lambda: query_many(engine, queries, k=10, where=where, n_jobs=n_jobs))
            same = "identical answers" if plain(procs) == one else "ANSWERS DIFFER"
            rows.append(f"{head}, `matching.bulk.query_many` now, n_jobs={n_jobs} ({os.cpu_count()} cores) | "
                        f"{wall3:.1f} s | {cpu3:.1f} s | {wall1 / wall3:.1f}x ({same}) | {load()} |")
    return rows


def bulk_table(docs, args, params) -> None:
    base = baseline_tree(args.bulk_baseline_tree, args.bulk_baseline_commit) if args.bulk_baseline_commit else None
    print("\n| docs | bulk | wall | CPU (+ children) | speed-up (wall) | load avg |")
    print("| ---: | --- | ---: | ---: | ---: | --- |")
    for row in bulk_rows(docs, args.bulk, params, args.n_jobs, base, args.bulk_baseline_commit, args.bulk_repeat):
        print(row, flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--fit-worker":
        fit_worker(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--bulk-worker":
        bulk_worker(*sys.argv[2:6], int(sys.argv[6]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--bulk", type=int, default=10_000, help="queries in bulk (0: skip)")
    parser.add_argument("--n-jobs", type=int, default=-1, help="processes for bulk (-1: all cores)")
    parser.add_argument("--gram-mode", choices=["char", "affix"], default="char")
    parser.add_argument("--baseline-commit", default="83049f9")
    parser.add_argument("--baseline-tree", default="/tmp/fit-base")
    parser.add_argument("--repeat", type=int, default=1, help="fits per code version (medians)")
    parser.add_argument("--skip-fit", action="store_true", help="bulk rows only (e.g. copied into another branch's tree)")
    parser.add_argument("--bulk-baseline-commit", default="6a43ae5",
                        help="code whose process path is timed beside this tree's ('': none)")
    parser.add_argument("--bulk-baseline-tree", default="/tmp/bulk-base")
    parser.add_argument("--bulk-repeat", type=int, default=1, help="baseline / now process runs, alternated")
    args = parser.parse_args()
    params = {"gram_mode": "affix", "gram_sizes": [4, 6]} if args.gram_mode == "affix" else {}

    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    from matching_speed import make_docs

    print(f"load average (1/5/15 min) at start: {load()}; {os.cpu_count()} cores; MatchEngine(**{params})", flush=True)
    t = time.perf_counter()
    docs = make_docs(args.n, seed=1, prefix="d")
    with tempfile.TemporaryDirectory() as tmp:
        if args.skip_fit:
            return bulk_table(docs, args, params)
        base = baseline_tree(args.baseline_tree, args.baseline_commit)
        docs_path = os.path.join(tmp, "docs.pkl")
        with open(docs_path, "wb") as fh:
            pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"{args.n:,} documents generated in {time.perf_counter() - t:.0f} s", flush=True)
        print()
        print("| docs | code | fit wall | fit CPU (+ children) | peak RSS growth | index | peak / index | load avg |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
        results = {}
        for _ in range(args.repeat):
            for label, tree in ((f"before ({args.baseline_commit})", base), ("now", ROOT)):
                r = run_fit(tree, docs_path, params)
                results.setdefault(label, []).append(r)
                print(f"| {args.n:,} | {label} | {r['wall']:.1f} s | {r['cpu']:.1f} s (+ {r['children_cpu']:.1f} s) | "
                      f"{r['peak_mib']:.0f} MiB | {r['index_mib']:.0f} MiB | {r['peak_mib'] / r['index_mib']:.2f} | {load()} |", flush=True)
        (before, *_), (now, *_) = results.values()
        med = {k: statistics.median(x["wall"] for x in v) for k, v in results.items()}
        cpu = {k: statistics.median(x["cpu"] for x in v) for k, v in results.items()}
        b, n = med.values()
        bc, nc = cpu.values()
        print(f"\nfit medians: wall before {b:.1f} s, now {n:.1f} s ({b / n:.1f}x); CPU of the parent before {bc:.1f} s, "
              f"now {nc:.1f} s; peak {before['peak_mib']:.0f} -> {now['peak_mib']:.0f} MiB")
    if args.bulk:
        bulk_table(docs, args, params)
    print(f"\nload average at end: {load()}")


if __name__ == "__main__":
    main()
