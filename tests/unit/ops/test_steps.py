"""run_steps: progress, undo in reverse order on failure, the failed step named, cancellation at safe points."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import TypeVar

import pytest

from xenia.datamodel.errors import ApiError
from xenia.drivers.errors import BackendFailure, NotEnoughMemory, Timeout
from xenia.ops.steps import NoTask, Step, run_steps

T = TypeVar("T")

pytestmark = pytest.mark.asyncio


class FakeTask:
    """A task as ops sees it (``TaskControl``): records progress, can be cancelled."""

    def __init__(self, ref: str = "OpaqueRef:task") -> None:
        self.ref = ref
        self.fractions: list[float] = []
        self.cancel = asyncio.Event()

    def progress(self, fraction: float) -> None:
        self.fractions.append(fraction)

    @property
    def cancelling(self) -> bool:
        return self.cancel.is_set()

    async def step(self, fraction: float | None = None) -> None:
        if self.cancel.is_set():
            raise ApiError("TASK_CANCELLED", self.ref)

    def set_cancellable(self, cancellable: bool) -> None:
        self.cancellable = cancellable

    async def guard(self, aw: Awaitable[T]) -> T:
        work = asyncio.ensure_future(aw)
        stop = asyncio.ensure_future(self.cancel.wait())
        await asyncio.wait((work, stop), return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if not work.done():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
            raise ApiError("TASK_CANCELLED", self.ref)
        return work.result()


def recorder(log: list[str], name: str, fail: Exception | None = None) -> Step:
    async def do() -> None:
        if fail is not None:
            raise fail
        log.append(name)

    async def undo() -> None:
        log.append(f"undo {name}")

    return Step(name, do, undo)


async def test_all_steps_run_in_order_with_progress() -> None:
    log: list[str] = []
    task = FakeTask()
    await run_steps("VM.start", "vm", [recorder(log, n) for n in ("a", "b", "c", "d")], task)
    assert log == ["a", "b", "c", "d"]
    assert task.fractions == [0.25, 0.5, 0.75, 1.0]


async def test_failure_undoes_done_steps_in_reverse_and_names_the_step() -> None:
    log: list[str] = []
    steps = [recorder(log, "a"), Step("b", recorder(log, "b").do), recorder(log, "c"),
             recorder(log, "boom", BackendFailure("disk on fire")), recorder(log, "never")]  # fmt: skip
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.start", "vm", steps, NoTask())
    # b has no undo; the failing step itself is not undone (it changed nothing)
    assert log == ["a", "b", "c", "undo c", "undo a"]
    assert failure.value.code == "INTERNAL_ERROR"
    assert failure.value.description[1].startswith("VM.start: step boom failed: BackendFailure: disk on fire")


async def test_driver_errors_map_to_xapi_codes() -> None:
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.start", "vm", [recorder([], "create_domain", NotEnoughMemory(10, 5))], NoTask())
    assert failure.value.description == ["HOST_NOT_ENOUGH_FREE_MEMORY", "10", "5"]
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.clean_shutdown", "OpaqueRef:vm", [recorder([], "wait_poweroff", Timeout("x", 3.0))],
                        NoTask())  # fmt: skip
    assert failure.value.code == "VM_SHUTDOWN_TIMEOUT"


async def test_api_errors_pass_through_after_undo() -> None:
    log: list[str] = []
    steps = [recorder(log, "a"), recorder(log, "check", ApiError("VM_MISSING_PV_DRIVERS", "vm"))]
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.clean_shutdown", "vm", steps, NoTask())
    assert failure.value.code == "VM_MISSING_PV_DRIVERS"
    assert log == ["a", "undo a"]


async def test_a_failing_undo_does_not_stop_the_others() -> None:
    log: list[str] = []

    async def bad_undo() -> None:
        raise BackendFailure("cannot undo")

    steps = [recorder(log, "a"), Step("b", recorder(log, "b").do, bad_undo), recorder(log, "c", BackendFailure("x"))]
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.start", "vm", steps, NoTask())
    assert "step c failed" in failure.value.description[1]  # the original error, not the undo's
    assert log == ["a", "b", "undo a"]


async def test_cancel_between_steps_undoes_and_raises_task_cancelled() -> None:
    log: list[str] = []
    task = FakeTask()

    async def cancel_after() -> None:
        log.append("b")
        task.cancel.set()

    steps = [recorder(log, "a"), Step("b", cancel_after, recorder(log, "b").undo), recorder(log, "c")]
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.start", "vm", steps, task)
    assert failure.value.description == ["TASK_CANCELLED", "OpaqueRef:task"]
    assert log == ["a", "b", "undo b", "undo a"]


async def test_cancel_abandons_a_waiting_step() -> None:
    log: list[str] = []
    task = FakeTask()
    started = asyncio.Event()
    abandoned = asyncio.Event()

    async def hang() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            abandoned.set()
            raise

    async def canceller() -> None:
        await started.wait()
        task.cancel.set()

    steps = [recorder(log, "a"), Step("wait_poweroff", hang, recorder(log, "never").undo), recorder(log, "c")]
    cancelling = asyncio.ensure_future(canceller())
    with pytest.raises(ApiError) as failure:
        await run_steps("VM.clean_shutdown", "vm", steps, task)
    await cancelling
    assert failure.value.code == "TASK_CANCELLED"
    assert abandoned.is_set()
    assert log == ["a", "undo a"]  # the abandoned step is not undone: it changed nothing
