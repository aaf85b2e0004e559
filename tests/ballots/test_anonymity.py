"""What the database keeps of a vote: no code in clear, nothing that orders or times a ballot's content."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy import text

from ..api.conftest import ApiClient
from .helpers import evaluation_ballot
from .helpers import investigating

CONTENT_TABLES = ("ballot_box", "ballot_codes", "ballot_receipts")


def dump(api: ApiClient) -> str:
    """Every value of every ballot table, as text."""
    out = []
    with api.engine.db.engine.connect() as conn:
        for table in ("ballots", "ballot_slips", *CONTENT_TABLES, "case_events", "login_failures", "access_log"):
            out += [repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}"))]
    return "\n".join(out)


def test_the_content_tables_have_no_time_no_user_no_address_no_sequence(real_api: ApiClient) -> None:
    schema = inspect(real_api.engine.db.engine)
    for table in CONTENT_TABLES:
        columns = {c["name"]: c for c in schema.get_columns(table)}
        assert set(columns) <= {"id", "ballot_id", "choices", "code_hash", "used", "receipt"}, table
        assert not [c for c in columns.values() if str(c["type"]).upper().startswith(("DATE", "TIME"))]
        pk = schema.get_pk_constraint(table)["constrained_columns"]
        assert all(str(columns[c]["type"]).upper().startswith("VARCHAR") or c == "ballot_id" for c in pk)
    if real_api.engine.db.dialect == "sqlite":
        with real_api.engine.db.engine.connect() as conn:
            for table in CONTENT_TABLES:
                sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()
                assert "WITHOUT ROWID" in sql.upper(), table


def test_codes_are_kept_only_as_hashes_once_voting_starts(real_api: ApiClient) -> None:
    case_id, subject = investigating(real_api)
    body = real_api.post(f"/cases/{case_id}/ballots", json=evaluation_ballot(subject, voters=4)).get_json()
    codes = [c.replace("-", "") for c in body["codes"]]
    before = dump(real_api)
    assert not any(c in before for c in codes)  # sealed for printing, never in clear
    assert real_api.post("/vote", None, json={"code": body["codes"][0], "choices": {"zs": ["优秀"]}}).status_code == 201
    assert real_api.post("/vote", None, json={"code": "0000-0000-0000-0000", "choices": {}}).status_code == 403
    after = dump(real_api)
    assert not any(c in after for c in codes)
    with real_api.engine.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ballot_slips")).scalar() == 0
        box = conn.execute(text("SELECT * FROM ballot_box")).mappings().all()
    assert len(box) == 1 and set(box[0]) == {"id", "ballot_id", "choices"}
    assert "127.0.0.1" not in repr(box) and "优秀" in repr(box)


def test_closing_rewrites_the_box_in_canonical_order_with_new_ids(real_api: ApiClient) -> None:
    case_id, subject = investigating(real_api)
    body = real_api.post(f"/cases/{case_id}/ballots", json=evaluation_ballot(subject, voters=6)).get_json()
    for code, grade in zip(body["codes"], ["称职", "优秀", "不称职", "优秀", "基本称职"], strict=False):
        real_api.post("/vote", None, json={"code": code, "choices": {"zs": [grade]}})
    with real_api.engine.db.engine.connect() as conn:
        ids_open = set(conn.execute(text("SELECT id FROM ballot_box")).scalars())
    real_api.post(f"/ballots/{body['id']}/close")
    with real_api.engine.db.engine.connect() as conn:
        ids_closed = set(conn.execute(text("SELECT id FROM ballot_box")).scalars())
        used = conn.execute(text("SELECT count(*) FROM ballot_codes WHERE used = :t"), {"t": True}).scalar()
    assert len(ids_closed) == 5 and not ids_open & ids_closed and used == 5
    assert all(len(i) == 25 for i in ids_closed)  # 128 random bits, no sequence
