"""The task API operations use (TaskContext), in process: progress, safe steps, guard, subtasks, collection."""

from __future__ import annotations

import asyncio

import pytest

from xenia.api.tasks import TaskContext, TaskLimits, TaskManager
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db


def manager(**limits: float) -> tuple[Db, TaskManager]:
    db = Db(MODEL)
    return db, TaskManager(db, "OpaqueRef:host", TaskLimits(**limits))  # type: ignore[arg-type]


def running(tasks: TaskManager, session: str = "OpaqueRef:s") -> TaskContext:
    """A task as ``Async.`` makes it, without a call behind it."""
    ref = tasks.create(session, "Async.test", "")
    tasks.live[ref].is_async = True
    return tasks.context(ref)


@pytest.mark.asyncio
async def test_progress_only_rises_and_steps_stop_when_cancelled() -> None:
    db, tasks = manager()
    task = running(tasks)
    await task.step(0.25)
    task.progress(0.1)  # never backwards
    assert db.get("task", task.ref)["progress"] == 0.25
    tasks.cancel(task.ref)
    assert db.get("task", task.ref)["status"] == "cancelling"
    assert task.cancelling
    with pytest.raises(ApiError) as e:
        await task.step(0.5)
    assert e.value.description == ["TASK_CANCELLED", task.ref]
    tasks.finish(task.ref, error=e.value.description)
    rec = db.get("task", task.ref)
    assert rec["status"] == "cancelled" and rec["error_info"] == ["TASK_CANCELLED", task.ref]
    assert rec["progress"] == 0.5 and rec["allowed_operations"] == [] and rec["current_operations"] == {}


@pytest.mark.asyncio
async def test_a_synchronous_call_gets_a_context_that_does_nothing() -> None:
    _, tasks = manager()
    task = tasks.context(None)
    assert task.ref == NULL_REF
    task.progress(0.5)
    await task.step(0.5)
    task.check_cancelled()
    assert await task.guard(asyncio.sleep(0, "done")) == "done"


@pytest.mark.asyncio
async def test_guard_abandons_a_long_wait_when_cancelled() -> None:
    _, tasks = manager()
    task = running(tasks)
    slow_guest = asyncio.Event()
    wait = asyncio.ensure_future(task.guard(slow_guest.wait()))
    await asyncio.sleep(0.01)
    tasks.cancel(task.ref)
    with pytest.raises(ApiError) as e:
        await wait
    assert e.value.code == "TASK_CANCELLED"


def test_past_the_point_of_no_return_cancel_is_refused() -> None:
    db, tasks = manager()
    task = running(tasks)
    task.set_cancellable(False)
    assert db.get("task", task.ref)["allowed_operations"] == []
    with pytest.raises(ApiError) as e:
        tasks.cancel(task.ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED"
    tasks.finish(task.ref, result="<value></value>")
    with pytest.raises(ApiError) as e:
        tasks.cancel(task.ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED" and "success" in e.value.description[1]


@pytest.mark.asyncio
async def test_subtasks_have_records_and_move_the_parent_progress() -> None:
    db, tasks = manager()
    task = running(tasks)
    async with task.subtask("save memory", until=0.8) as sub:
        assert db.get("task", sub.ref)["subtask_of"] == task.ref
        assert db.field("task", task.ref, "subtasks") == [sub.ref]
        sub.progress(0.5)
        assert db.get("task", task.ref)["progress"] == pytest.approx(0.4)
    assert db.get("task", sub.ref)["status"] == "success"
    assert db.get("task", task.ref)["progress"] == pytest.approx(0.8)
    with pytest.raises(ApiError) as e:
        async with task.subtask("write suspend image", until=1.0) as sub2:
            tasks.cancel(task.ref)
            async with sub2.subtask("inner", until=1.0) as inner:
                await inner.step()
    assert e.value.description == ["TASK_CANCELLED", task.ref]
    assert db.get("task", sub2.ref)["status"] == db.get("task", inner.ref)["status"] == "cancelled"
    tasks.destroy(task.ref)
    assert db.refs("task") == []


def test_finished_tasks_are_capped_per_session_and_collected() -> None:
    db, tasks = manager(finished_per_session=3, completed_timeout=10)
    refs = [running(tasks, "OpaqueRef:a").ref for _ in range(5)]
    other = running(tasks, "OpaqueRef:b").ref
    for ref in [*refs, other]:
        tasks.finish(ref, result="<value></value>")
    assert set(db.refs("task")) == {*refs[2:], other}
    assert tasks.collect() == 0
    assert tasks.collect(now=10**9) == 4
    assert db.refs("task") == []


def test_a_session_that_ends_takes_its_tasks() -> None:
    db, tasks = manager()
    mine = tasks.create("OpaqueRef:a", "upload", "")
    done = running(tasks, "OpaqueRef:a").ref
    tasks.finish(done, result="<value></value>")
    theirs = tasks.create("OpaqueRef:b", "upload", "")
    tasks.session_ended("OpaqueRef:a")
    assert db.refs("task") == [theirs]
    assert mine not in tasks.live
