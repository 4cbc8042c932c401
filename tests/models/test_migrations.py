"""The Alembic migrations build, from an empty database, exactly the schema the models declare."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect


MIGRATION_ONLY_INDEXES = {"uq_users_email_lower", "ix_skill_offers_search_trgm", "ix_needs_search_trgm"}


def _fresh_database(db):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_migrations_apply_on_empty_database_and_match_models(app, db):
    _fresh_database(db)
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        differences = [
            diff for diff in compare_metadata(context, db.metadata)
            # Expression indexes cannot be reflected (lower(email)); checked separately below. The
            # trigram indexes exist on PostgreSQL only, through the migration (they need pg_trgm).
            if not (diff[0] in ("add_index", "remove_index") and diff[1].name in MIGRATION_ONLY_INDEXES)
        ]
    assert differences == []
    # The case-insensitive unique e-mail index really exists (inspectors skip expression indexes).
    catalogue = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if db.engine.dialect.name == "sqlite" else "SELECT indexname FROM pg_indexes"
    )
    with db.engine.connect() as conn:
        names = {row[0] for row in conn.exec_driver_sql(catalogue)}
    assert "uq_users_email_lower" in names
    if db.engine.dialect.name == "postgresql":
        assert {"ix_skill_offers_search_trgm", "ix_needs_search_trgm"} <= names


def test_migrations_downgrade_to_empty(app, db):
    _fresh_database(db)
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
