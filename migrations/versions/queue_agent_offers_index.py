"""The coordinator queue's agents: an index of each agent's offer ids, read without the table.

A queue page ranks the suggestions of some 300 agents (their open proposals and refusals lower
the rank): PostgreSQL found their offers along ix_skill_offers_agent_id, then read 5,000 pages of
the offers table only to get the offers' ids (32,000 offers, 38 of the refusals statement's 60 ms
at 100,000 offers). With the id in the index, an index-only scan (19 ms in all).

Revision ID: queue_agent_offers_index
Revises: matching_index_changes
"""
from alembic import op

revision = "queue_agent_offers_index"
down_revision = "matching_index_snapshots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_skill_offers_agent_id_id", "skill_offers", ["agent_id", "id"])


def downgrade():
    op.drop_index("ix_skill_offers_agent_id_id", table_name="skill_offers")
