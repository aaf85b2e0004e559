"""Sending notifications by email (SMTP), after the transaction that wrote them has committed.

A notification marked ``pending`` is claimed (``sending``) by one sender, sent, then marked
``sent``, or ``failed`` with the error: a mail server that is down or refuses never fails the
event that caused the notification; the failure is logged and kept on the row.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy import update

from ..persistence.db import Database
from ..persistence.tables import notices_t
from ..persistence.tables import users_t
from ..settings import SmtpSettings
from . import KINDS

log = logging.getLogger(__name__)

BATCH = 100


class Mailer:
    def __init__(self, db: Database, settings: SmtpSettings) -> None:
        self.db = db
        self.settings = settings

    @property
    def enabled(self) -> bool:
        return bool(self.settings.host)

    def deliver(self) -> int:
        """Send the pending notifications (up to a batch at a time); how many were sent. Never raises."""
        if not self.enabled:
            return 0
        sent = 0
        try:
            while True:
                batch = self._claim()
                if not batch:
                    return sent
                sent += self._send(batch)
        except Exception:  # the database itself: leave the rest pending for the next delivery
            log.exception("sending notifications by email stopped")
            return sent

    def _claim(self) -> list[tuple[int, str, str, str]]:
        n = notices_t.c
        with self.db.write() as conn:
            rows = conn.execute(select(n.id, n.kind, n.text, users_t.c.email)
                                .join(users_t, users_t.c.username == n.username)
                                .where(n.mail_state == "pending").order_by(n.id).limit(BATCH)).all()
            claimed = []
            for r in rows:
                done = conn.execute(update(notices_t).where(n.id == r.id, n.mail_state == "pending")
                                    .values(mail_state="sending"))
                if done.rowcount == 1:
                    claimed.append((r.id, r.kind, r.text, r.email))
        return claimed

    def _send(self, batch: list[tuple[int, str, str, str]]) -> int:
        s = self.settings
        results: dict[int, str] = {}
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls()
                if s.user:
                    smtp.login(s.user, s.password)
                for nid, kind, text, email in batch:
                    try:
                        smtp.send_message(self._message(kind, text, email))
                        results[nid] = ""
                    except (smtplib.SMTPException, OSError, ValueError) as exc:
                        results[nid] = f"{type(exc).__name__}: {exc}"
        except (smtplib.SMTPException, OSError) as exc:
            for nid, *_ in batch:
                results.setdefault(nid, f"{type(exc).__name__}: {exc}")
        failed = {k: v for k, v in results.items() if v}
        if failed:
            log.warning("%d notification email(s) failed: %s", len(failed), next(iter(failed.values())))
        n = notices_t.c
        with self.db.write() as conn:
            for nid, error in results.items():
                conn.execute(update(notices_t).where(n.id == nid).values(
                    mail_state="failed" if error else "sent", mail_error=error[:1000]))
        return len(results) - len(failed)

    def _message(self, kind: str, text: str, email: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.settings.sender or self.settings.user
        msg["To"] = email
        msg["Subject"] = f"【{KINDS.get(kind, '消息')}】干部工作流程消息通知"
        msg.set_content(text + "\n\n（本邮件由系统自动发送，请登录系统查看和办理。）")
        return msg
