"""inbox index: open cases of one state in due order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:00:00

The inbox (Engine.todo) reads, per (definition, state), the cases in due-date order
(and those without a due date by update time) and stops after one page. With this
index each of those reads is an index range scan instead of a sort of the state's
cases (bench/scale_bench.py: the inbox over 100,000 cases).
"""
from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_cases_definition_state_due', 'cases', ['definition_key', 'state', 'due_at', 'updated_at'])


def downgrade() -> None:
    op.drop_index('ix_cases_definition_state_due', table_name='cases')
