"""Running an operation's steps: progress, cancellation at safe points, undo on failure.

A step is a name, an action and (where one exists) the action that undoes it.
When a step fails, the steps done so far are undone in reverse order and the
error names the step.  Between steps -- and while a step waits -- the task may
be cancelled (and ``--task-step-delay`` slows each step there); the step in flight is abandoned (drivers change nothing before
their fault points, so abandoning before the change is safe), everything done
is undone, and the caller gets TASK_CANCELLED.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from xenia.datamodel.errors import ApiError
from xenia.drivers.errors import DriverError
from xenia.ops.errors import to_api_error

log = logging.getLogger(__name__)

Action = Callable[[], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    do: Action
    undo: Action | None = None


class TaskControl(Protocol):
    """What a running operation may ask of the task it runs under (``xenia.api.tasks.TaskContext``)."""

    ref: str

    @property
    def cancelling(self) -> bool: ...

    def progress(self, fraction: float) -> None: ...

    async def step(self, fraction: float | None = None) -> None: ...

    def set_cancellable(self, cancellable: bool) -> None: ...

    async def guard(self, aw: Awaitable[T]) -> T: ...


class NoTask:
    """For callers outside the API (start-up, tests): no progress to report, nobody to cancel."""

    ref = "OpaqueRef:NULL"
    cancelling = False

    def progress(self, fraction: float) -> None:
        pass

    async def step(self, fraction: float | None = None) -> None:
        pass

    def set_cancellable(self, cancellable: bool) -> None:
        pass

    async def guard(self, aw: Awaitable[T]) -> T:
        return await aw


async def run_steps(operation: str, vm: str, steps: list[Step], task: TaskControl) -> None:
    done: list[Step] = []
    total = len(steps)
    for index, step in enumerate(steps):
        try:
            await task.step()  # a safe point: cancelled here, or slowed by --task-step-delay
            await task.guard(step.do())
        except DriverError as e:
            await _undo(operation, done)
            raise to_api_error(e, vm=vm, step=step.name, operation=operation) from e
        except (ApiError, asyncio.CancelledError):
            await _undo(operation, done)
            raise
        done.append(step)
        task.progress((index + 1) / total)


async def _undo(operation: str, done: list[Step]) -> None:
    for step in reversed(done):
        if step.undo is None:
            continue
        try:
            await step.undo()
        except (DriverError, ApiError, OSError) as e:
            log.warning("%s: undoing step %s failed: %s", operation, step.name, e)
