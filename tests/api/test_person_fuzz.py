"""schemathesis over the person record's operations only (tag 人员): no server error, every answer as
documented. The whole-API run is test_schemathesis; this one keeps the person endpoints covered on their own."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from schemathesis import GenerationMode

from .conftest import ApiClient
from .conftest import multipart
from .test_person_record import FULL
from .test_person_sanctions import SANCTION
from .test_person_sanctions import jpeg
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
    labels = {label for label, _ in fuzz.statuses}
    assert len(operations) >= 15 and labels == {op.label for op in operations}
    assert any(status == 200 for (label, status) in fuzz.statuses if label == "GET /people/{person_id}/history")
