"""The matching pipeline on real services: a Celery worker subprocess, Redis, a shared database.

Required when CI=true; skipped with the reason elsewhere when Redis or the database is missing.
"""
from __future__ import annotations

import time

import pytest

from marketplace.core.extensions import db
from tests.workers import world as w
from tests.conftest import FormClient
from tests.workers.stack import RedisServer, app_context, wait_for

pytestmark = pytest.mark.services


def _settled(count: int):
    return lambda: w.needs_with_suggestions() == count and w.pending_intents() == 0


def _check_each_pair_once(need_ids):
    stored = w.stored_pairs()
    assert len({(o, n) for o, n, _s in stored}) == len(stored)
    assert stored == w.expected_pairs(need_ids)


def test_hundred_needs_all_get_their_suggestions(live_app):
    stack, _app = live_app
    world = w.build()
    worker = stack.start_worker("one")
    need_ids = w.publish_needs(world, 100)
    wait_for(_settled(100), 90, message="100 needs with suggestions", watch=[worker])
    _check_each_pair_once(need_ids)


def test_worker_killed_mid_batch_loses_nothing(live_app):
    stack, _app = live_app
    world = w.build()
    first = stack.start_worker("first")
    need_ids = w.publish_needs(world, 100)
    wait_for(lambda: w.needs_with_suggestions() >= 5, 60, interval=0.05, message="the batch to start",
             watch=[first])
    first.kill()  # SIGKILL to the whole process group: no chance to ack or clean up
    assert w.needs_with_suggestions() < 100, "the batch finished before the kill: nothing was tested"
    second = stack.start_worker("second")
    wait_for(_settled(100), 90, message="100 needs after the restart", watch=[second])
    _check_each_pair_once(need_ids)


def test_two_workers_give_the_same_suggestions_as_one(live_app):
    stack, _app = live_app
    world = w.build()
    workers = [stack.start_worker("a"), stack.start_worker("b", beat=False)]
    need_ids = w.publish_needs(world, 100)
    wait_for(_settled(100), 90, message="100 needs with two workers", watch=workers)
    # The same rows, scores included, as the single-worker computation of the same index.
    _check_each_pair_once(need_ids)


def test_redis_down_then_back(make_stack, tmp_path):
    """A need published on the web while Redis is down: quick answer, and matched once it is back."""
    redis_server = RedisServer(tmp_path)
    try:
        stack = make_stack(redis_url=redis_server.url)
        with app_context(stack) as app:
            world = w.build()
            worker = stack.start_worker("one")
            w.publish_needs(world, 1)
            wait_for(_settled(1), 30, message="the worker to answer while Redis is up", watch=[worker])
            client = FormClient(app.test_client())
            author = world["authors"][0]
            client.post_form("/compte/connexion", {"email": author.email, "password": w.PASSWORD})
            token = client.csrf_token("/besoins/")
            port = redis_server.port
            redis_server.kill()
            started = time.monotonic()
            response = client.post("/besoins/nouveau", data={
                "csrf_token": token, "collectivity_id": str(world["hosts"][0].id), "title": "Révision du PLU",
                "description": "Révision du plan local d'urbanisme", "tags": "plu", "domain": "urbanisme",
                "modality": "remote", "estimated_days": "5", "action": "publish"})
            assert time.monotonic() - started < 2
            assert response.status_code == 302, response.get_data(as_text=True)[:300]  # no error page
            need_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
            assert w.pending_intents() == 1
            redis_server = RedisServer(tmp_path, port=port)  # empty: the message was never there
            wait_for(_settled(2), 60, message="the suggestions of the need published while Redis was down",
                     watch=[worker])
            assert need_id in {n for _o, n, _s in w.stored_pairs()}
            db.session.remove()
    finally:
        redis_server.kill()
