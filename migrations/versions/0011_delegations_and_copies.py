"""委托 (delegations), 抄送 (case copies), and the delegator an event was fired for

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:30:00

``delegations``: a user lets another act for them on some procedures for a window of Beijing
dates, until revoked. ``case_copies``: the users a case was copied to (read-only access).
``case_events.on_behalf_of`` / ``on_behalf_of_name``: the delegator a delegate acted for; hashed
with the event when set (audit.event_hash_v2). Added without rebuilding ``case_events``, so the
triggers that refuse UPDATE and DELETE on it stay.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('case_events', sa.Column('on_behalf_of', sa.String(length=64), nullable=True))
    op.add_column('case_events', sa.Column('on_behalf_of_name', sa.String(length=100), nullable=True))
    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegator', sa.String(length=64), nullable=False),
    sa.Column('delegate', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('definitions', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations'))
    )
    op.create_index('ix_delegations_delegate', 'delegations', ['delegate', 'starts_on'], unique=False)
    op.create_index('ix_delegations_delegator', 'delegations', ['delegator', 'starts_on'], unique=False)
    op.create_table('case_copies',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('copied_by', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_copies_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'username', name=op.f('pk_case_copies'))
    )
    op.create_index('ix_case_copies_username', 'case_copies', ['username', 'case_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_copies_username', table_name='case_copies')
    op.drop_table('case_copies')
    op.drop_index('ix_delegations_delegator', table_name='delegations')
    op.drop_index('ix_delegations_delegate', table_name='delegations')
    op.drop_table('delegations')
    with op.batch_alter_table('case_events', recreate='never') as batch:
        batch.drop_column('on_behalf_of_name')
        batch.drop_column('on_behalf_of')
