"""schemathesis against the app's own /api/v1/openapi.json, in process (WSGI).

Every documented operation gets generated requests that fit its schema (positive)
and requests that do not (negative), sent with a real token of a user holding
every business role, on a database with people and cases in several states of
the `review` test procedure and of every shipped procedure. Each answer must
pass two checks: not a server error, and the documented response schema.
Generation is derandomized (fixed by the schema), so CI sees the same requests.
"""

from __future__ import annotations

import copy
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from web.api.fieldschema import schema_name
from workflow import CaseQuery
from workflow import Engine
from workflow import WorkflowError
from workflow.settings import DEFAULT_DEFINITIONS

from ..conftest import TEST_DEFINITIONS
from .conftest import PDF_BYTES
from .conftest import PERSON
from .conftest import ApiClient
from .conftest import make_app

FUZZER_ROLES = ["officer", "reviewer", "recommender", "panelist", "inspector", "admin"]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 10}
ON_CASE = 5  # positive examples per seeded case for operations on one case
EVENTS_NOW = 15  # positive examples per open seeded case of the events it can take now
SLOW = {"getHistoryPdf": 1, "getDocumentPdf": 1}  # WeasyPrint renders: one example per case
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def fuzz_api(make_engine: Callable[..., Engine], tmp_path: Path) -> ApiClient:
    """The API over the shipped procedures plus `review`, with some data in it."""
    folder = tmp_path / "definitions"
    shutil.copytree(DEFAULT_DEFINITIONS, folder, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(TEST_DEFINITIONS / "review.yaml", folder / "review.yaml")
    eng = make_engine(folder)
    api = ApiClient(make_app(eng, tmp_path), eng)
    eng.users.add("fuzzer", FUZZER_ROLES, "x", name="模糊测试")
    api.tokens["fuzzer"] = eng.users.create_token("fuzzer")
    person = api.person()
    for state in ("draft", "submitted", "meeting", "scoring", "signing"):
        case = api.case_in(state)
        eng.add_attachment(case.id, "材料.pdf", PDF_BYTES, api.actor("officer"))
    eng.people.create({**PERSON, "name": "李四"}, api.actor("officer"))
    for d in eng.registry.latest():
        role = next((r for r in d.start.roles if r in FUZZER_ROLES), None)
        if role is not None and d.key != "review":
            data = {f.name: "fuzzer" for f in d.start.fields if f.type == "user" and f.role in FUZZER_ROLES}
            try:
                eng.start_case(d.key, eng.users.get("fuzzer").actor(), title=f"{d.title}（测试）",
                               subject_id=person if d.start.subject != "none" else None, data=data)
            except WorkflowError:  # seed data only: a procedure may need more than this to start
                pass
    return api


class Fuzz:
    """Runs generated requests against one app and counts what was sent and answered."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api
        self.headers = api.auth("fuzzer")
        self.statuses: Counter[tuple[str, int]] = Counter()

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def run(self, operation: schemathesis.APIOperation, mode: GenerationMode, examples: int,
            case_id: int | None = None) -> None:
        """Send ``examples`` generated requests to one operation (on one case, if given).

        On one case, ``expected_version`` is set to the case's version, so that the
        generated event data reaches the engine's validation and guards.
        """
        path: dict[str, int] = {}
        if case_id is not None:
            path["case_id"] = case_id
            attachments = self.api.engine.attachments(case_id)
            if "attachment_id" in operation.path and attachments:
                path["attachment_id"] = attachments[0].id

        @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path or None))
        def run(case: schemathesis.Case) -> None:
            if case_id is not None and isinstance(case.body, dict) and "expected_version" in case.body:
                case.body["expected_version"] = self.api.engine.get_case(case_id).version
            response = case.call(headers=self.headers, app=self.api.app)
            self.statuses[(operation.label, response.status_code)] += 1
            case.validate_response(response, checks=CHECKS, headers=self.headers)

        run()


EVENTS = "/cases/{case_id}/events"
PER_VERSION = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}  # examples per procedure version


def events_of(doc: dict[str, Any], wanted: Callable[[str], bool]) -> schemathesis.APIOperation:
    """POST /cases/{case_id}/events narrowed to the event bodies whose data schema ``wanted`` names."""
    narrowed = copy.deepcopy(doc)
    narrowed["paths"] = {EVENTS: narrowed["paths"][EVENTS]}
    body = narrowed["paths"][EVENTS]["post"]["requestBody"]["content"]["application/json"]
    body["schema"]["anyOf"] = [v for v in body["schema"]["anyOf"] if wanted(v["properties"]["data"]["$ref"])]
    schema = schemathesis.openapi.from_dict(narrowed)
    return next(result.ok() for result in schema.get_all_operations())


def events_by_version(doc: dict[str, Any]) -> list[schemathesis.APIOperation]:
    """POST /cases/{case_id}/events once per procedure version: the whole body schema, an anyOf of every
    event of every version (over 230), is more than the generator canonicalizes, so each version's
    events are generated on their own (together they are every variant)."""
    body = doc["paths"][EVENTS]["post"]["requestBody"]["content"]["application/json"]
    versions = sorted({v["properties"]["data"]["$ref"].rsplit(".", 1)[0] for v in body["schema"]["anyOf"]})
    return [events_of(doc, lambda ref, version=version: ref.rsplit(".", 1)[0] == version) for version in versions]


def events_now(doc: dict[str, Any], engine: Engine, case_id: int) -> schemathesis.APIOperation:
    """POST /cases/{case_id}/events narrowed to the events the case can take in its state."""
    case = engine.get_case(case_id)
    d = engine.registry.get(case.definition, case.definition_version)
    wanted = {f"#/components/schemas/{schema_name(d, t.trigger)}" for t in d.transitions_from(case.state)}
    return events_of(doc, wanted.__contains__)


def events_on(doc: dict[str, Any], engine: Engine, case_id: int) -> schemathesis.APIOperation:
    """POST /cases/{case_id}/events narrowed to the events of the case's procedure version."""
    case = engine.get_case(case_id)
    d = engine.registry.get(case.definition, case.definition_version)
    prefix = f"#/components/schemas/{schema_name(d, 'start').removesuffix('start')}"
    return events_of(doc, lambda ref: ref.startswith(prefix))


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(fuzz_api: ApiClient) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_api.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    seeded = [c.id for c in fuzz_api.engine.list_cases(CaseQuery(per_page=200))[0]]
    fuzz = Fuzz(fuzz_api)
    doc = fuzz_api.get("/openapi.json").get_json()
    started = time.perf_counter()
    for operation in operations:
        op_id = operation.definition.raw["operationId"]
        events = operation.path == EVENTS and operation.method.upper() == "POST"
        if events:
            for version in events_by_version(doc):
                for mode, examples in PER_VERSION.items():
                    fuzz.run(version, mode, examples)
        else:
            for mode, examples in EXAMPLES.items():
                fuzz.run(operation, mode, min(SLOW.get(op_id, examples), examples))
        if "{case_id}" in operation.path:
            for case_id in seeded:
                on_case = events_on(doc, fuzz_api.engine, case_id) if events else operation
                fuzz.run(on_case, GenerationMode.POSITIVE, SLOW.get(op_id, ON_CASE), case_id)
    for case_id in seeded:
        if not fuzz_api.engine.get_case(case_id).final:
            fuzz.run(events_now(doc, fuzz_api.engine, case_id), GenerationMode.POSITIVE, EVENTS_NOW, case_id)
    elapsed = time.perf_counter() - started
    print(f"\nschemathesis: {fuzz.sent} requests, {len(operations)} operations, {len(seeded)} seeded cases, "
          f"{elapsed:.1f} s")
    for (label, status), count in sorted(fuzz.statuses.items()):
        print(f"  {label}: {status} x{count}")
    assert fuzz.sent >= 300 and len({label for label, _ in fuzz.statuses}) == len(operations) >= 19
    assert any(status < 300 for (label, status) in fuzz.statuses if label == "POST /cases/{case_id}/events")
