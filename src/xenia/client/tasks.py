"""Tasks and events, sans I/O: the typed records, and the wait-for-a-task algorithm as a generator.

An ``Async.*`` call returns a task ref at once; waiting for it means following
the task until its status leaves ``pending``.  :func:`follow_task` is that wait,
written once as a generator of :class:`Step` values: it yields the calls it
needs (:class:`Call`), the pauses (:class:`Sleep`) and the progress it saw
(:class:`Progress`), and the sync and async sessions each run it with their own
I/O.  It follows the task with ``event.from(["task/<ref>"], ...)`` and falls
back to polling ``task.get_record`` when the server has no ``event.from``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, TypedDict

from xenia.client.errors import Failure, ProtocolError

#: task statuses after which nothing changes any more
FINISHED = frozenset({"success", "failure", "cancelled"})


class TaskRecord(TypedDict, total=False):
    """The fields of a ``task`` record that clients read (xapi sends them all)."""

    uuid: str
    name_label: str
    name_description: str
    status: str
    progress: float
    result: str
    error_info: list[str]
    created: str
    finished: str
    allowed_operations: list[str]
    other_config: dict[str, str]


#: one change from ``event.from``; ``snapshot`` is absent for ``del``
EventRecord = TypedDict(
    "EventRecord",
    {"id": str, "timestamp": str, "class": str, "operation": str, "ref": str, "snapshot": dict[str, Any]},
    total=False,
)


class EventBatch(TypedDict):
    """What ``event.from`` returns: the changes, the object counts, and the token for the next call."""

    events: list[EventRecord]
    valid_ref_counts: dict[str, int]
    token: str


@dataclass(frozen=True, slots=True)
class Call:
    """Make an API call with the session prepended; the generator receives the result (or the Failure)."""

    method: str
    params: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait this long before the next step."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Progress:
    """The task moved: report it (the generator receives None)."""

    fraction: float
    status: str


Step = Call | Sleep | Progress


def follow_task(ref: str, *, poll_interval: float = 0.2, max_poll_interval: float = 1.0,
                event_timeout: float = 30.0) -> Generator[Step, Any, TaskRecord]:  # fmt: skip
    """Steps that end with the finished task's record (status success, failure or cancelled)."""
    use_events = True
    token = ""
    interval = poll_interval
    seen: tuple[float, str] | None = None
    while True:
        record: TaskRecord | None = None
        if use_events:
            try:
                batch: EventBatch = yield Call("event.from", ([f"task/{ref}"], token, event_timeout))
            except Failure as e:
                if e.code != "MESSAGE_METHOD_UNKNOWN":
                    raise
                use_events = False
                continue
            first = token == ""
            token = batch["token"]
            for event in batch["events"]:
                if event.get("ref") != ref:
                    continue
                if event.get("operation") == "del":
                    raise Failure(["HANDLE_INVALID", "task", ref])
                record = event.get("snapshot")  # type: ignore[assignment]
            if record is None:
                if first:  # the first answer lists every existing task: this one is gone (collected)
                    raise Failure(["HANDLE_INVALID", "task", ref])
                continue
        else:
            record = yield Call("task.get_record", (ref,))
        assert record is not None
        now = (float(record.get("progress", 0.0)), str(record.get("status", "")))
        if now != seen:
            seen = now
            yield Progress(*now)
        if now[1] in FINISHED:
            return record
        if not use_events:
            yield Sleep(interval)
            interval = min(interval * 1.5, max_poll_interval)


def parse_result(fragment: str) -> Any:
    """A task's ``result``: xapi stores it as an XML-RPC ``<value>`` fragment; give back the value."""
    if not fragment.strip():
        return ""
    import xmlrpc.client  # only tasks with results need it; keeps the import cost off every command

    doc = f"<?xml version='1.0'?><methodResponse><params><param>{fragment}</param></params></methodResponse>"
    try:
        values, _ = xmlrpc.client.loads(doc)
    except Exception as e:  # expat errors and xmlrpc's own: the fragment is not what xapi stores
        raise ProtocolError(f"cannot parse the task result {fragment[:80]!r}: {e}") from e
    return values[0] if values else ""


def task_outcome(ref: str, record: TaskRecord) -> Any:
    """The result of a finished task, or its error raised as :class:`Failure`."""
    status = record.get("status")
    if status == "success":
        return parse_result(record.get("result", ""))
    if status in ("failure", "cancelled"):
        info = record.get("error_info") or (["TASK_CANCELLED", ref] if status == "cancelled" else [])
        raise Failure(info or ["INTERNAL_ERROR", f"task {ref} failed without error_info"])
    raise ProtocolError(f"task {ref} is not finished (status {status!r})")


__all__ = ["FINISHED", "Call", "EventBatch", "EventRecord", "Progress", "Sleep", "Step", "TaskRecord",
           "follow_task", "parse_result", "task_outcome"]  # fmt: skip
