"""What every `cadreflow` command shares: one-line user errors and opening the engine."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any
from typing import TypeVar

import click

from documents import form_reads
from workflow import Engine
from workflow import WorkflowError

from .config import ConfigError
from .config import load_config

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(1)


def user_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WorkflowError as exc:
            fields = getattr(exc, "fields", None)
            fail(exc.message + ("：" + "；".join(fields.values()) if fields else ""))
        except (ConfigError, ValueError, OSError) as exc:
            fail(str(exc))
        return None

    return wrapper  # type: ignore[return-value]


def open_engine(sync: bool = True) -> Engine:
    config = load_config()
    engine = Engine(config.settings(), forms=form_reads())
    if sync:
        engine.sync_definitions()
    return engine


