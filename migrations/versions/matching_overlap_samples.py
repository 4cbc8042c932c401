"""Nightly overlap@10 samples of the matching fast path against the exhaustive search (issue 13).

Revision ID: matching_overlap_samples
Revises: queue_scale_indexes
Create Date: 2026-11-30 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'matching_overlap_samples'
down_revision = 'queue_scale_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matching_overlap_samples',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sampled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('index_size', sa.Integer(), nullable=False),
    sa.Column('queries', sa.Integer(), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('overlap_mean', sa.Float(), nullable=True),
    sa.Column('overlap_min', sa.Float(), nullable=True),
    sa.Column('below_target', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('matching_overlap_samples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_overlap_samples_sampled_at'), ['sampled_at'], unique=False)


def downgrade():
    with op.batch_alter_table('matching_overlap_samples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_overlap_samples_sampled_at'))
    op.drop_table('matching_overlap_samples')
