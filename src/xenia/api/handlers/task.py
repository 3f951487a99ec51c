"""task: client-made tasks, cancellation and the setters xapi offers for tasks run outside it."""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.api.tasks import TaskManager


def _tasks(call: Call) -> TaskManager:
    tasks: TaskManager = call.app.services["tasks"]
    return tasks


@handler("task.create")
def create(call: Call, label: str, description: str) -> str:
    return _tasks(call).create(call.session_ref, label, description)


@handler("task.destroy")
def destroy(call: Call, task: str) -> None:
    call.db.get("task", task)
    _tasks(call).destroy(task)


@handler("task.cancel")
def cancel(call: Call, task: str) -> None:
    _tasks(call).cancel(task)


@handler("task.set_status")
def set_status(call: Call, task: str, value: str) -> None:
    _tasks(call).set_status(task, value)


@handler("task.set_progress")
def set_progress(call: Call, task: str, value: float) -> None:
    call.db.get("task", task)
    call.db.set("task", task, "progress", value)


@handler("task.set_result")
def set_result(call: Call, task: str, value: str) -> None:
    call.db.get("task", task)
    call.db.set("task", task, "result", value)


@handler("task.set_error_info")
def set_error_info(call: Call, task: str, value: list[str]) -> None:
    call.db.get("task", task)
    call.db.set("task", task, "error_info", value)
