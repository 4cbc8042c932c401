"""Stored text embeddings of offers and needs for the semantic matching stage (issue 12 §3).

Revision ID: semantic_text_embeddings
Revises: api_api_tokens
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "semantic_text_embeddings"
down_revision = 'messaging_conversations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "text_embeddings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_embeddings")),
        sa.UniqueConstraint("kind", "item_id", name=op.f("uq_text_embeddings_kind_item_id")),
    )


def downgrade():
    op.drop_table("text_embeddings")
