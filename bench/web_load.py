"""The pages of issue 13 under load, on PostgreSQL at national scale, beside the code they replace.

    apt-get install -y wrk                                      # the load tool (Debian package)
    .venv/bin/python bench/web_load.py                          # 100,000 offers, 50,000 needs
    .venv/bin/python bench/web_load.py --offers 20000 --needs 10000 --duration 10 --users 10
    .venv/bin/python bench/web_load.py --only queue                # the coordinator queue rows only

Builds the data once in a schema of its own (TEST_DATABASE_URL or the local PostgreSQL; dropped
at the end) with bench/stats_export.py's generator (1,000 collectivities, 100,000 published
offers, 50,000 open needs, 20,000 suggestions, 5,000 pairings), then serves it with gunicorn
(2 workers) twice: the baseline revision (default: the commit before issue 13's lists, checked
out in a temporary git worktree, on the schema without the indexes this work added), then this
checkout (with them). Each page is loaded by wrk (2 threads, --users connections, --duration s)
and the table gives requests/s, p50 and p95 latency and failed responses, with the load average.
EXPLAIN (ANALYZE, BUFFERS) of each list query is printed for both schemas: the statements the
application really sends for each list page (captured from this checkout), with their parameters.
Both schemas are VACUUM ANALYZEd after the seed, as autovacuum leaves a live database (without it,
every index-only scan visits the heap). `--only offers,healthz` runs the rows whose name contains
one of the words.

The data set takes minutes to build. `--keep` leaves the schema in place at the end (its name is
printed) and `--reuse bench_xxxxxxxxxx` serves that schema's data as they are, without building
them again (nor dropping them: `DROP SCHEMA bench_xxxxxxxxxx CASCADE` when done); the table then
gives the schema's own counts. bench/queue_profile.py profiles one queue view on such a schema.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queue_load import COORDINATOR, coordinator_cookie  # noqa: E402  (bench/ on the path first)
from wrk_load import BIN, SECRET, WRK_REPORT, load, paths_of, serve  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BASELINE = "8e4e7d0"
PAGES = [
    ("home page, anonymous", "/", False),
    ("offers list, page 1", "/offres/", False),
    ("offers list, page 500", "/offres/?page=500", False),
    ("offers list, q=urbanisme", "/offres/?q=urbanisme", False),
    ("coordinator queue", "/coordination/", True),
    # What coordinators really open, in turn on every connection: no view serves the same page twice
    # in a row, so the figure holds for any page, not for one kept warm.
    ("coordinator queue, 8 pages, orders and filters in turn", (
        "/coordination/", "/coordination/?page=2", "/coordination/?page=9", "/coordination/?sort=age",
        "/coordination/?sort=age&page=4", "/coordination/?domain=urbanisme", "/coordination/?min_score=0.8&page=3",
        "/coordination/?departement=13"), True),
]
QUEUE_INDEXES = ("ix_suggestions_score", "ix_suggestions_created_at", "ix_skill_offers_agent_id_id")
NEW_INDEXES = ("ix_skill_offers_status_published", "ix_needs_status_published",
               "ix_skill_offers_search_trgm", "ix_needs_search_trgm", "ix_needs_visible_published")
# Issue 13's other pages: the needs list, the national statistics, the health check.
MORE_PAGES = [
    ("needs list, page 1", "/besoins/", False),
    ("needs list, page 500", "/besoins/?page=500", False),
    ("/healthz", "/healthz", False),
    # Last: a slow baseline leaves requests queued in gunicorn after wrk stops, which would delay
    # the rows after it.
    ("national statistics, anonymous", "/statistiques/", False),
]
LIST_PATHS = ("/offres/", "/offres/?page=500", "/offres/?q=urbanisme", "/besoins/", "/besoins/?page=500")
def create_indexes(conn) -> None:
    """The indexes of migrations scale_list_indexes, queue_scale_indexes and queue_agent_offers_index
    (the ordering one also comes with create_all)."""
    from sqlalchemy import text

    for table in ("skill_offers", "needs"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_status_published ON {table} (status, published_at, id)"))
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    for table in ("skill_offers", "needs"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON {table} "
                          "USING gin (search_text public.gin_trgm_ops)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_suggestions_score ON suggestions (score, id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_suggestions_created_at ON suggestions (created_at, id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_skill_offers_agent_id_id ON skill_offers (agent_id, id)"))
    conn.execute(text("ANALYZE"))


def create_needs_index(conn) -> None:
    """The index of migration lists_needs_visible_index (also created by create_all)."""
    from sqlalchemy import text

    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_needs_visible_published ON needs (published_at, id) "
                      "WHERE status IN ('open', 'in_progress')"))


def drop_indexes(conn, keep=()) -> None:
    from sqlalchemy import text

    for name in NEW_INDEXES + QUEUE_INDEXES:
        if name not in keep:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    conn.execute(text("ANALYZE"))


def baseline_indexes(revision: str) -> set[str]:
    """Those of NEW_INDEXES and QUEUE_INDEXES that the baseline revision already creates: the four of
    migration scale_list_indexes (named by f-strings there) if it has it, any other named in its
    sources (a baseline that has the queue's indexes keeps them)."""
    first = subprocess.run(["git", "cat-file", "-e", f"{revision}:migrations/versions/scale_list_indexes.py"],
                           cwd=ROOT, capture_output=True).returncode == 0
    return {name for name in NEW_INDEXES + QUEUE_INDEXES if (first and name in NEW_INDEXES[:4]) or subprocess.run(
        ["git", "grep", "-q", name, revision, "--", "migrations", "marketplace/models"], cwd=ROOT).returncode == 0}


def vacuum(conn) -> None:
    from sqlalchemy import text

    for table in ("skill_offers", "needs", "collectivities", "collectivity_departements", "pairings", "suggestions"):
        conn.execute(text(f"VACUUM ANALYZE {table}"))


def selected(pages: list, only: str) -> list:
    """The rows whose name contains one of the comma-separated words of --only (all without it)."""
    words = [word.strip().lower() for word in (only or "").split(",") if word.strip()]
    return [page for page in pages if not words or any(word in page[0].lower() for word in words)]


def list_statements(app) -> list[tuple[str, str, object]]:
    """(page, SQL, parameters) of every statement on offers or needs that a first view of each list
    page sends (so the total is counted too), captured from the application of this checkout."""
    from sqlalchemy import event

    from marketplace.core.extensions import db

    captured: list = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, parameters, *_args):
        if statement.lstrip().upper().startswith("SELECT") and re.search(r"\b(skill_offers|needs)\b", statement):
            captured.append((current, statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        client = app.test_client()
        for current in LIST_PATHS:
            client.get(current)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return captured


def explain_statements(conn, label: str, statements) -> list[str]:
    lines = []
    for page, statement, parameters in statements:
        lines.append(f"\n-- {label}: GET {page}\n{statement}\n")
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines.extend(row[0] for row in plan)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=50_000)
    parser.add_argument("--users", default="10,50")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--suggestions", type=int, default=500_000, help="suggestions in all, for the queue")
    parser.add_argument("--baseline", default=BASELINE, help="git revision served as the baseline")
    parser.add_argument("--only", default="", help="comma-separated words: run the rows whose name contains one")
    parser.add_argument("--keep", action="store_true", help="leave the schema in place at the end, for --reuse")
    parser.add_argument("--reuse", default="", help="the name of a schema left by --keep: its data, not rebuilt")
    args = parser.parse_args()
    pages = selected(PAGES + MORE_PAGES, args.only)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    from sqlalchemy import create_engine, text

    from config import TestingConfig
    from marketplace import create_app
    from marketplace.core.extensions import db
    from stats_export import seed

    schema = args.reuse or f"bench_{uuid.uuid4().hex[:10]}"
    if not re.fullmatch(r"bench_[0-9a-f]{10}", schema):
        sys.exit(f"--reuse takes the name of a schema left by --keep (bench_ and 10 hex digits), not {schema!r}")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not args.reuse:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        elif not conn.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}):
            sys.exit(f"no schema {schema} in {PG_URL}")
    # Named, so that the queries of a baseline server stopped mid-query can be ended (a killed worker
    # leaves its 20 s queue query running in PostgreSQL, which would load the next server's rows).
    served_url = f"{PG_URL}?options=-csearch_path%3D{schema}&application_name={schema}"
    work = Path(tempfile.mkdtemp(prefix="essaim-web-load-"))
    baseline_dir = work / "baseline"
    app = create_app(TestingConfig, SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=PG_URL, SQLALCHEMY_ENGINE_OPTIONS={
        "connect_args": {"options": f"-csearch_path={schema}"}})
    script = work / "report.lua"
    script.write_text(WRK_REPORT)
    results: dict[tuple, dict] = {}
    plans: list[str] = []
    load_averages = [os.getloadavg()]
    try:
        with app.app_context():
            if args.reuse:
                args.offers, args.needs, args.suggestions = (db.session.scalar(text(f"SELECT count(*) FROM {t}"))
                                                             for t in ("skill_offers", "needs", "suggestions"))
            else:
                db.create_all()
                started = time.perf_counter()
                seed(args.offers, args.needs)
                if args.keep or any(signed for _name, _path, signed in pages):  # a kept schema serves every row
                    from queue_load import seed_queue

                    seed_queue(args.suggestions, args.offers, args.needs)
                print(f"seeded {args.offers:,} offers and {args.needs:,} needs in "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
            cookie = coordinator_cookie(app)
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline_dir), args.baseline], cwd=ROOT,
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "pybabel"), "compile", "-q", "-d", "marketplace/translations"],
                       cwd=baseline_dir, capture_output=True)
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT",
                               connect_args={"options": f"-csearch_path={schema}"})
        with engine.connect() as conn:
            vacuum(conn)
        statements = list_statements(app)
        kept = baseline_indexes(args.baseline)
        phases = (("baseline", baseline_dir, lambda conn: (drop_indexes(conn, keep=kept), vacuum(conn))),
                  ("now", ROOT, lambda conn: (create_indexes(conn), create_needs_index(conn), vacuum(conn))))
        for label, source, prepare in phases:
            with engine.connect() as conn:
                prepare(conn)
                plans += explain_statements(conn, label, statements)
            if label == "now" and any(signed for _name, _path, signed in pages):
                from queue_load import explain_queue

                explain_queue(app, COORDINATOR)
            load_averages.append(os.getloadavg())
            port = 18000 + (os.getpid() % 1000)
            server = serve(source, served_url, port, work / f"{label}.log")
            try:
                for name, path, signed in pages:
                    if signed:  # what one view weighs (the issue measured a 500 KB queue page)
                        request = urllib.request.Request(f"http://127.0.0.1:{port}{paths_of(path)[0]}",
                                                         headers={"Cookie": cookie})
                        started = time.perf_counter()
                        try:
                            size = f"{len(urllib.request.urlopen(request, timeout=120).read()) / 1024:.0f} KB"
                        except OSError as error:  # the baseline may not answer within gunicorn's 30 s
                            size = f"no page ({error})"
                        print(f"{label:8} {name:40} one view: {size}, {time.perf_counter() - started:.1f} s",
                              file=sys.stderr)
                for _name, path, signed in pages:  # first views: imports, caches, connections
                    for one in paths_of(path) * 3:
                        request = urllib.request.Request(f"http://127.0.0.1:{port}{one}",
                                                         headers={"Cookie": cookie} if signed else {})
                        try:
                            urllib.request.urlopen(request, timeout=60).read()
                        except OSError:
                            pass
                for name, path, signed in pages:
                    for users in [int(u) for u in args.users.split(",")]:
                        results[(name, users, label)] = load(port, path, users, args.duration,
                                                             cookie if signed else None, script)
                        print(f"{label:8} {name:40} {users:3} users {results[(name, users, label)]}", file=sys.stderr)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:  # workers stuck in a long query (the baseline queue)
                    server.kill()
                    server.wait(timeout=30)
                with engine.connect() as conn:
                    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                      "WHERE application_name = :name"), {"name": schema})
        engine.dispose()
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline_dir)], cwd=ROOT, capture_output=True)
        if args.keep or args.reuse:
            print(f"schema {schema} kept: --reuse {schema}", file=sys.stderr)
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    load_averages.append(os.getloadavg())
    load_average = " -> ".join(f"{x[0]:.1f}" for x in load_averages)
    print(f"\n{args.offers:,} offers, {args.needs:,} needs, {args.suggestions:,} suggestions, PostgreSQL, gunicorn 2 workers, wrk 2 threads, "
          f"{args.duration} s per row; baseline {args.baseline} (indexes it already had kept: "
          f"{', '.join(sorted(kept)) or 'none'}); load average (1 min) at start, before baseline, before now, "
          f"at the end: {load_average}\n")
    print("| page | users | baseline req/s | now req/s | ratio | baseline p50 / p95 ms | now p50 / p95 ms | failed (base / now) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, _path, _signed in pages:
        for users in [int(u) for u in args.users.split(",")]:
            base, now = results[(name, users, "baseline")], results[(name, users, "now")]
            ratio = f"{now['rps'] / base['rps']:.1f}x" if base["rps"] else "∞"
            print(f"| {name} | {users} | {base['rps']:.1f} | {now['rps']:.1f} | {ratio} | "
                  f"{base['p50']:.0f} / {base['p95']:.0f} | {now['p50']:.0f} / {now['p95']:.0f} | "
                  f"{base['failed']} / {now['failed']} |")
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the list queries (this checkout's statements; baseline = the schema "
          "without the indexes it lacked)")
    print("\n".join(plans))


if __name__ == "__main__":
    main()
