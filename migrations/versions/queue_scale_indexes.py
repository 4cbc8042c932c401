"""The coordinator queue at 500,000 suggestions: indexes on the score (read best first to bound the
ranking, rank ≤ score) and on the creation date (oldest first), ids as the tie-break.

Revision ID: queue_scale_indexes
Revises: calls_projects
"""
from alembic import op

revision = "queue_scale_indexes"
down_revision = "calls_projects"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_suggestions_score", "suggestions", ["score", "id"])
    op.create_index("ix_suggestions_created_at", "suggestions", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_suggestions_created_at", table_name="suggestions")
    op.drop_index("ix_suggestions_score", table_name="suggestions")
