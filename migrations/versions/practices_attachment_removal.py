"""practices: a withdrawn resource keeps its row (removed_at) so that a revert brings it back

Revision ID: practices_attachment_removal
Revises: pairings_documents_lifecycle
Create Date: 2026-11-30 16:10:00

Hand-checked: one nullable column, no data to move (no resource was withdrawn this way before).
"""
from alembic import op
import sqlalchemy as sa


revision = 'practices_attachment_removal'
down_revision = 'pairings_documents_lifecycle'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('practice_attachments', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
