"""A request that wrote nothing ends its transaction with COMMIT, not ROLLBACK, on PostgreSQL.

psycopg prepares a statement after its fifth run on a connection, so PostgreSQL stops planning it
again; a ROLLBACK makes psycopg deallocate every prepared statement of the connection (it cannot
tell which ones the rolled-back transaction created). Ending every page view with a ROLLBACK
threw that cache away at each request and cost the coordinator queue 6-10 ms of planning a
statement. A request that wrote something and did not commit is still rolled back, on both
databases (the hook leaves SQLite's requests to the rollback).
"""
from __future__ import annotations

import contextvars

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.both_databases  # core/unit_of_work.end_request branches on the dialect


def served(client, method: str, url: str):
    """The request as a server runs it: in an application context of its own, torn down after
    (the `app` fixture holds one context for the whole test, which every request would reuse)."""
    return contextvars.Context().run(client.open, url, method=method)


def prepared_statements(db) -> int:
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()


@pytest.fixture
def postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are psycopg's, on PostgreSQL")
    return db


def test_read_only_requests_keep_their_prepared_statements(postgres, client, make_collectivity):
    make_collectivity()
    postgres.session.remove()
    for _ in range(8):
        assert served(client, "GET", "/offres/").status_code == 200
    assert prepared_statements(postgres) > 0


@pytest.mark.parametrize("fails, status", [(False, 200), (True, 500)], ids=["answered", "failed"])
def test_a_request_that_wrote_without_committing_is_rolled_back(app, db, client, fails, status):
    from marketplace.models import Region

    def write_and_forget():
        db.session.add(Region(code="99", name="Nulle part", vintage="2024"))
        db.session.flush()
        if fails:
            raise RuntimeError("boom")
        return "écrit"

    app.add_url_rule("/_test/write", view_func=write_and_forget)
    db.session.remove()
    assert served(client, "GET", "/_test/write").status_code == status
    assert db.session.execute(text("SELECT count(*) FROM regions")).scalar() == 0


def test_a_request_that_caught_a_database_error_is_rolled_back_quietly(app, db, client):
    from sqlalchemy.exc import IntegrityError

    from marketplace.models import Region

    def caught():
        db.session.add(Region(code="97", name="Deux fois", vintage="2024"))
        db.session.add(Region(code="97", name="Deux fois", vintage="2024"))
        try:
            db.session.flush()
        except IntegrityError:
            return "erreur rattrapée"
        return "pas d'erreur"

    app.add_url_rule("/_test/caught", view_func=caught)
    db.session.remove()
    response = served(client, "GET", "/_test/caught")
    assert response.status_code == 200 and "rattrapée" in response.get_data(as_text=True)
    assert db.session.execute(text("SELECT count(*) FROM regions")).scalar() == 0
