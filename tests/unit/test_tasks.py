"""Tasks in process: what an ``Async.`` call leaves in its task, cancellation, client-made tasks, collection.

Expected values are xapi's task semantics (``taskHelper.ml``, the datamodel's ``task`` class): a
task is ``pending`` with ``allowed_operations = [cancel]`` until it ends in ``success`` (progress 1,
``result`` the XML-RPC ``<value>`` of the answer), ``failure`` (``error_info``) or ``cancelled``;
``task.cancel`` on a finished task is OPERATION_NOT_ALLOWED; finished tasks are destroyed after
``completed_timeout`` and pending ones after ``pending_timeout`` (xapi's 65 min and 24 h).
The background call is a real coroutine on the test's loop; its method is a one-off message
(so no method table has to be built).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from xenia.api.codec import xmlrpc
from xenia.api.context import App, Call
from xenia.api.methods import _method
from xenia.api.sessions import SessionManager
from xenia.api.tasks import TaskContext, TaskLimits, TaskManager, task_context
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Message
from xenia.db import Db

HOST = "OpaqueRef:host"
SESSION = "OpaqueRef:session"


class _Dispatcher:
    """What a task needs of the dispatcher: the encoders of results."""

    encoders = xmlrpc.Encoders(lambda cls: [])


def world(**limits: float) -> tuple[Db, TaskManager, App]:
    db = Db(MODEL)
    tasks = TaskManager(db, HOST, TaskLimits(**limits))  # type: ignore[arg-type]
    app = App(db, SessionManager(db, HOST), HOST, "OpaqueRef:pool", Path("/nonexistent"))
    app.services.update(tasks=tasks, dispatcher=_Dispatcher())
    return db, tasks, app


def call_of(app: App, handler: Callable[..., Any], result: str = "string") -> Call:
    method = _method("test", Message("work", (), result, is_async=True), handler)
    return Call(app, method, None, False)


async def done(db: Db, ref: str) -> dict[str, Any]:
    for _ in range(200):
        rec = db.get("task", ref)
        if rec["status"] not in ("pending", "cancelling"):
            return rec
        await asyncio.sleep(0.005)
    raise AssertionError(f"task {ref} never finished")


def test_limits_are_xapis() -> None:
    limits = TaskLimits()
    assert limits.completed_timeout == 65 * 60 and limits.pending_timeout == 24 * 3600
    assert limits.finished_per_session == 200 and limits.step_delay == 0


@pytest.mark.asyncio
async def test_an_async_call_runs_under_a_pending_task_and_leaves_its_result() -> None:
    db, tasks, app = world()
    started = asyncio.Event()
    release = asyncio.Event()

    async def handler(call: Call) -> str:
        assert call.task is not None and task_context(call).ref == call.task
        started.set()
        await release.wait()
        return "answer"

    ref = tasks.spawn(call_of(app, handler), [])
    await started.wait()
    rec = db.get("task", ref)
    assert rec["status"] == "pending" and rec["progress"] == 0.0 and rec["allowed_operations"] == ["cancel"]
    assert rec["name_label"] == "Async.test.work" and rec["resident_on"] == HOST and rec["type"] == "<none/>"
    assert rec["session"] == NULL_REF and rec["subtask_of"] == NULL_REF and rec["created"] > "2000"
    release.set()
    rec = await done(db, ref)
    assert rec["status"] == "success" and rec["progress"] == 1.0 and rec["result"] == "<value>answer</value>"
    assert rec["finished"] >= rec["created"] and rec["allowed_operations"] == [] and rec["error_info"] == []
    assert ref not in tasks.running and ref not in tasks.live


@pytest.mark.asyncio
async def test_synchronous_handlers_and_errors_end_the_task_too() -> None:
    db, tasks, app = world()

    def sync(call: Call) -> str:
        return "ok"

    def refuses(call: Call) -> str:
        raise ApiError("VM_BAD_POWER_STATE", "OpaqueRef:vm", "running", "halted")

    async def breaks(call: Call) -> str:
        raise KeyError("driver")

    assert (await done(db, tasks.spawn(call_of(app, sync), [])))["result"] == "<value>ok</value>"
    rec = await done(db, tasks.spawn(call_of(app, refuses), []))
    assert rec["status"] == "failure" and rec["error_info"] == ["VM_BAD_POWER_STATE", "OpaqueRef:vm", "running", "halted"]
    assert rec["result"] == "" and rec["allowed_operations"] == []
    rec = await done(db, tasks.spawn(call_of(app, breaks), []))
    assert rec["status"] == "failure" and rec["error_info"] == ["INTERNAL_ERROR", "KeyError: 'driver'"]


@pytest.mark.asyncio
async def test_void_results_are_an_empty_value() -> None:
    db, tasks, app = world()

    def void(call: Call) -> None:
        return None

    rec = await done(db, tasks.spawn(call_of(app, void, "void"), []))
    assert rec["status"] == "success" and rec["result"] == "<value></value>"


@pytest.mark.asyncio
async def test_a_task_cancelled_before_it_starts_never_runs() -> None:
    db, tasks, app = world()
    ran: list[bool] = []

    def handler(call: Call) -> str:
        ran.append(True)
        return "x"

    ref = tasks.spawn(call_of(app, handler), [])
    tasks.cancel(ref)  # the background call has not had a turn yet
    rec = db.get("task", ref)
    assert rec["status"] == "cancelling" and rec["allowed_operations"] == []
    assert list(rec["current_operations"].values()) == ["cancel"]
    rec = await done(db, ref)
    assert rec["status"] == "cancelled" and rec["error_info"] == ["TASK_CANCELLED", ref] and ran == []


@pytest.mark.asyncio
async def test_cancel_stops_an_operation_at_its_next_safe_step() -> None:
    db, tasks, app = world(step_delay=0.001)
    steps: list[float] = []

    async def handler(call: Call) -> str:
        task = task_context(call)
        for i in range(1, 1000):
            await task.step(i / 1000)
            steps.append(i / 1000)
        return "finished"

    ref = tasks.spawn(call_of(app, handler), [])
    while not steps:
        await asyncio.sleep(0.001)
    tasks.cancel(ref)
    rec = await done(db, ref)
    assert rec["status"] == "cancelled" and len(steps) < 999
    assert 0 < rec["progress"] < 1


def test_progress_is_clamped_only_rises_and_skips_tiny_steps() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "")
    task = tasks.context(ref)
    task.progress(-1)
    assert db.get("task", ref)["progress"] == 0.0
    task.progress(0.5)
    task.progress(0.5004)  # under a thousandth: not worth a write
    assert db.get("task", ref)["progress"] == 0.5
    task.progress(0.501)
    assert db.get("task", ref)["progress"] == 0.501
    task.progress(0.3)
    assert db.get("task", ref)["progress"] == 0.501
    task.progress(0.9999)
    task.progress(7)  # clamped to 1, always written
    assert db.get("task", ref)["progress"] == 1.0


def test_a_context_for_no_task_or_an_unknown_one_does_nothing() -> None:
    db, tasks, app = world()
    for ctx in (tasks.context(None), tasks.context("OpaqueRef:gone")):
        assert ctx.ref == NULL_REF and not ctx.cancelling
        ctx.progress(0.5)
        ctx.set_cancellable(False)
        ctx.check_cancelled()
    assert db.refs("task") == []
    app.services.pop("tasks")
    assert task_context(Call(app, call_of(app, print).method, None, False, task="OpaqueRef:x")).ref == NULL_REF


@pytest.mark.asyncio
async def test_a_null_context_runs_subtasks_and_guards_as_plain_code() -> None:
    _, tasks, _ = world()
    ctx = tasks.context(None)
    async with ctx.subtask("part", until=0.5) as sub:
        assert sub is ctx
    assert await ctx.guard(asyncio.sleep(0, "v")) == "v"


def test_cancellable_flag_is_mirrored_in_allowed_operations_while_pending() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "")
    task = tasks.context(ref)
    task.set_cancellable(False)
    assert db.get("task", ref)["allowed_operations"] == []
    with pytest.raises(ApiError) as e:
        tasks.cancel(ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED"
    task.set_cancellable(True)
    assert db.get("task", ref)["allowed_operations"] == ["cancel"]
    tasks.cancel(ref)
    task.set_cancellable(False)  # cancelling already: the record is left as the cancel made it
    assert db.get("task", ref)["status"] == "cancelling"
    with pytest.raises(ApiError) as e:
        tasks.cancel(ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED"


def test_cancel_refuses_finished_and_unknown_tasks() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "")
    tasks.finish(ref, result="<value>r</value>")
    with pytest.raises(ApiError) as e:
        tasks.cancel(ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED" and "success" in e.value.description[1]
    with pytest.raises(ApiError) as e:
        tasks.cancel("OpaqueRef:gone")
    assert e.value.description == ["HANDLE_INVALID", "task", "OpaqueRef:gone"]


def test_client_made_tasks_finish_with_a_final_status() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "a description")
    rec = db.get("task", ref)
    assert rec["name_description"] == "a description" and rec["status"] == "pending" and rec["finished"] < "2000"
    tasks.set_status(ref, "cancelling")
    assert db.get("task", ref)["status"] == "cancelling" and ref in tasks.live
    for status in ("success", "failure", "cancelled"):
        other = tasks.create(SESSION, "upload", "")
        tasks.set_status(other, status)
        rec = db.get("task", other)
        assert rec["status"] == status and rec["finished"] > "2000" and rec["allowed_operations"] == []
        assert other not in tasks.live
    with pytest.raises(ApiError) as e:
        tasks.set_status("OpaqueRef:gone", "success")
    assert e.value.code == "HANDLE_INVALID"


def test_finish_tells_failure_from_cancellation() -> None:
    db, tasks, _ = world()
    a, b, c = (tasks.create(SESSION, "t", "") for _ in range(3))
    tasks.finish(a, error=["TASK_CANCELLED", a])
    tasks.finish(b, error=["INTERNAL_ERROR", "TASK_CANCELLED"])
    tasks.finish(c, error=[])
    assert [db.get("task", r)["status"] for r in (a, b, c)] == ["cancelled", "failure", "failure"]
    tasks.finish("OpaqueRef:gone", result="")  # nothing to record: no error


@pytest.mark.asyncio
async def test_a_task_whose_session_ended_while_it_ran_goes_when_it_finishes() -> None:
    db, tasks, app = world()
    release = asyncio.Event()

    async def handler(call: Call) -> str:
        await release.wait()
        return "late"

    call = call_of(app, handler)
    call.session = app.sessions.active.get(await app.sessions.login("", "", "t", local=True))
    session = call.session_ref
    running_ref = tasks.spawn(call, [])
    client_made = tasks.create(session, "upload", "")
    finished = tasks.create(session, "upload", "")
    tasks.finish(finished, result="")
    theirs = tasks.create("OpaqueRef:other", "upload", "")
    tasks.session_ended(session)
    assert set(db.refs("task")) == {running_ref, theirs}
    assert client_made not in tasks.live and session not in tasks.finished
    release.set()
    while running_ref in tasks.running:
        await asyncio.sleep(0.005)
    assert db.refs("task") == [theirs]


def test_destroy_takes_subtasks_and_forgets_finished_ones() -> None:
    db, tasks, _ = world(finished_per_session=2)
    parent = tasks.create(SESSION, "whole", "")
    sub = tasks.create_subtask(tasks.context(parent), "part", 0.5)
    inner = tasks.create_subtask(sub, "inner", 1.0)
    assert db.get("task", inner.ref)["subtask_of"] == sub.ref and db.get("task", sub.ref)["session"] == SESSION
    tasks.finish(inner.ref, result="")
    tasks.destroy(parent)
    assert db.refs("task") == [] and tasks.live == {} and tasks.finished == {}
    tasks.destroy(parent)  # gone already: nothing happens
    # a destroyed finished task no longer counts against its session's cap
    kept = [tasks.create(SESSION, "t", "") for _ in range(3)]
    tasks.finish(kept[0], result="")
    tasks.destroy(kept[0])
    tasks.finish(kept[1], result="")
    tasks.finish(kept[2], result="")
    assert set(db.refs("task")) == {kept[1], kept[2]}


def test_collect_destroys_finished_and_stale_pending_tasks_at_their_timeouts() -> None:
    db, tasks, _ = world(completed_timeout=100, pending_timeout=1000)
    t0 = tasks.live[tasks.create(SESSION, "probe", "")].created
    pending = tasks.create(SESSION, "pending", "")
    finished = tasks.create(SESSION, "finished", "")
    tasks.finish(finished, result="")
    t1 = tasks.finished[SESSION][finished]
    assert tasks.collect(now=t1 + 100) == 0  # exactly the timeout: not yet
    assert tasks.collect(now=t1 + 100.5) == 1 and not db.exists("task", finished)
    assert tasks.collect(now=t0 + 999) == 0
    assert tasks.collect(now=t0 + 1001) == 2 and db.refs("task") == []
    assert pending not in tasks.live


def test_collect_takes_old_tasks_however_long_the_clock_has_run() -> None:
    db, tasks, _ = world(completed_timeout=0.001, pending_timeout=0.001)
    pending = tasks.create(SESSION, "pending", "")
    finished = tasks.create(SESSION, "finished", "")
    tasks.finish(finished, result="")
    assert tasks.collect(now=3 * tasks.finished[SESSION][finished]) == 2
    assert pending not in tasks.live and db.refs("task") == []


@pytest.mark.asyncio
async def test_a_running_task_is_never_collected_as_stale() -> None:
    db, tasks, app = world(pending_timeout=0)
    release = asyncio.Event()

    async def handler(call: Call) -> str:
        await release.wait()
        return ""

    ref = tasks.spawn(call_of(app, handler), [])
    await asyncio.sleep(0)
    assert tasks.collect(now=tasks.live[ref].created + 10) == 0 and db.exists("task", ref)
    release.set()
    await done(db, ref)


@pytest.mark.asyncio
async def test_collection_runs_in_the_background_until_stopped() -> None:
    db, tasks, _ = world(completed_timeout=0, gc_interval=0.001)
    ref = tasks.create(SESSION, "t", "")
    tasks.finish(ref, result="")
    tasks.start()
    for _ in range(500):
        if not db.exists("task", ref):
            break
        await asyncio.sleep(0.002)
    assert not db.exists("task", ref)
    tasks.stop()
    await asyncio.sleep(0.01)
    later = tasks.create(SESSION, "t", "")
    tasks.finish(later, result="")
    await asyncio.sleep(0.02)
    assert db.exists("task", later)


@pytest.mark.asyncio
async def test_guard_returns_the_result_and_refuses_to_start_when_already_cancelled() -> None:
    _, tasks, _ = world()
    ref = tasks.create(SESSION, "t", "")
    task = tasks.context(ref)
    assert await task.guard(asyncio.sleep(0.001, "slept")) == "slept"
    tasks.cancel(ref)
    started: list[bool] = []

    async def work() -> None:
        started.append(True)

    coro = work()
    with pytest.raises(ApiError) as e:
        await task.guard(coro)
    coro.close()
    assert e.value.code == "TASK_CANCELLED" and started == []


@pytest.mark.asyncio
async def test_guard_unwinds_the_abandoned_work_before_raising() -> None:
    _, tasks, _ = world()
    ref = tasks.create(SESSION, "t", "")
    task = tasks.context(ref)
    unwound: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            unwound.append("cleaned up")

    guarded = asyncio.ensure_future(task.guard(slow()))
    await asyncio.sleep(0.01)
    tasks.cancel(ref)
    with pytest.raises(ApiError):
        await guarded
    assert unwound == ["cleaned up"]


@pytest.mark.asyncio
async def test_a_subtask_that_fails_records_why_and_moves_no_progress() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "whole", "")
    task = tasks.context(ref)
    task.progress(0.2)
    subs: list[TaskContext] = []
    with pytest.raises(ApiError):
        async with task.subtask("refused", until=0.6) as sub:
            subs.append(sub)
            raise ApiError("SR_FULL", "OpaqueRef:sr")
    with pytest.raises(RuntimeError):
        async with task.subtask("broken", until=0.6) as sub:
            subs.append(sub)
            raise RuntimeError("disk")
    recs = [db.get("task", s.ref) for s in subs]
    assert [(r["status"], r["error_info"]) for r in recs] == [
        ("failure", ["SR_FULL", "OpaqueRef:sr"]), ("failure", ["INTERNAL_ERROR", "RuntimeError: disk"])]  # fmt: skip
    assert db.get("task", ref)["progress"] == 0.2
    async with task.subtask("fine", until=0.6) as sub:
        sub.progress(0.5)  # halfway from 0.2 to 0.6
        assert db.get("task", ref)["progress"] == pytest.approx(0.4)
        with pytest.raises(ApiError) as e:
            tasks.cancel(ref)
            await sub.step()
    assert e.value.description == ["TASK_CANCELLED", ref]




def test_a_cancellation_is_recognised_however_its_error_was_built() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "t", "")
    code = "".join(["TASK_", "CANCELLED"])  # built at run time, as when decoded from a forwarded answer
    tasks.finish(ref, error=[code, ref])
    assert db.get("task", ref)["status"] == "cancelled"


def test_an_unchanged_cancellable_flag_writes_nothing() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "t", "")
    task = tasks.context(ref)
    gen = db.gen
    task.set_cancellable(True)  # already cancellable: no change for event watchers to see
    assert db.gen == gen
    task.set_cancellable(False)
    assert db.gen > gen
    tasks.destroy(ref)
    task.set_cancellable(True)  # the task is gone under the operation: nothing to do, no error
    task.progress(0.7)


def test_past_the_point_of_no_return_a_task_stays_uncancellable_whatever_its_status_did() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "")
    tasks.set_status(ref, "cancelling")  # a client moving its own task
    tasks.context(ref).set_cancellable(False)  # not pending: the record is left alone
    tasks.set_status(ref, "pending")
    assert db.get("task", ref)["allowed_operations"] == ["cancel"]
    with pytest.raises(ApiError) as e:
        tasks.cancel(ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED" and db.get("task", ref)["status"] == "pending"


def test_only_a_pending_task_can_be_cancelled_whoever_set_its_status() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "")
    tasks.set_status(ref, "cancelling")  # a client moving its own task (allowed_operations still [cancel])
    with pytest.raises(ApiError) as e:
        tasks.cancel(ref)
    assert e.value.code == "OPERATION_NOT_ALLOWED"
    tasks.set_status(ref, "".join(["pend", "ing"]))  # as decoded from the wire
    tasks.cancel(ref)
    assert db.get("task", ref)["status"] == "cancelling"


def test_a_finished_task_reports_progress_once_and_may_be_set_again() -> None:
    db, tasks, _ = world()
    ref = tasks.create(SESSION, "upload", "")
    task = tasks.context(ref)
    task.progress(1.0)
    gen = db.gen
    task.progress(1.0)  # nothing new: no write for event watchers to see
    assert db.gen == gen
    tasks.set_status(ref, "success")
    tasks.set_status(ref, "failure")  # a client may change its mind (xapi's task.set_status allows it)
    assert db.get("task", ref)["status"] == "failure"
