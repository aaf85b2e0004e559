"""organizations (干部管理权限), case readers, the access register (查阅登记)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:30:00

Every user, person and case belongs to an organization; the one root organization
(id 1) holds everything there was before. ``case_readers`` names the users a case
names (recommender, panel, team), who may read it for that reason. ``access_log``
records every read, append-only and hash-chained like the history.
"""
from __future__ import annotations

from datetime import UTC
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None
APPEND_ONLY_MESSAGE = "append-only table: history rows can be neither changed nor deleted"


def upgrade() -> None:
    orgs = op.create_table(
        'organizations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['parent_id'], ['organizations.id'],
                                name=op.f('fk_organizations_parent_id_organizations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
        sa.UniqueConstraint('code', name=op.f('uq_organizations_code')),
    )
    op.create_index(op.f('ix_organizations_path'), 'organizations', ['path'])
    now = datetime.now(UTC)
    op.bulk_insert(orgs, [{"code": "root", "name": "组织部", "parent_id": None, "path": "",
                           "created_at": now if op.get_bind().dialect.name == "postgresql"
                           else now.replace(tzinfo=None)}])
    op.execute("UPDATE organizations SET path = '/' || CAST(id AS VARCHAR(20)) || '/' WHERE code = 'root'")
    for table, column in (("users", "org_id"), ("people", "managing_org_id"), ("cases", "org_id")):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET {column} = (SELECT id FROM organizations WHERE code = 'root')")
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(op.f(f'fk_{table}_{column}_organizations'), 'organizations', [column], ['id'])
    op.create_index(op.f('ix_people_managing_org_id'), 'people', ['managing_org_id'])
    op.create_index('ix_cases_org_updated', 'cases', ['org_id', 'updated_at'])
    op.create_index('ix_cases_org_definition_state_updated', 'cases',
                    ['org_id', 'definition_key', 'state', 'updated_at'])
    op.create_table(
        'case_readers',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_readers_case_id_cases')),
        sa.PrimaryKeyConstraint('case_id', 'username', 'reason', name=op.f('pk_case_readers')),
    )
    op.create_index('ix_case_readers_username_case', 'case_readers', ['username', 'case_id'])
    op.create_table(
        'access_log',
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('object', sa.String(length=32), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_access_log')),
    )
    op.create_index('ix_access_log_case', 'access_log', ['case_id', 'seq'])
    op.create_index('ix_access_log_person', 'access_log', ['person_id', 'seq'])
    op.create_index('ix_access_log_username', 'access_log', ['username', 'seq'])
    op.create_table(
        'access_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('mac', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_head')),
    )
    _append_only("access_log")


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for action, each in (("update", "ROW"), ("delete", "ROW"), ("truncate", "STATEMENT")):
            op.execute(f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                       f"FOR EACH {each} EXECUTE FUNCTION cadreflow_refuse_change()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for action in ("update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS access_log_no_{action} ON access_log")
    op.drop_table('access_head')
    op.drop_table('access_log')
    op.drop_table('case_readers')
    op.drop_index('ix_cases_org_definition_state_updated', table_name='cases')
    op.drop_index('ix_cases_org_updated', table_name='cases')
    op.drop_index(op.f('ix_people_managing_org_id'), table_name='people')
    for table, column in (("cases", "org_id"), ("people", "managing_org_id"), ("users", "org_id")):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'fk_{table}_{column}_organizations'), type_='foreignkey')
            batch.drop_column(column)
    op.drop_index(op.f('ix_organizations_path'), table_name='organizations')
    op.drop_table('organizations')
