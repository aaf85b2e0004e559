"""The one exception hierarchy of the engine.

Every error a caller can act on is a ``WorkflowError``; the web layer maps each
subclass to one HTTP status and one error code of api.md.
"""

from __future__ import annotations

from collections.abc import Mapping


class WorkflowError(Exception):
    """Base class. ``code`` is the api.md error code."""

    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DefinitionError(WorkflowError):
    """One or more problems in definition files, each as ``file:line: message``."""

    code = "definition_invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class NotFound(WorkflowError):
    code = "not_found"


class CaseNotFound(NotFound):
    def __init__(self, case_id: object) -> None:
        super().__init__(f"案件不存在：{case_id}")
        self.case_id = case_id


class PermissionDenied(WorkflowError):
    """Role, recusal, separation of duties, read-only role: 403."""

    code = "forbidden"


class TransitionNotAllowed(WorkflowError):
    """The event cannot fire from the case's current state: 409."""

    code = "not_allowed"

    def __init__(self, message: str, *, event: str = "", state: str = "") -> None:
        super().__init__(message)
        self.event = event
        self.state = state


class StaleVersion(WorkflowError):
    """Somebody else changed the case first: 409."""

    code = "stale_version"

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"该案件已被他人处理，请刷新后重试（提交时版本{expected}，当前版本{actual}）")
        self.expected = expected
        self.actual = actual


class CaseTampered(WorkflowError):
    """The case row disagrees with its sealed head (changed outside the engine): nothing is done, 409."""

    code = "not_allowed"

    def __init__(self, case_id: int, problems: list[str], refused: str = "办理") -> None:
        super().__init__(f"案件{case_id}的记录与其历史记录链不符，系统拒绝{refused}，请联系系统管理员核验："
                         + "；".join(problems))
        self.case_id = case_id
        self.problems = problems


class ValidationFailed(WorkflowError):
    """Missing or invalid fields: 422 with a message per field."""

    code = "validation_failed"

    def __init__(self, fields: Mapping[str, str], message: str = "提交的内容有误，请按提示修改") -> None:
        super().__init__(message)
        self.fields = dict(fields)


class GuardFailed(WorkflowError):
    """A rule of the procedure blocks the event: 422. One message per failing rule."""

    code = "guard_failed"

    def __init__(self, failures: list[str]) -> None:
        super().__init__("；".join(failures))
        self.failures = failures


class CalendarError(WorkflowError):
    """A date outside every known holiday schedule; never a guess."""

    code = "guard_failed"


class TooLarge(WorkflowError):
    code = "too_large"


class TooManyRequests(WorkflowError):
    """Too many requests of one kind in a while (sign-ins, uploads, events, 催办): 429, with the wait
    in seconds (``Retry-After``)."""

    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
