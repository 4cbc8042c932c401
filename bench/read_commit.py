"""What ending read-only requests with COMMIT instead of ROLLBACK saves (issue 13), on PostgreSQL.

    .venv/bin/python bench/web_load.py --only queue --users 10 --duration 5 --keep   # prints the schema
    .venv/bin/python bench/read_commit.py bench_0123456789
    .venv/bin/python bench/read_commit.py bench_0123456789 --path '/offres/?page=500' --blocks 10

psycopg prepares a statement on its sixth run on a connection and deallocates them all at a
ROLLBACK; `core.unit_of_work.end_request` commits requests that wrote nothing, so the statements
stay prepared. This serves each path in this process through Flask's test client (every request
in an application context of its own, as under gunicorn), signed in as the bench's coordinator
(or not: --anonymous), in alternating blocks with the hook in place ("commit", this code) and removed ("rollback", the
code before it), on one pooled connection, so both see the same data, caches and machine load.
The first half of each block is discarded (the statements are prepared again after a switch).
Prints the median wall and CPU time of a view for each, and the load average.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("schema", help="a schema left by bench/web_load.py --keep")
    parser.add_argument("--path", action="append", help="a page (repeatable); /coordination/ without")
    parser.add_argument("--blocks", type=int, default=8, help="blocks of each kind, alternating")
    parser.add_argument("--views", type=int, default=12, help="views a block (the first half warms up)")
    parser.add_argument("--anonymous", action="store_true", help="not signed in (the public pages)")
    args = parser.parse_args()

    from config import config_from_env
    from marketplace import create_app
    from marketplace.core.unit_of_work import end_request
    from queue_load import coordinator
    from tests.tools.sessions import sign_in
    from web_load import PG_URL, SECRET

    app = create_app(config_from_env(), SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=PG_URL,
                     SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={args.schema}"}})
    client = app.test_client()
    if not args.anonymous:
        with app.app_context():
            sign_in(client, coordinator())
    hooks = app.teardown_appcontext_funcs
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print("| page | rollback: wall / CPU ms | commit: wall / CPU ms | wall ratio |")
    print("| --- | ---: | ---: | ---: |")
    for path in args.path or ["/coordination/"]:
        views: dict[str, list[tuple[float, float]]] = {"rollback": [], "commit": []}
        for _block in range(args.blocks):
            for mode in ("rollback", "commit"):
                if mode == "rollback" and end_request in hooks:
                    hooks.remove(end_request)
                elif mode == "commit" and end_request not in hooks:
                    hooks.append(end_request)  # runs first: Flask calls teardowns in reverse
                for i in range(args.views):
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = client.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                    if i >= args.views // 2:
                        views[mode].append((time.perf_counter() - wall, time.process_time() - cpu))
        (rw, rc), (cw, cc) = ((statistics.median(v[0] for v in views[m]) * 1000,
                               statistics.median(v[1] for v in views[m]) * 1000) for m in ("rollback", "commit"))
        print(f"| `{path}` | {rw:.1f} / {rc:.1f} | {cw:.1f} / {cc:.1f} | {rw / cw:.2f}x |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
