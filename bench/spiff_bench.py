"""The engine against SpiffWorkflow 3.x on the same disk, in the same run.

SpiffWorkflow (a benchmark-only dependency: the ``bench`` extra, never a runtime
one) runs a BPMN process of the same shape as a cadreflow procedure, built here
as XML: start -> 8 user tasks in sequence, with an exclusive gateway after the
4th (approved -> task 5 and on; not approved -> a rejection end) -> end.

Each Spiff step is what a stateless web request does: in its own transaction
(``BEGIN IMMEDIATE``), read the workflow's row, deserialise it (the spec is
embedded in each workflow's JSON), complete the one ready user task with the
same form data the engine's event carries, run the engine steps (the gateway
evaluates its condition), serialise the workflow and UPDATE the row, COMMIT; on
SQLite in WAL mode with the same synchronous setting as the engine. 200
workflows take the steps in turn, as 200 cases take the engine's events.

Spiff does less per step than the engine: no field validation, no permission
check, no guard, no history row or hash chain (its task log lives in the JSON).

Engine: bench.engine_bench.EngineRunner (`Engine.fire` of 日常考察 `record`); the
raw limit (bench.engine_bench.RawRunner) runs in the same rounds, so the figure
also says whether 2× Spiff is reachable at all on this disk. The three run in
interleaved rounds; the ratio is the median of per-round ratios.

Run: .venv/bin/python -m bench.spiff_bench [--quick]
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
from typing import Any

from .common import Figure
from .common import interleaved
from .common import temp_dir
from .engine_bench import RECORD
from .engine_bench import EngineRunner
from .engine_bench import RawRunner

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TASKS = 8
GATEWAY_AFTER = 4


def bpmn_xml(tasks: int = TASKS, gateway_after: int = GATEWAY_AFTER) -> str:
    """The process as BPMN 2.0 XML: user tasks in sequence, one exclusive gateway."""
    nodes = ['<bpmn:startEvent id="start"/>']
    flows = []

    def flow(source: str, target: str, condition: str | None = None) -> None:
        body = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
        flows.append(f'<bpmn:sequenceFlow id="flow_{source}_{target}" sourceRef="{source}" '
                     f'targetRef="{target}">{body}</bpmn:sequenceFlow>')

    previous = "start"
    for i in range(1, tasks + 1):
        nodes.append(f'<bpmn:userTask id="task{i}" name="环节{i}"/>')
        flow(previous, f"task{i}")
        previous = f"task{i}"
        if i == gateway_after:
            nodes.append(f'<bpmn:exclusiveGateway id="decide" default="flow_decide_task{i + 1}"/>')
            nodes.append('<bpmn:endEvent id="rejected"/>')
            flow(previous, "decide")
            flow("decide", "rejected", "approved == False")
            previous = "decide"
    nodes.append('<bpmn:endEvent id="end"/>')
    flow(previous, "end")
    return (f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="{BPMN}" id="bench" '
            f'targetNamespace="https://cadreflow.example/bench"><bpmn:process id="inspection" '
            f'isExecutable="true">{"".join(nodes + flows)}</bpmn:process></bpmn:definitions>')


def parse_spec() -> Any:
    from lxml import etree
    from SpiffWorkflow.bpmn.parser import BpmnParser

    parser = BpmnParser()
    parser.add_bpmn_xml(etree.fromstring(bpmn_xml().encode("utf-8")))
    return parser.get_spec("inspection")


def spiff_version() -> str:
    from importlib.metadata import version

    return version("SpiffWorkflow")


class SpiffRunner:
    """One step per transaction: read the row, deserialise, complete a task, serialise, write."""

    def __init__(self, synchronous: str, cases: int = 200) -> None:
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
        from SpiffWorkflow.util.task import TaskState

        self.ready = TaskState.READY
        self.new_workflow = BpmnWorkflow
        self.spec = parse_spec()
        self.serializer = BpmnWorkflowSerializer()
        self.folder = temp_dir("cadreflow-bench-spiff-")
        self.db = sqlite3.connect(self.folder / "spiff.db", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"PRAGMA synchronous={synchronous}")
        self.db.execute("CREATE TABLE workflows (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
                        "body TEXT NOT NULL)")
        self.cases = cases
        self.db.execute("BEGIN")
        for i in range(1, cases + 1):
            self.db.execute("INSERT INTO workflows VALUES (?, 1, ?)", (i, self._fresh()))
        self.db.execute("COMMIT")
        self.done = 0
        self.completed = 0
        self.json_bytes = 0

    def _fresh(self) -> str:
        workflow = self.new_workflow(self.spec)
        workflow.do_engine_steps()
        return str(self.serializer.serialize_json(workflow))

    def step(self, case_id: int) -> None:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        body, version = db.execute("SELECT body, version FROM workflows WHERE id = ?", (case_id,)).fetchone()
        workflow = self.serializer.deserialize_json(body)
        task = workflow.get_tasks(state=self.ready, manual=True)[0]
        task.data.update(RECORD)
        task.data["approved"] = True
        task.run()
        workflow.do_engine_steps()
        if workflow.is_completed():  # start the case over, so that every step completes a task
            self.completed += 1
            body = self._fresh()
        else:
            body = self.serializer.serialize_json(workflow)
        self.json_bytes = len(body.encode("utf-8"))
        cur = db.execute("UPDATE workflows SET body = ?, version = version + 1 WHERE id = ? AND version = ?",
                         (body, case_id, version))
        assert cur.rowcount == 1
        db.execute("COMMIT")

    def __call__(self, count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            self.step(self.done % self.cases + 1)
            self.done += 1
        return count / (time.perf_counter() - start)

    def close(self) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def check_process() -> list[str]:
    """Walk one workflow to its end (approved) and one to rejection; the completed task names."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    spec = parse_spec()
    paths = []
    for approved in (True, False):
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        done = []
        while not workflow.is_completed():
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data["approved"] = approved
            task.run()
            workflow.do_engine_steps()
            done.append(task.task_spec.name)
        paths.append(",".join(done))
    expected = ",".join(f"task{i}" for i in range(1, TASKS + 1))
    assert paths[0] == expected, paths[0]
    assert paths[1] == ",".join(f"task{i}" for i in range(1, GATEWAY_AFTER + 1)), paths[1]
    return paths


