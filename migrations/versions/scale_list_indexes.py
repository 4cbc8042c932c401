"""Lists that hold 100,000 offers: an index in their order, trigram indexes for the search.

Revision ID: scale_list_indexes
Revises: api_api_tokens
"""
from alembic import op

revision = "scale_list_indexes"
down_revision = "api_api_tokens"
branch_labels = None
depends_on = None

TABLES = ("skill_offers", "needs")
EXTENSION_LOCK = 0x657373616D  # any fixed key: the advisory lock of creating the extension


def upgrade():
    for table in TABLES:
        op.create_index(f"ix_{table}_status_published", table, ["status", "published_at", "id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    # `search_text LIKE '%mot%'` cannot use a B-tree; a GIN trigram index answers it.
    schema = create_trigram_extension(op.get_bind())
    for table in TABLES:
        op.execute(f'CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON {table} '
                   f'USING gin (search_text "{schema}".gin_trgm_ops)')


def create_trigram_extension(connection) -> str:
    """Create pg_trgm unless it exists; the name of the schema it lives in.

    pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. It is
    database-wide: it may already live in another schema than ours, so its operator class is
    named with the schema it is in. `IF NOT EXISTS` does not hold against a concurrent creation
    (the second one fails on the catalog's unique index once the first commits): an advisory lock,
    held until the migration's transaction ends, makes the second wait and then find it."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({EXTENSION_LOCK})")
    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    return connection.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar_one()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
    for table in TABLES:
        op.drop_index(f"ix_{table}_status_published", table_name=table)
