"""Snapshots of the shared matching indexes stored in the database, in chunks, so that every
machine reads them without a shared volume (MATCHING_SNAPSHOT_STORE=database, issue 13).

Revision ID: matching_index_snapshots
Revises: matching_index_changes
"""
from alembic import op
import sqlalchemy as sa

revision = "matching_index_snapshots"
down_revision = "matching_index_changes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "matching_index_snapshots",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("chunks", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_index("ix_matching_index_snapshots_kind", "matching_index_snapshots", ["kind"])
    op.create_table(
        "matching_index_snapshot_chunks",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["name"], ["matching_index_snapshots.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("name", "number"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Uncompressed (see the model): pglz made uploads 3.6x slower.
        op.execute("ALTER TABLE matching_index_snapshot_chunks ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade():
    op.drop_table("matching_index_snapshot_chunks")
    op.drop_index("ix_matching_index_snapshots_kind", table_name="matching_index_snapshots")
    op.drop_table("matching_index_snapshots")
