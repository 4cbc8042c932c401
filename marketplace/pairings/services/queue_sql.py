"""SQL helpers of the coordinator queue's modules (queue, queue_ranking, queue_rows).

Lists of ids go to PostgreSQL as one array parameter (`column = ANY(:ids)`), elsewhere as an
expanding IN: the same statement whatever the number of ids. A page ranks the rows of some 300
agents, and rendering then converting 300 parameters twice a view cost SQLAlchemy and psycopg
~20 ms of CPU, and PostgreSQL planned each new statement text afresh.
"""
from __future__ import annotations

from sqlalchemy import text

from marketplace.core.extensions import db


def serial_plans() -> None:
    """No parallel workers for the rest of this transaction (PostgreSQL): the queue's statements
    read a few hundred rows along indexes, and starting the workers cost 44 of 53 ms of the best
    scores' statement on the loaded 2-core bench machine."""
    if postgresql():
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def connection():
    """The session's connection, for Core rows without the ORM's row processing (which cost more
    than reading the rows), after flushing pending changes as Session.execute's autoflush would."""
    db.session.flush()
    return db.session.connection()

