"""Needs listed in their order whatever the page: an index restricted to the browsable statuses.

Revision ID: lists_needs_visible_index
Revises: matching_overlap_samples
"""
from alembic import op
import sqlalchemy as sa

revision = "lists_needs_visible_index"
down_revision = "matching_overlap_samples"
branch_labels = None
depends_on = None

VISIBLE = sa.text("status IN ('open', 'in_progress')")


def upgrade():
    op.create_index("ix_needs_visible_published", "needs", ["published_at", "id"],
                    postgresql_where=VISIBLE, sqlite_where=VISIBLE)


def downgrade():
    op.drop_index("ix_needs_visible_published", table_name="needs")
