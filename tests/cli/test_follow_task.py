"""The sans-I/O task follower, scripted: event.from when the server has it, polling when not."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from xenia.client import Failure
from xenia.client.tasks import Call, Progress, Sleep, Step, TaskRecord, follow_task, task_outcome


def drive(steps: Generator[Step, Any, TaskRecord], answers: dict[str, list[Any]]) -> tuple[TaskRecord, list[Step]]:
    """Run the generator against canned answers per method; Failure answers are thrown in."""
    seen: list[Step] = []
    reply: Any = None
    error: Failure | None = None
    try:
        while True:
            step = steps.throw(error) if error else steps.send(reply)
            seen.append(step)
            reply, error = None, None
            if isinstance(step, Call):
                answer = answers[step.method].pop(0)
                if isinstance(answer, Failure):
                    error = answer
                else:
                    reply = answer
    except StopIteration as stop:
        return stop.value, seen


def batch(token: str, *events: dict[str, Any]) -> dict[str, Any]:
    return {"events": list(events), "valid_ref_counts": {}, "token": token}


def task_event(op: str, status: str, progress: float) -> dict[str, Any]:
    return {"id": "1", "class": "task", "operation": op, "ref": "T",
            "snapshot": {"status": status, "progress": progress, "result": "<value>R</value>"}}  # fmt: skip


def test_follows_events_and_passes_the_token_on() -> None:
    steps = follow_task("T")
    answers = {"event.from": [batch("t1", task_event("add", "pending", 0.0)), batch("t2"),
                              batch("t3", task_event("mod", "pending", 0.5), task_event("mod", "success", 1.0))]}
    record, seen = drive(steps, answers)  # fmt: skip
    calls = [s for s in seen if isinstance(s, Call)]
    assert [c.params[1] for c in calls] == ["", "t1", "t2"]
    assert calls[0].params[0] == ["task/T"]
    assert [s for s in seen if isinstance(s, Progress)] == [Progress(0.0, "pending"), Progress(1.0, "success")]
    assert not any(isinstance(s, Sleep) for s in seen)
    assert task_outcome("T", record) == "R"


def test_falls_back_to_polling_without_event_from() -> None:
    pending: TaskRecord = {"status": "pending", "progress": 0.25}
    done: TaskRecord = {"status": "failure", "progress": 1.0, "error_info": ["VM_BAD_POWER_STATE", "v", "a", "b"]}
    answers: dict[str, list[Any]] = {"event.from": [Failure(["MESSAGE_METHOD_UNKNOWN", "event.from"])],
               "task.get_record": [pending, pending, done]}  # fmt: skip
    record, seen = drive(follow_task("T", poll_interval=0.1, max_poll_interval=0.12), answers)
    sleeps = [s.seconds for s in seen if isinstance(s, Sleep)]
    assert sleeps == [0.1, pytest.approx(0.12)]
    with pytest.raises(Failure) as info:
        task_outcome("T", record)
    assert info.value.details == ["VM_BAD_POWER_STATE", "v", "a", "b"]


def test_other_failures_and_deleted_tasks_propagate() -> None:
    with pytest.raises(Failure, match="SESSION_INVALID"):
        drive(follow_task("T"), {"event.from": [Failure(["SESSION_INVALID", "s"])]})
    deleted = {"id": "2", "class": "task", "operation": "del", "ref": "T"}
    with pytest.raises(Failure, match="HANDLE_INVALID"):
        drive(follow_task("T"), {"event.from": [batch("t1", deleted)]})


def test_cancelled_task_raises_task_cancelled() -> None:
    with pytest.raises(Failure) as info:
        task_outcome("T", {"status": "cancelled", "error_info": []})
    assert info.value.details == ["TASK_CANCELLED", "T"]
