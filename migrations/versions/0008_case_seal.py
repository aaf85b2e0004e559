"""case seal: every column of a history row in its hash; the case row sealed with its head

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 03:00:00

``cases.full_hash_from`` is the first seq whose event hash covers every column of the row
(workflow/audit.py, format 2); the events already written keep format 1, so existing cases
get ``head_seq + 1``. ``cases.head_seal`` is the digest of the row's columns, recusals and
links that the head's MAC covers from the case's next event on (empty until then: the
migration has no key to sign with).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('full_hash_from', sa.Integer(), nullable=False, server_default='1'))
        batch.add_column(sa.Column('head_seal', sa.Text(), nullable=False, server_default=''))
    op.execute("UPDATE cases SET full_hash_from = head_seq + 1")


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('head_seal')
        batch.drop_column('full_hash_from')
