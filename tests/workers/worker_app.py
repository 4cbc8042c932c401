"""The Celery application run by the worker subprocesses of tests/workers.

`celery -A tests.workers.worker_app worker`: the settings come as JSON in ESSAIM_WORKER_TEST_CONFIG,
written by tests/workers/stack.py, so the worker shares the test's database, Redis, SMTP server and
matching index directory. An entry point like wsgi.py: building the app at import is its job.
"""
import json
import os

from config import TestingConfig
from marketplace import create_app

app = create_app(TestingConfig, **json.loads(os.environ["ESSAIM_WORKER_TEST_CONFIG"]))
celery_app = app.extensions["celery"]


@celery_app.task(name="tests.report_index")
def report_index(kind: str, path: str) -> None:
    """Write what this worker process's engine of `kind` holds: the seq it had, the seq it caught
    up to and its live ids (tests/workers/test_index_deltas.py routes it to one worker's queue)."""
    from marketplace.suggestions import index as matching_index

    cached = matching_index._CACHE.get(kind)
    before = None if cached is None else cached.seq
    engine = matching_index.current(kind)
    report = {"pid": os.getpid(), "before": before, "seq": engine.seq, "generation": engine.generation,
              "ids": sorted(engine.row_of_)}
    with open(path, "w") as fh:
        json.dump(report, fh)


def _pause_at(where: str, marker: str) -> None:
    """Fault injection: at `where` ("log": the change row added, not committed; "replay": the
    change committed, not applied in memory), touch `marker` and hang until killed."""
    import time

    from marketplace.suggestions import index_log, shared_engine

    def hang():
        open(marker, "w").close()
        time.sleep(600)

    if where == "log":
        add_change = index_log.add_change

        def add_change_then_hang(*args, **kwargs):
            add_change(*args, **kwargs)
            hang()

        index_log.add_change = add_change_then_hang
    else:
        apply = shared_engine.SharedEngine.apply

        def hang_then_apply(self, changes):
            if any(c.op == "upsert" for c in changes):
                hang()
            return apply(self, changes)

        shared_engine.SharedEngine.apply = hang_then_apply


if os.environ.get("ESSAIM_TEST_PAUSE_AT"):
    _pause_at(os.environ["ESSAIM_TEST_PAUSE_AT"], os.environ["ESSAIM_TEST_PAUSE_MARKER"])


@celery_app.task(name="tests.apply_change")
def apply_change(kind: str, item_id: int) -> None:
    """Only the index part of publishing (`match_offer` without storing suggestions): the test of
    1,000 concurrent publishes stays within a minute on a loaded 2-core machine."""
    from marketplace.suggestions import index as matching_index

    matching_index.apply_change(kind, item_id)
    import redis

    redis.Redis.from_url(app.config["REDIS_URL"]).incr(f"tests:applied:{kind}")
