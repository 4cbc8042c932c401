"""Fixtures for tests/workers: the real stack (Redis, database, workers) and a small world in it."""
from __future__ import annotations

import pytest
import redis

from tests.workers.stack import SHARED_REDIS, Stack, app_context, require


@pytest.fixture
def make_stack(tmp_path):
    """Build a Stack (flushing the dedicated Redis db first); everything it started dies at the end."""
    require("redis", SHARED_REDIS)
    redis.Redis.from_url(SHARED_REDIS).flushdb()
    stacks = []

    def factory(**settings) -> Stack:
        stack = Stack(tmp_path, **settings)
        stacks.append(stack)
        return stack

    yield factory
    for stack in stacks:
        stack.close()
    redis.Redis.from_url(SHARED_REDIS).flushdb()


@pytest.fixture
def live_app(make_stack):
    """The default stack (shared Redis) and the test process's application on it."""
    stack = make_stack()
    with app_context(stack) as app:
        yield stack, app
