"""notifications (消息通知), the holders each case's last event left, and users' email addresses

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 07:10:00

``notifications``: one message to one user about one case (新待办, 退回, 催办, 临期, 逾期); the
reminders (临期, 逾期) carry the due date they are about, unique per case, user and kind.
``case_holders``: the holders of each open case as its last event or recusal left them,
written in the event's transaction (cases opened before this revision have none until their
next event). ``users.email``: where notifications are also sent when SMTP is configured.

(Written on the notify branch after 0008; the integrator re-chains it.)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mail_state', sa.String(length=8), nullable=True),
    sa.Column('mail_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notifications_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    op.create_index('ix_notifications_user_unread', 'notifications', ['username', 'read_at', 'id'], unique=False)
    op.create_index('uq_notifications_reminder', 'notifications', ['case_id', 'username', 'kind', 'due_at'],
                    unique=True)
    op.create_index(op.f('ix_notifications_mail_state'), 'notifications', ['mail_state'], unique=False)
    op.create_table('case_holders',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_holders_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'username', name=op.f('pk_case_holders'))
    )
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email', sa.String(length=254), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('email')
    op.drop_table('case_holders')
    op.drop_index(op.f('ix_notifications_mail_state'), table_name='notifications')
    op.drop_index('uq_notifications_reminder', table_name='notifications')
    op.drop_index('ix_notifications_user_unread', table_name='notifications')
    op.drop_table('notifications')
