"""One unit of work per use case: the service entry point commits once, or rolls back.

    @transactional
    def publish_offer(...):
        ...            # helpers add and flush; they never commit

The outermost `transactional` call commits when the function returns and rolls back when it
raises; a `transactional` function called from another one joins its transaction, so a use case
made of smaller use cases still commits once. Task intents and outbox e-mails written inside are
published by `task_queue` only after that commit.

This module is, with the bulk loaders that say why (geography import, demo seed, Alembic), the
only place that calls `commit()`: `tests/test_architecture.py` keeps it so.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import wraps

from marketplace.core.extensions import db

_DEPTH_KEY = "unit_of_work_depth"


@contextmanager
def unit_of_work():
    """Commit what the block did when it ends, roll it back if it raises; nested blocks join."""
    session = db.session()
    depth = session.info.get(_DEPTH_KEY, 0)
    session.info[_DEPTH_KEY] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH_KEY] = depth


def transactional(function):
    """Run a service entry point as one unit of work (see the module docstring)."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapper


def end_read() -> None:
    """Close the current read transaction without writing (long work must not hold a snapshot)."""
    with unit_of_work():
        pass
