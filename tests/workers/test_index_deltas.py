"""The delta index on real services (Celery worker subprocesses, Redis, PostgreSQL when it
answers): a worker killed in the middle of a change loses nothing and the next one reaches the
same version; after 1,000 concurrent publishes two workers and the web process hold the same index.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import SkillOffer, User
from marketplace.models.base import utcnow
from marketplace.suggestions import index as matching_index, services as suggestions
from tests.workers import factories, world as w
from tests.workers.stack import app_context, wait_for

pytestmark = pytest.mark.services

INCREMENTAL = {"MATCHING_INLINE_REFIT_BELOW": 0, "MATCHING_REFIT_RATIO": 1000}


def _offer(world: dict, subject: int) -> SkillOffer:
    title, domain, tags = factories.SUBJECTS[subject % len(factories.SUBJECTS)]
    item = SkillOffer(title=f"J'accompagne : {title.lower()}", description="Expérience de terrain.", tags=tags,
                      domain=domain, modality="remote", status="published", agent_id=world["agent_id"],
                      collectivity_id=world["place_id"], days_per_month=4.0, published_at=utcnow())
    db.session.add(item)
    return item


def _publish_offer(world: dict, subject: int) -> int:
    """An offer published the way the listings service does it: row and task intent, one commit."""
    item = _offer(world, subject)
    suggestions.enqueue_matching(item)
    db.session.commit()
    return item.id


def _insert_offer(world: dict, subject: int) -> int:
    item = _offer(world, subject)
    db.session.commit()
    return item.id


def _world() -> dict:
    built = w.build(offers_per_subject=1)
    agent = db.session.scalars(select(User).where(User.email == "agent0@example.fr")).one()
    return {**built, "agent_id": agent.id, "place_id": agent.roles[0].collectivity_id}


def _report(app, tmp_path: Path, worker: str, watch) -> dict:
    """What the worker `worker`'s process holds (its own queue: the report is of that process)."""
    path = tmp_path / f"report-{worker}.json"
    path.unlink(missing_ok=True)
    app.extensions["celery"].send_task("tests.report_index", args=["offers", str(path)], queue=f"report-{worker}")
    wait_for(path.exists, 30, message=f"the report of {worker}", watch=watch)
    return json.loads(path.read_text())


def _here() -> dict:
    db.session.rollback()
    engine = matching_index.current("offers")
    return {"seq": engine.seq, "ids": sorted(engine.row_of_)}


def _published_ids() -> list[int]:
    db.session.rollback()
    return sorted(db.session.scalars(select(SkillOffer.id).where(SkillOffer.status == "published")))


@pytest.mark.parametrize("pause_at", ["log", "replay"])
def test_worker_killed_mid_change_the_next_one_reaches_the_same_version(make_stack, tmp_path, pause_at):
    stack = make_stack(**INCREMENTAL)
    with app_context(stack) as app:
        world = _world()
        marker = tmp_path / "paused"
        first = stack.start_worker("first", queues="celery,report-first", pool="solo",
                                   env={"ESSAIM_TEST_PAUSE_AT": pause_at, "ESSAIM_TEST_PAUSE_MARKER": str(marker)})
        version = _report(app, tmp_path, "first", [first])["seq"]  # its engine is loaded
        offer_id = _publish_offer(world, 2)
        wait_for(marker.exists, 60, message=f"the worker to pause at {pause_at}", watch=[first])
        first.kill()  # SIGKILL: no rollback, no ack, no clean-up
        state = matching_index._state("offers")
        # Killed before the commit: nothing was logged; after: the change is logged, never applied there.
        assert state.version == (version if pause_at == "log" else version + 1)
        db.session.rollback()
        second = stack.start_worker("second", queues="celery,report-second")
        wait_for(lambda: w.pending_intents() == 0, 60, message="the intent run again by the sweep", watch=[second])
        report = _report(app, tmp_path, "second", [second])
        here = _here()
        assert report["seq"] == here["seq"] == matching_index._state("offers").version > version
        assert report["ids"] == here["ids"] == _published_ids() and offer_id in here["ids"]


def test_two_workers_and_the_web_agree_after_a_thousand_concurrent_publishes(make_stack, tmp_path):
    stack = make_stack()  # default settings: small indexes are refitted inline, so refits race too
    with app_context(stack) as app:
        world = _world()
        # One process each (the thread pool polls Redis once a second: too slow for this test).
        workers = [stack.start_worker(name, beat=False, queues=f"celery,report-{name}", concurrency=1)
                   for name in ("a", "b")]
        celery = app.extensions["celery"]
        errors = []

        def web_thread(n: int) -> None:  # the web process: four request threads publishing
            with app.app_context():
                try:
                    for i in range(250):
                        offer_id = _insert_offer(world, n + i)
                        celery.send_task("tests.apply_change", args=["offers", offer_id])
                        if i % 50 == 0:  # and pages reading the index meanwhile
                            matching_index.current("offers", build=False)
                except Exception as error:
                    errors.append(repr(error))
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=web_thread, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == [] and not any(t.is_alive() for t in threads)
        published = _published_ids()
        assert len(published) == 1000 + len(factories.SUBJECTS)
        applied = redis.Redis.from_url(stack.overrides["REDIS_URL"])
        wait_for(lambda: int(applied.get("tests:applied:offers") or 0) == 1000, 50, interval=0.5,
                 message="1,000 publishes applied", watch=workers)
        version = matching_index._state("offers").version
        reports = [_report(app, tmp_path, name, workers) for name in ("a", "b")]
        here = _here()
        assert [r["seq"] for r in reports] == [version, version] and here["seq"] == version
        assert reports[0]["ids"] == reports[1]["ids"] == here["ids"] == published
