"""essaimage kit: the readiness checklist of a practice sheet (one row per item)

Revision ID: kit_readiness_checklist
Revises: api_api_tokens
Create Date: 2026-11-30 19:10:00

Hand-checked: one new table, no data to move.
"""
from alembic import op
import sqlalchemy as sa


revision = 'kit_readiness_checklist'
down_revision = 'scale_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'essaimage_readiness_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sheet_id', sa.Integer(), nullable=False),
        sa.Column('item', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['sheet_id'], ['practice_sheets.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sheet_id', 'item'),
    )
    with op.batch_alter_table('essaimage_readiness_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_essaimage_readiness_items_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('essaimage_readiness_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_essaimage_readiness_items_sheet_id'))
    op.drop_table('essaimage_readiness_items')
