"""The shared matching indexes change by deltas: an ordered log of changes per index, and the
snapshot each index state points at (the change seq it includes, its refit generation).

Revision ID: matching_index_changes
Revises: lists_needs_visible_index
"""
from alembic import op
import sqlalchemy as sa

revision = "matching_index_changes"
down_revision = "lists_needs_visible_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "matching_index_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("document", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "seq"),
    )
    with op.batch_alter_table("matching_index_states") as batch:
        batch.add_column(sa.Column("snapshot_seq", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("generation", sa.Integer(), nullable=False, server_default="0"))
    # The file an existing state points at holds every change up to its version.
    op.execute("UPDATE matching_index_states SET snapshot_seq = version")


def downgrade():
    with op.batch_alter_table("matching_index_states") as batch:
        batch.drop_column("generation")
        batch.drop_column("snapshot_seq")
    op.drop_table("matching_index_changes")
