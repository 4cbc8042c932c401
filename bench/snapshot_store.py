"""Publishing and loading a snapshot of a 100,000-offer index: the folder store against the database.

    .venv/bin/python bench/snapshot_store.py                 # 100,000 documents, 3 runs each
    .venv/bin/python bench/snapshot_store.py --n 20000 --repeat 5

The engine is fitted once on bench/matching_speed.py's synthetic documents (NAF words plus
pseudo-words, tags and rules meta). Each run goes through `marketplace.suggestions.snapshots` as
the index does, on PostgreSQL (TEST_DATABASE_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test,
a schema of its own, dropped at the end):

- publish, folder: `write` = MatchEngine.save into MATCHING_INDEX_DIR;
- publish, database: the same save into a temporary file of the local cache, then its upload in
  chunks of `snapshot_rows.CHUNK_BYTES`, each committed;
- load, folder: MatchEngine.load of the file (in the page cache: the writer just wrote it);
- load, database, empty cache: another machine: the download into its cache, then the load;
- load, database, cached: the same machine again (no download);
- upload alone, download alone: the transfer without the save or the load (what the database
  store adds to the folder's times; its Python peak is the chunks held at once).

Wall times are medians of the runs (min-max beside them), CPU is this process's only (PostgreSQL's
work is in the wall time); with --trace, "Python peak" is tracemalloc's peak during the operation
(a load's includes the engine it builds). The load average is printed before and after.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matching_speed import make_docs  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(fn) -> tuple[float, float, float]:
    """(wall s, CPU s, Python peak MiB) of one call."""
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, cpu, peak


def measure(app, shared, root: Path, repeat: int, trace: bool) -> dict:
    """Every operation `repeat` times: name -> list of (wall, CPU, peak)."""
    from marketplace.suggestions import index as matching_index, snapshot_rows, snapshots

    results: dict[str, list] = {}

    def run(name, store, folder, fn):
        app.config.update(MATCHING_SNAPSHOT_STORE=store, MATCHING_INDEX_DIR=str(folder))
        matching_index.reset_cache()
        if trace:
            results.setdefault(name, []).append(_timed(fn))
        else:  # tracemalloc slows allocation-heavy code: time without it unless asked
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            results.setdefault(name, []).append((time.perf_counter() - wall, time.process_time() - cpu, None))

    for i in range(repeat):
        key = snapshots.new_name("offers", 1, shared.seq)
        run("folder: publish", "folder", root / "folder", lambda: snapshots.write(key, shared.save))
        run("folder: load", "folder", root / "folder", lambda: _must(snapshots.load(key)))
        file = root / "folder" / key
        results["size"] = file.stat().st_size
        alone = f"offers-alone-{i}.npz"
        run("database: upload alone", "database", root / "folder", lambda: snapshot_rows.upload(alone, "offers", file))
        results["stored"] = _stored_bytes(alone)
        run("database: download alone", "database", root / "folder",
            lambda: _must(snapshot_rows.download(alone, root / f"download-{i}")))
        key = snapshots.new_name("offers", 1, shared.seq)
        run("database: publish", "database", root / "writer", lambda: snapshots.write(key, shared.save))
        download, spent = snapshot_rows.download, results.setdefault("download in the cold load", [])

        def timed_download(name, target):  # the download's share of the cold load below
            started = time.perf_counter()
            try:
                return download(name, target)
            finally:
                spent.append(time.perf_counter() - started)

        snapshot_rows.download = timed_download
        try:
            run("database: load, empty cache", "database", root / f"reader-{i}", lambda: _must(snapshots.load(key)))
        finally:
            snapshot_rows.download = download
        run("database: load, cached", "database", root / f"reader-{i}", lambda: _must(snapshots.load(key)))
        snapshot_rows.remove([alone, key])  # the disk holds one run's rows at a time
        for folder in (root / "folder", root / "writer", root / f"reader-{i}"):
            for stale in folder.glob("offers-*"):
                stale.unlink()
        (root / f"download-{i}").unlink()
    return results


def _stored_bytes(name: str) -> int:
    """What one snapshot's chunks take in PostgreSQL (compressed or not: pg_column_size)."""
    from marketplace.core.extensions import db

    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT sum(pg_column_size(data)) FROM matching_index_snapshot_chunks "
                                    "WHERE name = %s", (name,)).scalar()


def _chunk_mib() -> int:
    from marketplace.suggestions import snapshot_rows

    return snapshot_rows.CHUNK_BYTES // 2**20


def _must(result):
    if result is None or result is False:
        raise RuntimeError("the snapshot did not load: see the log")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="indexed documents")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--trace", action="store_true", help="also the Python memory peak (slower runs)")
    parser.add_argument("--storage", choices=["external", "extended"], default="external",
                        help="PostgreSQL TOAST storage of the chunks: external (the model's: uncompressed) "
                             "or extended (PostgreSQL's default: compressed)")
    args = parser.parse_args()
    os.environ.setdefault("CI", "")
    from matching import MatchEngine

    from marketplace.suggestions.shared_engine import SharedEngine
    from tests.workers.stack import Stack, app_context

    print(f"load average before: {_load()}", file=sys.stderr)
    started = time.perf_counter()
    engine = MatchEngine().fit(make_docs(args.n, seed=1, prefix="o"))
    print(f"fitted {args.n:,} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    shared = SharedEngine(engine, 1, args.n)
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp))
        if not stack.overrides["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            sys.exit("PostgreSQL does not answer: the database store is measured on PostgreSQL only")
        try:
            with app_context(stack) as app:
                if args.storage == "extended":
                    from marketplace.core.extensions import db

                    with db.engine.begin() as conn:
                        conn.exec_driver_sql("ALTER TABLE matching_index_snapshot_chunks "
                                             "ALTER COLUMN data SET STORAGE EXTENDED")
                results = measure(app, shared, Path(tmp), args.repeat, args.trace)
        finally:
            stack.close()
    size, stored = results.pop("size"), results.pop("stored")
    cold_download = float(np.median(results.pop("download in the cold load")))
    print(f"\nload average after: {_load()}; {args.n:,} documents, snapshot {size / 2**20:.0f} MiB, "
          f"{args.repeat} runs; PostgreSQL on the same machine, chunks of {_chunk_mib()} MiB, "
          f"TOAST storage {args.storage}: {stored / 2**20:.0f} MiB stored; the download's share of the "
          f"empty-cache load: {cold_download:.2f} s (median)")
    print("\n| store | operation | wall median (min–max) s | CPU median s | MiB/s (wall) | Python peak MiB |")
    print("|---|---|---:|---:|---:|---:|")
    for name, runs in results.items():
        walls, cpus = np.array([r[0] for r in runs]), np.array([r[1] for r in runs])
        peak = f"{max(r[2] for r in runs):.0f}" if args.trace else "–"
        store, _sep, operation = name.partition(": ")
        print(f"| {store} | {operation} | {np.median(walls):.2f} ({walls.min():.2f}–{walls.max():.2f}) "
              f"| {np.median(cpus):.2f} | {size / 2**20 / np.median(walls):.0f} | {peak} |")


if __name__ == "__main__":
    main()
