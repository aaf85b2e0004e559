"""case list indexes: each list filter (definition, definition + state, overdue) with update time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:00:00

The API's case list (GET /api/v1/cases) filters by definition, state and overdue and
sorts by updated_at; over 100,000 cases it must answer within 100 ms (bench/bench_api_list.py).
These indexes give each filter its rows already in that order (or, for overdue, an
index-only sort of ids). They replace the two-column indexes they extend.
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_cases_definition_updated', 'cases', ['definition_key', 'updated_at'])
    op.create_index('ix_cases_definition_state_updated', 'cases', ['definition_key', 'state', 'updated_at'])
    op.create_index('ix_cases_final_due_updated', 'cases', ['final', 'due_at', 'updated_at'])
    op.drop_index('ix_cases_definition_state', table_name='cases')
    op.drop_index('ix_cases_final_due', table_name='cases')


def downgrade() -> None:
    op.create_index('ix_cases_final_due', 'cases', ['final', 'due_at'])
    op.create_index('ix_cases_definition_state', 'cases', ['definition_key', 'state'])
    op.drop_index('ix_cases_final_due_updated', table_name='cases')
    op.drop_index('ix_cases_definition_state_updated', table_name='cases')
    op.drop_index('ix_cases_definition_updated', table_name='cases')
