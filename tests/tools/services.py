"""Is a real service there? Exit 0 when it answers; otherwise exit 1 on a developer's machine
(the caller skips with the printed reason) and 2 when CI=true (it is required there)."""
from __future__ import annotations

import os
import sys


def postgres_answers(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure means "not usable here"
        return str(error).splitlines()[0]


def redis_answers(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        return None
    except Exception as error:
        return str(error)


CHECKS = {"postgres": postgres_answers, "redis": redis_answers}


def require(kind: str, url: str) -> None:
    """In a test: skip with the reason when a service does not answer; fail instead when CI=true."""
    import pytest

    problem = CHECKS[kind](url)
    if problem is None:
        return
    message = f"{kind} at {url} does not answer ({problem})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} and CI=true makes it required")
    pytest.skip(message)


def main(argv: list[str]) -> int:
    kind, url = argv[1], argv[2]
    problem = CHECKS[kind](url)
    if problem is None:
        return 0
    if os.environ.get("CI") == "true":
        print(f"ERROR: {kind} at {url} is required when CI=true and does not answer: {problem}")
        return 2
    print(f"SKIPPED: {kind} tests, {kind} does not answer at {url}: {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

