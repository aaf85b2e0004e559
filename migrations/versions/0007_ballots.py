"""ballots: 民主推荐, 民主测评 and 表决 on a case, voted with one-time codes or by name

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-03 09:00:00

``ballot_codes``, ``ballot_box`` and ``ballot_receipts`` are keyed by random values and,
on SQLite, created WITHOUT ROWID, so no hidden row number records the order in which
ballots arrived; none of them has a time column (workflow/ballots explains the design).
(Other branches add 0005 and 0006; the revisions are rechained when they merge.)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ballots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('named', sa.Boolean(), nullable=False),
        sa.Column('voters', sa.Integer(), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('members', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_by', sa.String(length=64), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('tally', sa.JSON(), nullable=True),
        sa.Column('box_hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ballots_case_id_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    )
    op.create_index(op.f('ix_ballots_case_id'), 'ballots', ['case_id'])
    op.create_table(
        'ballot_codes',
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.Column('used', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_codes_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_ballot_codes')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_ballot_codes_ballot_id'), 'ballot_codes', ['ballot_id'])
    op.create_table(
        'ballot_slips',
        sa.Column('ballot_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_slips_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('ballot_id', name=op.f('pk_ballot_slips')),
    )
    op.create_table(
        'ballot_box',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_box_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_box')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_ballot_box_ballot_id'), 'ballot_box', ['ballot_id'])
    op.create_table(
        'ballot_receipts',
        sa.Column('ballot_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('receipt', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_receipts_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('ballot_id', 'receipt', name=op.f('pk_ballot_receipts')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'ballot_named_votes',
        sa.Column('ballot_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('receipt', sa.String(length=32), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_ballot_named_votes_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('ballot_id', 'username', name=op.f('pk_ballot_named_votes')),
    )


def downgrade() -> None:
    op.drop_table('ballot_named_votes')
    op.drop_table('ballot_receipts')
    op.drop_index(op.f('ix_ballot_box_ballot_id'), table_name='ballot_box')
    op.drop_table('ballot_box')
    op.drop_table('ballot_slips')
    op.drop_index(op.f('ix_ballot_codes_ballot_id'), table_name='ballot_codes')
    op.drop_table('ballot_codes')
    op.drop_index(op.f('ix_ballots_case_id'), table_name='ballots')
    op.drop_table('ballots')
