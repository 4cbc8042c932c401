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

from sqlalchemy.exc import SQLAlchemyError

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


def end_request(exc: BaseException | None) -> None:
    """At the end of a request that wrote nothing, COMMIT its read transaction on PostgreSQL.

    Flask-SQLAlchemy then closes the session, which would ROLLBACK; psycopg answers a ROLLBACK by
    deallocating every statement it had prepared on the connection, so PostgreSQL planned each
    page's statements again at every request (a queue view: 1.11-1.15x, bench/read_commit.py). COMMIT and
    ROLLBACK are the same for a transaction that holds no transaction id, which PostgreSQL assigns
    at the first write: a request that wrote and did not commit, or failed, is still rolled back.
    Registered after `db.init_app`, so Flask runs it before the session is removed.
    """
    if exc is not None:
        return
    session = db.session()
    if (not session.in_transaction() or not session.is_active
            or session.new or session.dirty or session.deleted):
        return  # nothing read, a failed transaction, or writes not flushed: leave them to the rollback
    try:
        connection = session.connection()
        if connection.dialect.name != "postgresql":
            return
        if connection.exec_driver_sql("SELECT txid_current_if_assigned()").scalar() is None:
            session.commit()
    except SQLAlchemyError:
        return  # a broken connection: Flask-SQLAlchemy's rollback and the pool deal with it
