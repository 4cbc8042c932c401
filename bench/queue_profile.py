"""Where one view of the coordinator queue spends its time (issue 13), on a schema left by web_load.py.

    .venv/bin/python bench/web_load.py --only queue --users 10 --duration 5 --keep   # prints the schema
    .venv/bin/python bench/queue_profile.py bench_0123456789
    .venv/bin/python bench/queue_profile.py bench_0123456789 --path '/coordination/?sort=age&page=3'

Serves the view in this process with the configuration gunicorn gets (ESSAIM_ENV, development by
default) through Flask's test client, signed in as the bench's coordinator, after three warm-up
views per path (imports, the cached total, connections). Then, for --requests views of each path:
the wall and CPU time of a view, every SQL statement with its mean time (the driver's round trip:
PostgreSQL's work plus the wait), and cProfile's share of a view's CPU time for the parts named in
PARTS, then its top functions (by CPU time: waiting for PostgreSQL is not the process's cost).
cProfile adds its own overhead to every Python call: its shares, not its milliseconds, are what to
read; the CPU times per view (whole, in queue_page, in render_template) are measured without it.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# (what the table calls it, the file and the function cProfile names): cumulative time of a view.
PARTS = [
    ("the whole view (Flask dispatch)", "flask/app.py", "full_dispatch_request"),
    ("queue_page (SQL, ranking, items)", "services/queue.py", "queue_page"),
    ("  SQL round trips (psycopg execute)", "psycopg/cursor.py", "execute"),
    ("  ORM rows to objects", "orm/loading.py", "instances"),
    ("render_template (Jinja, whole page)", "flask/templating.py", "render_template"),
    ("  explained reasons (per row)", "suggestions/explain.py", "reasons_view"),
    ("  Babel number formats", "babel/numbers.py", "format_decimal"),
    ("  gettext", "flask_babel/__init__.py", "gettext"),
    ("  url_for", "flask/helpers.py", "url_for"),
    ("  form fields (WTForms widgets)", "wtforms/fields/core.py", "__call__"),
    ("context processors (unread counts...)", "flask/app.py", "update_template_context"),
    ("user and session load (Flask-Login)", "flask_login/login_manager.py", "_load_user"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("schema", help="a schema left by bench/web_load.py --keep")
    parser.add_argument("--path", action="append", help="a page to profile (repeatable); /coordination/ without")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=30, help="how many functions of cProfile's list")
    args = parser.parse_args()
    paths = args.path or ["/coordination/"]

    from sqlalchemy import event

    from config import config_from_env
    from marketplace import create_app
    from marketplace.core.extensions import db
    from tests.tools.sessions import sign_in
    from queue_load import coordinator
    from web_load import PG_URL, SECRET

    app = create_app(config_from_env(), SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=PG_URL,
                     SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={args.schema}"}})
    client = app.test_client()
    with app.app_context():
        sign_in(client, coordinator())
        engine = db.engine
    timings: dict[str, list[float]] = defaultdict(list)
    cpu_in = _cpu_meters()

    def before(_conn, _cursor, _statement, _parameters, context, _many):
        context.started_at = time.perf_counter()

    def after(_conn, _cursor, statement, _parameters, context, _many):
        timings[statement].append(time.perf_counter() - context.started_at)

    for path in paths:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        walls, cpus = [], []
        for spent in cpu_in.values():
            spent.clear()
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        timings.clear()
        try:
            for _ in range(args.requests):
                wall, cpu = time.perf_counter(), time.process_time()
                size = len(client.get(path).data)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
        print(f"\n## GET {path}: {size / 1024:.0f} KB, {args.requests} views: wall median "
              f"{statistics.median(walls) * 1000:.1f} ms, CPU median {statistics.median(cpus) * 1000:.1f} ms "
              f"(min {min(cpus) * 1000:.1f}), {sum(len(t) for t in timings.values()) / args.requests:.0f} statements; "
              + ", ".join(f"{name} {statistics.median(spent) * 1000:.1f} ms" for name, spent in cpu_in.items()))
        print("\n| statement | per view | mean ms |\n| --- | ---: | ---: |")
        for statement, times in sorted(timings.items(), key=lambda kv: -sum(kv[1])):
            short = " ".join(statement.split())[:150]
            print(f"| `{short}` | {len(times) / args.requests:.1f} | {statistics.mean(times) * 1000:.2f} |")
        profile = cProfile.Profile(time.process_time)  # CPU: waiting for PostgreSQL is not the app's cost
        profile.enable()
        for _ in range(args.requests):
            client.get(path)
        profile.disable()
        stats = pstats.Stats(profile)
        whole = max(cumulative for (file, _line, name), (_cc, _nc, _tt, cumulative, _callers)
                    in stats.stats.items() if name == "full_dispatch_request")
        print("\n| part (cProfile, cumulative) | share of the view | calls per view |\n| --- | ---: | ---: |")
        for label, file_end, function in PARTS:
            found = [(calls, cumulative) for (file, _line, name), (_cc, calls, _tt, cumulative, _callers)
                     in stats.stats.items() if name == function and file.endswith(file_end)]
            if found:
                print(f"| {label} | {sum(c for _n, c in found) / whole:.0%} | "
                      f"{sum(n for n, _c in found) / args.requests:.0f} |")
        print()
        stats.sort_stats("tottime").print_stats(args.top)


def _cpu_meters() -> dict[str, list[float]]:
    """CPU time (no profiler) of the queue service and of the rendering in each view, measured by
    wrapping queue.queue_page and the view module's render_template."""
    from marketplace.pairings import coordination_views
    from marketplace.pairings.services import queue

    meters: dict[str, list[float]] = {"CPU in queue_page": [], "CPU in render_template": []}

    def measured(function, spent):
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent.append(time.process_time() - started)
        return wrapper

    queue.queue_page = measured(queue.queue_page, meters["CPU in queue_page"])
    coordination_views.render_template = measured(coordination_views.render_template, meters["CPU in render_template"])
    return meters


if __name__ == "__main__":
    main()
