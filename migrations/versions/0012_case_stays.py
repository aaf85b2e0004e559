"""统计分析 without reading the history: the states each case has left, and indexes on cases

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 00:10:00

``case_stays`` (workflow/persistence/stay_models.py) gets a row from a trigger on ``case_events``
whenever an event moves a case out of a state, and is filled here from the history already
written. A stay runs from the event that entered the state (the previous event whose ``to_state``
differs from its ``from_state``, or the start) to this one; its days are Beijing dates as Julian
day numbers. Three indexes on ``cases`` let the dashboard's counts read no case row.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

MOVES = "{e}.to_state IS NOT NULL AND ({e}.from_state IS NULL OR {e}.from_state <> {e}.to_state)"


def _day(expr: str, pg: bool) -> str:
    """The Beijing date of a UTC timestamp as a Julian day number."""
    if pg:
        return f"(({expr} AT TIME ZONE 'Asia/Shanghai')::date - DATE '2000-01-01' + 2451545)"
    return f"CAST(julianday({expr}, '+8 hours') + 0.5 AS INTEGER)"


def _stay_of_new(pg: bool) -> str:
    """The stay the inserted event NEW ends, as an INSERT ... SELECT (no row when it ends none). Only an
    event whose seq was moved by hand meets a row already there: it is left, the history's check finds it."""
    return (
        f"INSERT {'' if pg else 'OR IGNORE '}INTO case_stays "
        "(case_id, seq, org_id, definition_key, opened_at, state, began_on, ended_on) "
        f"SELECT NEW.case_id, NEW.seq, c.org_id, c.definition_key, c.created_at, p.to_state, {_day('p.at', pg)}, "
        f"{_day('NEW.at', pg)} FROM case_events p JOIN cases c ON c.id = p.case_id "
        f"WHERE p.case_id = NEW.case_id AND p.seq < NEW.seq AND {MOVES.format(e='p')} "
        f"ORDER BY p.seq DESC LIMIT 1{' ON CONFLICT DO NOTHING' if pg else ''}")


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table('case_stays',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('definition_key', sa.String(length=64), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('began_on', sa.Integer(), nullable=False),
    sa.Column('ended_on', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'seq', name=op.f('pk_case_stays'))
    )
    op.create_index('ix_case_stays_org', 'case_stays',
                    ['org_id', 'definition_key', 'state', 'began_on', 'ended_on', 'case_id'], unique=False)
    op.create_index('ix_cases_org_stats', 'cases', ['org_id', 'definition_key', 'state', 'final', 'due_at'],
                    unique=False)
    op.create_index('ix_cases_org_created', 'cases', ['org_id', 'created_at'], unique=False)
    op.create_index('ix_cases_org_closed', 'cases', ['org_id', 'final', 'state_entered_at'], unique=False)
    if pg:
        op.execute(f"""
            CREATE OR REPLACE FUNCTION cadreflow_case_stay() RETURNS trigger AS $$
            BEGIN
                {_stay_of_new(True)};
                RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER case_events_stay AFTER INSERT ON case_events FOR EACH ROW "
                   f"WHEN ({MOVES.format(e='NEW')}) EXECUTE FUNCTION cadreflow_case_stay()")
    else:
        op.execute(f"CREATE TRIGGER case_events_stay AFTER INSERT ON case_events "
                   f"WHEN {MOVES.format(e='NEW')} BEGIN {_stay_of_new(False)}; END")
    op.execute(backfill(pg))


def backfill(pg: bool) -> str:
    """The stays of the history already written: each move ends the stay the move before it began."""
    return (
        "INSERT INTO case_stays (case_id, seq, org_id, definition_key, opened_at, state, began_on, ended_on) "
        f"SELECT m.case_id, m.next_seq, c.org_id, c.definition_key, c.created_at, m.to_state, {_day('m.at', pg)}, "
        f"{_day('m.next_at', pg)} FROM (SELECT case_id, to_state, at, "
        "LEAD(seq) OVER (PARTITION BY case_id ORDER BY seq) AS next_seq, "
        "LEAD(at) OVER (PARTITION BY case_id ORDER BY seq) AS next_at "
        f"FROM case_events WHERE {MOVES.format(e='case_events')}) m JOIN cases c ON c.id = m.case_id "
        "WHERE m.next_seq IS NOT NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_events_stay ON case_events")
        op.execute("DROP FUNCTION IF EXISTS cadreflow_case_stay()")
    else:
        op.execute("DROP TRIGGER IF EXISTS case_events_stay")
    op.drop_index('ix_cases_org_closed', table_name='cases')
    op.drop_index('ix_cases_org_created', table_name='cases')
    op.drop_index('ix_cases_org_stats', table_name='cases')
    op.drop_index('ix_case_stays_org', table_name='case_stays')
    op.drop_table('case_stays')
