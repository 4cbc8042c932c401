"""verified roles: a status per role (pending / active / refused) with how it was verified, an
audit log of role decisions, and the e-mail domains of collectivities

Revision ID: accounts_roles_verified
Revises: practices_attachment_removal
Create Date: 2026-11-30 16:00:00

Existing rows: a role that was active stays active (method "legacy"), except the self-service
roles (agent, representative) of an account whose e-mail is not verified, which become pending:
they were declared by someone who never proved anything. An inactive row (a request) is pending.
"""
from alembic import op
import sqlalchemy as sa


revision = 'accounts_roles_verified'
down_revision = 'practices_attachment_removal'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False,
                                      server_default='active'))
        batch_op.add_column(sa.Column('verification_method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('evidence', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_role_assignments_decided_by_id_users'),
                                    'users', ['decided_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_role_assignments_status'), ['status'], unique=False)

    op.execute("UPDATE role_assignments SET status = 'pending' WHERE active = false")
    op.execute("UPDATE role_assignments SET verification_method = 'legacy' WHERE status = 'active'")
    op.execute(
        "UPDATE role_assignments SET status = 'pending', verification_method = NULL "
        "WHERE role IN ('agent', 'representative') AND user_id IN "
        "(SELECT id FROM users WHERE email_verified = false)"
    )
    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.drop_column('active')

    op.create_table('role_audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('role_assignment_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('collectivity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=True),
    sa.Column('evidence', sa.String(length=254), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_role_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['collectivity_id'], ['collectivities.id'], name=op.f('fk_role_audit_entries_collectivity_id_collectivities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_audit_entries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_audit_entries'))
    )
    with op.batch_alter_table('role_audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_audit_entries_role_assignment_id'), ['role_assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_audit_entries_user_id'), ['user_id'], unique=False)

    op.create_table('collectivity_email_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collectivity_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_collectivity_email_domains_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['collectivity_id'], ['collectivities.id'], name=op.f('fk_collectivity_email_domains_collectivity_id_collectivities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collectivity_email_domains')),
    sa.UniqueConstraint('collectivity_id', 'domain', name=op.f('uq_collectivity_email_domains_collectivity_id_domain'))
    )
    with op.batch_alter_table('collectivity_email_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collectivity_email_domains_collectivity_id'), ['collectivity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collectivity_email_domains_domain'), ['domain'], unique=False)


def downgrade():
    with op.batch_alter_table('collectivity_email_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collectivity_email_domains_domain'))
        batch_op.drop_index(batch_op.f('ix_collectivity_email_domains_collectivity_id'))
    op.drop_table('collectivity_email_domains')
    with op.batch_alter_table('role_audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_role_audit_entries_role_assignment_id'))
    op.drop_table('role_audit_entries')

    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE role_assignments SET active = true WHERE status = 'active'")
    # A refused request has no place in the old schema: it was deleted there.
    op.execute("DELETE FROM role_assignments WHERE status = 'refused'")
    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.alter_column('active', server_default=None)
        batch_op.drop_index(batch_op.f('ix_role_assignments_status'))
        batch_op.drop_constraint(batch_op.f('fk_role_assignments_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_column('reason')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by_id')
        batch_op.drop_column('evidence')
        batch_op.drop_column('verification_method')
        batch_op.drop_column('status')
