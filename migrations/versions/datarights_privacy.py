"""Personal data rights (issue 15 §5): data export jobs, retention notices, account deletions.

Revision ID: datarights_privacy
Revises: api_api_tokens
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "datarights_privacy"
down_revision = 'semantic_text_embeddings'
branch_labels = None
depends_on = None


def _user_fk(table):
    return sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"),
                                   ondelete="CASCADE")


def upgrade():
    op.create_table(
        "data_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=120), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _user_fk("data_exports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
    )
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_exports_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_exports_status"), ["status"], unique=False)
    op.create_table(
        "retention_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delete_after", sa.DateTime(timezone=True), nullable=False),
        _user_fk("retention_notices"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_notices")),
        sa.UniqueConstraint("user_id", name=op.f("uq_retention_notices_user_id")),
    )
    op.create_table(
        "account_deletions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        _user_fk("account_deletions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_deletions")),
        sa.UniqueConstraint("user_id", name=op.f("uq_account_deletions_user_id")),
    )


def downgrade():
    op.drop_table("account_deletions")
    op.drop_table("retention_notices")
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_exports_status"))
        batch_op.drop_index(batch_op.f("ix_data_exports_user_id"))
    op.drop_table("data_exports")
