"""The migration that creates pg_trgm can run in two processes at once on a new database.

`CREATE EXTENSION IF NOT EXISTS` is not safe against a concurrent one: both transactions see no
extension, the second waits on the first's catalog row and then fails on its unique index
(`pg_extension_name_index`). Two test processes migrating at the same time on a new machine hit
it; so would two deployments. The step takes an advisory lock first.
"""
from __future__ import annotations

import importlib.util
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

MIGRATION = Path(__file__).resolve().parents[2] / "migrations/versions/scale_list_indexes.py"


def _migration():
    spec = importlib.util.spec_from_file_location("scale_list_indexes", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def new_database(db):
    """A database of its own, where pg_trgm does not exist yet."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_trgm exists on PostgreSQL only")
    name = f"essaim_trgm_{uuid.uuid4().hex[:10]}"
    admin = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(db.engine.url.set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_two_concurrent_migrations_both_create_the_extension(new_database):
    migration = _migration()
    failures, schemas = [], []

    def second():
        try:
            with new_database.begin() as conn:
                schemas.append(migration.create_trigram_extension(conn))
        except Exception as error:  # what the other process would have died of
            failures.append(error)

    with new_database.connect() as first:
        first.begin()
        schemas.append(migration.create_trigram_extension(first))
        other = threading.Thread(target=second)
        other.start()
        # Commit only once the second transaction waits behind the first one.
        with new_database.connect() as watcher:
            deadline = time.monotonic() + 10
            while not watcher.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")).scalar_one():
                assert time.monotonic() < deadline, "the second migration never waited"
                time.sleep(0.02)
        first.commit()
    other.join(timeout=10)
    assert failures == []
    assert schemas == ["public", "public"]
