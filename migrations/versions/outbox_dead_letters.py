"""Dead letters: task intents get a status and their last error; failed e-mails become "dead".

One retry owner (issue 9): the outbox and task-intent rows own their schedule and, after too many
attempts, stay in a visible "dead" state an administrator can list and replay.

Revision ID: outbox_dead_letters
Revises: 7d5f865dc393
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "outbox_dead_letters"
down_revision = '7d5f865dc393'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("task_intents", schema=None) as batch_op:
        # server_default fills the rows already there; the model sets the value on new rows.
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=False, server_default="pending"))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_task_intents_status"), ["status"], unique=False)
    op.execute("UPDATE outbox_emails SET status = 'dead' WHERE status = 'failed'")


def downgrade():
    op.execute("UPDATE outbox_emails SET status = 'failed' WHERE status = 'dead'")
    with op.batch_alter_table("task_intents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_intents_status"))
        batch_op.drop_column("last_error")
        batch_op.drop_column("status")
