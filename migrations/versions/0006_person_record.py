"""the person record: versions, a hash-chained history, sanctions (影响期), photos; code-set labels

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-05 00:00:00

``people`` gains a version (PATCH with expected_version) and the head of its history
chain (count, last hash, MAC). ``person_history`` is append-only like ``case_events``.
``person_sanctions`` is the register of 处分、问责、组织处理、诫勉 with the end of each
影响期; ``person_photos`` keeps every photo ever set (bytes in ``blobs``).

Stored 民族, 政治面貌, 学历 and 学位 are rewritten to their code set's canonical label
(a code, an alias such as 汉 or 大学 becomes the label); a value the set does not know
is left as it was, to be corrected by hand (the person page shows it, a PATCH of that
field refuses it). People recorded before this revision have no history yet: the first
change writes a baseline entry holding the record as it then stood.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None
APPEND_ONLY_MESSAGE = "append-only table: history rows can be neither changed nor deleted"
CODED = {"ethnicity": "ethnicity", "political_status": "political_status",
         "edu_fulltime_level": "education", "edu_inservice_level": "education",
         "edu_fulltime_degree": "degree", "edu_inservice_degree": "degree"}


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch.add_column(sa.Column('photo_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('head_seq', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('head_hash', sa.String(length=64), nullable=False, server_default=''))
        batch.add_column(sa.Column('head_mac', sa.String(length=64), nullable=False, server_default=''))
    with op.batch_alter_table('people') as batch:
        for column in ('version', 'head_seq', 'head_hash', 'head_mac'):
            batch.alter_column(column, server_default=None)
    op.create_table(
        'person_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('actor_name', sa.String(length=100), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_history_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_history')),
        sa.UniqueConstraint('person_id', 'seq', name='uq_person_history_person_seq'),
    )
    op.create_table(
        'person_sanctions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column('months', sa.Integer(), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('document_no', sa.String(length=100), nullable=False),
        sa.Column('effect_until', sa.Date(), nullable=True),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_sanctions_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_sanctions')),
    )
    op.create_index(op.f('ix_person_sanctions_person_id'), 'person_sanctions', ['person_id'])
    op.create_table(
        'person_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploaded_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_photos_person_id_people')),
        sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_person_photos_sha256_blobs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_photos')),
    )
    op.create_index(op.f('ix_person_photos_person_id'), 'person_photos', ['person_id'])
    _append_only("person_history")
    _canonical_labels()


def _canonical_labels() -> None:
    """民族/政治面貌/学历/学位 as their code set's label (codes and aliases recognised)."""
    from workflow.codes import code_set

    people = sa.table("people", sa.column("id", sa.Integer()), sa.column("profile", sa.JSON()))
    conn = op.get_bind()
    for row in conn.execute(sa.select(people.c.id, people.c.profile)).all():
        profile = dict(row.profile or {})
        changed = False
        for key, name in CODED.items():
            value = profile.get(key)
            if not isinstance(value, str) or not value.strip():
                continue
            codes = code_set(name)
            code = codes.code_for(value)
            if code is not None and codes.label(code) != value:
                profile[key] = codes.label(code)
                changed = True
        if changed:
            conn.execute(sa.update(people).where(people.c.id == row.id).values(profile=profile))


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
            op.execute(f"DROP TRIGGER IF EXISTS person_history_no_{action} ON person_history")
    op.drop_index(op.f('ix_person_photos_person_id'), table_name='person_photos')
    op.drop_table('person_photos')
    op.drop_index(op.f('ix_person_sanctions_person_id'), table_name='person_sanctions')
    op.drop_table('person_sanctions')
    op.drop_table('person_history')
    with op.batch_alter_table('people') as batch:
        for column in ('head_mac', 'head_hash', 'head_seq', 'photo_id', 'version'):
            batch.drop_column(column)
