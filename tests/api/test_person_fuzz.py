"""schemathesis over the person record's operations only (tag 人员): no server error, every answer as
documented. The whole-API run is test_schemathesis; this one keeps the person endpoints covered on their own."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from schemathesis import GenerationMode

from .conftest import ApiClient
from .conftest import multipart
from .test_person_record import FULL
from .test_person_sanctions import SANCTION
from .test_person_sanctions import jpeg
from .test_schemathesis import CHECKS
from .test_schemathesis import Fuzz

SAMPLES = Path(__file__).parent.parent / "exchange" / "samples"


def test_the_person_operations_answer_as_documented(api: ApiClient) -> None:
    pid = api.post("/people", json=FULL).get_json()["id"]
    api.post(f"/people/{pid}/sanctions", json=SANCTION)
    api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("officer"), **multipart("p.jpg", jpeg()))
    api.tokens["fuzzer"] = api.tokens["off"]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api.app)
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if "人员" in (op.definition.raw.get("tags") or [])]
    fuzz = Fuzz(api)
    for operation in operations:
        for mode, examples in ((GenerationMode.POSITIVE, 15), (GenerationMode.NEGATIVE, 8)):
            fuzz.run(operation, mode, examples)
        if "{person_id}" in operation.path:  # the seeded person too, not only made-up numbers
            on_person(fuzz, operation, pid)
    labels = {label for label, _ in fuzz.statuses}
    assert len(operations) >= 15 and labels == {op.label for op in operations}
    assert fuzz.statuses[("GET /people/{person_id}/history", 200)] > 0


def on_person(fuzz: Fuzz, operation: schemathesis.APIOperation, pid: int) -> None:
    @settings(max_examples=5, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters={"person_id": pid}))
    def run(case: schemathesis.Case) -> None:
        if isinstance(case.body, dict) and "expected_version" in case.body:
            case.body["expected_version"] = fuzz.api.engine.people.get(pid).version
        response = case.call(headers=fuzz.headers, app=fuzz.api.app)
        fuzz.statuses[(operation.label, response.status_code)] += 1
        case.validate_response(response, checks=CHECKS, headers=fuzz.headers)

    run()
