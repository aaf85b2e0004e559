"""消息通知 by email: sent after the commit to the users who have an address; a mail server that
is down fails no event and the failure is kept on the notification."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header
from email.header import make_header
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow import ValidationFailed
from workflow.persistence.tables import notices_t
from workflow.settings import SmtpSettings

from ..conftest import HEAD_KEY
from ..conftest import TEST_DEFINITIONS
from .helpers import actors
from .helpers import new_case


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def mail_engine(db_url: str, clock: FixedClock, port: int) -> Engine:
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="cadreflow@example.org", starttls=False, timeout=5)
    eng = Engine(Settings(database_url=db_url, head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS, smtp=smtp),
                 clock=clock)
    eng.sync_definitions()
    return eng


def states(engine: Engine) -> list[tuple[str, str | None, str]]:
    with engine.db.read() as conn:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            select(notices_t.c.username, notices_t.c.mail_state, notices_t.c.mail_error).order_by(notices_t.c.id))]


def test_sent_to_the_users_with_an_address(db_url: str, clock: FixedClock, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    engine = mail_engine(db_url, clock, port)
    try:
        a = actors(engine)
        engine.users.set_email("off2", "off2@example.org")
        new_case(engine, a)  # tells both and off2; only off2 has an address
        assert [(f, to) for f, to, _ in inbox.messages] == [("cadreflow@example.org", ["off2@example.org"])]
        msg = inbox.messages[0][2]
        assert str(make_header(decode_header(msg["Subject"]))) == "【新待办】干部工作流程消息通知"
        body = msg.get_payload(decode=True)
        assert isinstance(body, bytes) and "《测试案件》（测试审查流程）已到“起草”环节" in body.decode("utf-8")
        assert states(engine) == [("both", None, ""), ("off2", "sent", "")]
        new_case(engine, a)  # already sent ones are not sent again
        assert len(inbox.messages) == 2
    finally:
        engine.dispose()


def test_a_server_that_is_down_fails_no_event(db_url: str, clock: FixedClock) -> None:
    engine = mail_engine(db_url, clock, free_port())  # nothing listens there
    try:
        a = actors(engine)
        engine.users.set_email("off2", "off2@example.org")
        case = new_case(engine, a)
        assert engine.get_case(case.id).state == "draft"
        [(user, state, error)] = [s for s in states(engine) if s[0] == "off2"]
        assert state == "failed" and "Connection" in error
    finally:
        engine.dispose()


def test_email_addresses_are_checked(test_engine: Engine) -> None:
    actors(test_engine)
    with pytest.raises(ValidationFailed) as exc:
        test_engine.users.set_email("off", "not-an-address")
    assert exc.value.fields == {"email": "电子邮箱：格式不正确，应如 name@example.org"}
    test_engine.users.set_email("off", " off@example.org ")
    assert test_engine.users.get("off").email == "off@example.org"
    assert not test_engine.mailer.enabled  # off by default: nothing is marked for sending
    new_case(test_engine, actors(test_engine))
    assert {s for _, s, _ in states(test_engine)} == {None}