def compare(synchronous: str, rounds: int, per_round: int) -> Figure:
    """Engine, Spiff and the raw limit in interleaved rounds; the engine-vs-Spiff figure."""
    engine, spiff, raw = EngineRunner(synchronous), SpiffRunner(synchronous), RawRunner(synchronous)
    engine(20)
    spiff(20)
    result = interleaved({"engine": engine, "spiff": spiff, "raw": raw}, rounds,
                         {"engine": per_round, "spiff": per_round, "raw": per_round * 2})
    for runner in (engine, spiff, raw):
        runner.close()
    ratio = result.ratio("engine", "spiff")
    durable = synchronous == "FULL"
    needed = 2 * result.median("spiff")
    limit = result.median("raw")
    reach = ("; 2× Spiff is above the raw limit of this disk, so no engine doing one durable commit per event "
             "can reach it here" if needed > limit else f"; 2× Spiff is {needed / limit:.0%} of the raw limit")
    return Figure(
        f"engine fire vs SpiffWorkflow step, synchronous={synchronous}", round(result.median("engine"), 1),
        "events/s", round(result.median("spiff"), 1),
        f"SpiffWorkflow {spiff_version()}: reload, complete 1 of 8 user tasks, serialise, write, commit",
        target="≥ 2× SpiffWorkflow" if durable else "", met=(ratio >= 2) if durable else None,
        measured_ratio=ratio,
        note=(f"median of {rounds} interleaved rounds ({per_round} each); per-round rates: engine "
              f"{result.spread('engine')}, Spiff {result.spread('spiff')}; raw limit in the same rounds "
              f"{limit:,.0f}/s{reach}; Spiff JSON {spiff.json_bytes:,} bytes per workflow"),
        extra={"raw_limit": round(limit, 1), "spiff_over_raw": round(result.ratio("spiff", "raw"), 4),
               "engine_over_raw": round(result.ratio("engine", "raw"), 4)})


def run(quick: bool = False) -> list[Figure]:
    check_process()
    rounds, per_round = (3, 100) if quick else (5, 300)
    return [compare(sync, rounds, per_round) for sync in ("FULL", "NORMAL")]


if __name__ == "__main__":
    for fig in run("--quick" in sys.argv[1:]):
        print(json.dumps(fig.as_dict(), ensure_ascii=False))
