"""Concurrent changes of the same case: exactly one wins, the rest get a clear conflict."""

from __future__ import annotations

import threading
from collections import Counter

from tests.pdfs import tiny_pdf
from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow import StaleVersion
from workflow import WorkflowError

from ..conftest import HEAD_KEY
from ..conftest import TEST_DEFINITIONS
from .helpers import SUBMIT
from .helpers import actors
from .helpers import new_case

THREADS = 20


def test_twenty_writers_same_event_same_version(test_engine: Engine, db_url: str, clock: FixedClock) -> None:
    """20 threads, each with its own engine and connection, fire `submit` on version 1 at once."""
    a = actors(test_engine)
    case = new_case(test_engine, a)
    engines = [Engine(Settings(database_url=db_url, head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS),
                      clock=clock) for _ in range(THREADS)]
    for eng in engines:
        eng.sync_definitions()
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(eng: Engine) -> None:
        barrier.wait()
        try:
            eng.fire(case.id, "submit", a["off"], SUBMIT, expected_version=1)
            result = "won"
        except StaleVersion:
            result = "stale"
        except WorkflowError as exc:  # any other refusal is a bug here
            result = f"{type(exc).__name__}: {exc.message}"
        except Exception as exc:  # noqa: BLE001 - a crash must show up in the assertion
            result = f"crash {type(exc).__name__}: {exc}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(eng,)) for eng in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for eng in engines:
        eng.dispose()
    assert Counter(outcomes) == Counter({"won": 1, "stale": THREADS - 1})
    history = test_engine.history(case.id)
    assert [e.event for e in history] == ["start", "submit"]
    assert test_engine.get_case(case.id).version == 2
    assert test_engine.verify().ok


def test_side_events_and_fires_interleave_without_breaking_the_chain(test_engine: Engine) -> None:
    """Recusals and attachments (no version bump) racing with a fire keep one unbroken chain."""
    a = actors(test_engine)
    case = new_case(test_engine, a)
    barrier = threading.Barrier(3)
    errors: list[str] = []

    def attach(n: int) -> None:
        barrier.wait()
        try:
            for i in range(5):
                test_engine.add_attachment(case.id, f"{n}-{i}.pdf", tiny_pdf(f"{n}-{i}"), a["off"])
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    def fire() -> None:
        barrier.wait()
        try:
            test_engine.fire(case.id, "submit", a["off"], SUBMIT, expected_version=1)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=attach, args=(1,)), threading.Thread(target=attach, args=(2,)),
               threading.Thread(target=fire)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    history = test_engine.history(case.id)
    assert len(history) == 1 + 10 + 1
    assert [e.seq for e in history] == list(range(1, 13))
    assert test_engine.get_case(case.id).state == "submitted"
    assert test_engine.verify().ok
