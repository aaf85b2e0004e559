"""Notifications (消息通知): what the engine tells a user about a case.

``write`` adds them inside the transaction of the event that causes them (新待办, 退回, 催办);
``reminders`` adds 临期 and 逾期 in one statement per kind; ``inbox`` reads and marks them for
their user; ``mail`` sends them by SMTP after the commit, when configured. A notification goes
only to a user who may see the case, and its text names the case, its step and what the user
is asked to do (a 退回's reason, a 催办's text), never sealed entries.
"""

from __future__ import annotations

KINDS = {"todo": "新待办", "returned": "退回", "urged": "催办", "due_soon": "临期", "overdue": "逾期",
         "copied": "抄送"}
