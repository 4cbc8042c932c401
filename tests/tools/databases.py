"""The test databases: a PostgreSQL schema per test process, emptied before each test, with the
apps' connections kept from one test to the next; an in-memory SQLite template copied for each test.
"""
from __future__ import annotations

import sqlite3
import uuid

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import StaticPool

from marketplace.core.extensions import db as _db


class PostgresSchema:
    """One schema per test process, built from the models once and emptied before each test."""

    def __init__(self, url: str):
        import marketplace.models  # noqa: F401  (every table in the metadata)

        self.name = f"t_{uuid.uuid4().hex[:12]}"
        # children first; `empty` asks which of them hold a row in one statement
        self._tables = [table.name for table in reversed(_db.metadata.sorted_tables)]
        self._probe = " UNION ALL ".join(f'SELECT {i} FROM (SELECT FROM "{name}" LIMIT 1) AS t{i}'
                                         for i, name in enumerate(self._tables))
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        # One connection kept open across the tests: a new one is a new PostgreSQL backend, which
        # loads the catalog entries of every table it touches (emptying took 55 ms, ~7 ms now).
        self.options = f"-csearch_path={self.name} -csynchronous_commit=off"
        self.engine = create_engine(url, connect_args={"options": self.options}, pool_size=1, max_overflow=0)
        self.apps_connections = KeptConnections(url, self.options)
        self.build()

    def build(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.engine.dispose()  # connections that knew the dropped tables
        self.apps_connections.close_all()
        _db.metadata.create_all(self.engine)

    def empty(self) -> None:
        """Delete every row (children first) and restart the sequences that were used. A test
        fills a few of the 76 tables: one statement finds them, and only they are emptied."""
        with self.engine.begin() as conn:
            filled = sorted(conn.exec_driver_sql(self._probe).scalars())
            for i in filled:
                conn.exec_driver_sql(f'DELETE FROM "{self._tables[i]}"')
            used = conn.execute(text(
                "SELECT sequencename FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL")).scalars().all()
            for sequence in used:
                conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))

    def matches_models(self) -> bool:
        with self.engine.connect() as conn:
            present = set(conn.execute(text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()")).scalars())
        return present == set(_db.metadata.tables)

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.engine.dispose()
        self.apps_connections.close_all()
        self.admin.dispose()


class KeptConnections:
    """The PostgreSQL connections of the tests' apps, kept open from one test to the next.

    Each test's app has an engine of its own, whose pool opened new connections: a new PostgreSQL
    backend each time, which loads the catalog entries of every table it touches again (~45 ms
    for a test that reads 25 tables, against ~10 ms on a backend that already knows them). An
    app's engine gets its connections from here instead, and a connection its pool closes comes
    back here reset as a new session would be: transaction rolled back, prepared statements, plans,
    settings, locks, temporary tables and listeners discarded (DISCARD ALL)."""

    def __init__(self, url: str, options: str):
        import psycopg

        parts = make_url(url)
        self.conninfo = psycopg.conninfo.make_conninfo(
            host=parts.host or "", port=parts.port or "", user=parts.username or "",
            password=parts.password or "", dbname=parts.database or "", options=options)
        self.idle: list = []
        kept = self

        class KeptConnection(psycopg.Connection):
            def close(self):
                if not self.closed and not self.broken and kept._reset(self):
                    kept.idle.append(self)
                else:
                    super().close()

            def really_close(self):
                super().close()

        self._connection_class = KeptConnection

    def connect(self):
        """A reset connection kept from an earlier test, or a new one (the engine's `creator`)."""
        return self.idle.pop() if self.idle else self._connection_class.connect(self.conninfo)

    @staticmethod
    def _reset(connection) -> bool:
        import psycopg

        try:
            connection.rollback()
            connection.autocommit = False
            # psycopg forgets its prepared statements at a rollback, but skips the rollback of an
            # idle connection: open a transaction to end it.
            connection.execute("SELECT 1")
            connection.rollback()
            connection.autocommit = True
            connection.execute("DISCARD ALL")
            connection.autocommit = False
            connection.isolation_level = connection.read_only = connection.deferrable = None
        except psycopg.Error:
            return False
        return True

    def close_all(self) -> None:
        while self.idle:
            self.idle.pop().really_close()


class SqliteSchema:
    """The models' tables built once per test process in an in-memory SQLite database; each
    test's database starts as a copy of it. sqlite3's backup API copies the empty schema's pages
    in about a millisecond, where `create_all` issued every CREATE statement again for each test
    (~0.15 s of CPU a test)."""

    def __init__(self):
        import marketplace.models  # noqa: F401  (every table in the metadata)

        self.template = sqlite3.connect(":memory:", check_same_thread=False)
        self._engine = create_engine("sqlite://", creator=lambda: self.template, poolclass=StaticPool)
        _db.metadata.create_all(self._engine)

    def connect(self) -> sqlite3.Connection:
        """A new in-memory database holding the empty tables (the app's engine calls it)."""
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        self.template.backup(connection)
        return connection
