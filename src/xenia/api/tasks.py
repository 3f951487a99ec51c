"""Tasks: what an ``Async.`` call returns at once, what it reports while it runs, and what it leaves behind.

A task is a ``task`` object in the db (in memory only, like xapi's), so every
change to it -- progress, status, the result -- reaches ``event.from`` watchers
through the db's one change feed.  The call runs in the background under it;
when it ends the task holds either the result, encoded as the XML-RPC
``<value>`` fragment xapi stores there, or the error.

Operations see their task through a :class:`TaskContext` (``task_context(call)``):
they move the progress, and at each *safe step* they ask whether the client has
cancelled (``await task.step(fraction)`` raises ``TASK_CANCELLED``; the operation
rolls back what it did and lets the error go).  Synchronous calls get a context
that never cancels and writes nothing, so operations need no second code path.

Nothing leaks: finished tasks are destroyed after ``completed_timeout``, the
oldest first as soon as one session holds more than ``finished_per_session``
of them, and with their session when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from xenia.api.context import Call
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db, new_ref
from xenia.util.clock import xapi_time

log = logging.getLogger(__name__)

T = TypeVar("T")

FINAL = ("success", "failure", "cancelled")
#: what xapi always writes in ``task.type``
RESULT_TYPE = "<none/>"


@dataclass
class TaskLimits:
    """How long tasks live.  xapi's values (``xapi_globs.ml``): 65 min, 24 h, 200 tasks."""

    completed_timeout: float = 65 * 60.0
    pending_timeout: float = 24 * 3600.0
    finished_per_session: int = 200
    gc_interval: float = 60.0
    #: test and demo facility (``xenia serve --task-step-delay``): every safe step of an
    #: operation waits this long first, so that a client can cancel a quick operation midway
    step_delay: float = 0.0


@dataclass(slots=True)
class _Live:
    """The in-memory side of an unfinished task: what the record cannot hold."""

    session: str
    created: float
    cancellable: bool = True
    cancel: asyncio.Event = field(default_factory=asyncio.Event)
    #: a background call runs for it (as opposed to a client-made task)
    is_async: bool = False
    #: its session ended while it ran: destroy the task as soon as it finishes
    orphan: bool = False
    progress: float = 0.0


class TaskContext:
    """An operation's handle on its task: progress, cancellation, subtasks.

    ``ref`` is ``OpaqueRef:NULL`` for a synchronous call; every method then does
    nothing, and ``check_cancelled`` never raises.
    """

    __slots__ = ("_hi", "_live", "_lo", "_manager", "ref", "parent")

    def __init__(self, manager: TaskManager | None, ref: str, live: _Live | None,
                 parent: TaskContext | None = None, lo: float = 0.0, hi: float = 1.0) -> None:  # fmt: skip
        self._manager = manager
        self.ref = ref
        self._live = live
        self.parent = parent
        self._lo, self._hi = lo, hi

    @property
    def cancelling(self) -> bool:
        """Whether a client asked to cancel (this task or the one it is part of)."""
        return self._live is not None and self._live.cancel.is_set()

    def progress(self, fraction: float) -> None:
        """Report that ``fraction`` (0..1) of the work is done; progress only ever rises."""
        if self._manager is None or self._live is None:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        self._manager.set_progress(self.ref, fraction)
        if self.parent is not None:
            self.parent.progress(self._lo + (self._hi - self._lo) * fraction)

    def check_cancelled(self) -> None:
        """At a safe step: raise ``TASK_CANCELLED`` if a client cancelled the task."""
        if self.cancelling:
            top = self
            while top.parent is not None:
                top = top.parent
            raise ApiError("TASK_CANCELLED", top.ref)

    async def step(self, fraction: float | None = None) -> None:
        """A safe step between two parts of the work: ``fraction`` of it is done; stop here if cancelled.

        (With ``step_delay`` set, for tests, the step first waits that long.)
        """
        if self._manager is None:
            return
        if fraction is not None:
            self.progress(fraction)
        delay = self._manager.limits.step_delay
        if delay > 0:
            await self.guard(asyncio.sleep(delay))
        self.check_cancelled()

    def set_cancellable(self, cancellable: bool) -> None:
        """Past the point of no return, ``task.cancel`` answers OPERATION_NOT_ALLOWED instead."""
        if self._manager is not None and self._live is not None:
            self._manager.set_cancellable(self.ref, cancellable)

    async def guard(self, aw: Awaitable[T]) -> T:
        """Wait for ``aw`` unless the task is cancelled first; then ``aw`` is abandoned and TASK_CANCELLED raised.

        For the long waits of an operation (a guest that takes its time to suspend).
        """
        if self._live is None:
            return await aw
        self.check_cancelled()
        work = asyncio.ensure_future(aw)
        stop = asyncio.ensure_future(self._live.cancel.wait())
        try:
            await asyncio.wait((work, stop), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not work.done():
            work.cancel()
            # let the abandoned work finish unwinding before anything is undone
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await work
            self.check_cancelled()
        return work.result()

    @asynccontextmanager
    async def subtask(self, label: str, until: float) -> AsyncIterator[TaskContext]:
        """A part of the operation with its own task record (``subtask_of`` this one).

        Its progress 0..1 moves this task's progress from where it is to ``until``;
        it ends in success, or in the status of the error that leaves the block.
        """
        if self._manager is None or self._live is None:
            yield self
            return
        sub = self._manager.create_subtask(self, label, until)
        try:
            yield sub
        except ApiError as e:
            self._manager.finish(sub.ref, error=e.description)
            raise
        except BaseException as e:
            self._manager.finish(sub.ref, error=["INTERNAL_ERROR", f"{type(e).__name__}: {e}"])
            raise
        self._manager.finish(sub.ref, result="<value></value>")
        self.progress(until)


class TaskManager:
    """Creates, runs, cancels and collects tasks; the one writer of ``task`` records."""

    def __init__(self, db: Db, host_ref: str, limits: TaskLimits | None = None) -> None:
        self.db = db
        self.host_ref = host_ref
        self.limits = limits or TaskLimits()
        self.live: dict[str, _Live] = {}
        self.running: dict[str, asyncio.Task[None]] = {}
        #: per session: finished tasks in the order they finished, with the (monotonic) time
        self.finished: dict[str, OrderedDict[str, float]] = {}
        self._gc: asyncio.Task[None] | None = None

    # ---------------------------------------------------------------- creating

    def _create(self, label: str, description: str, session: str, *, is_async: bool,
                parent: str = NULL_REF) -> tuple[str, _Live]:  # fmt: skip
        ref = self.db.create("task", {
            "name_label": label, "name_description": description, "status": "pending", "progress": 0.0,
            "created": xapi_time(), "resident_on": self.host_ref, "session": session, "type": RESULT_TYPE,
            "allowed_operations": ["cancel"], "subtask_of": parent,
        })  # fmt: skip
        live = self.live[ref] = _Live(session, time.monotonic(), is_async=is_async)
        return ref, live

    def create(self, session: str, label: str, description: str) -> str:
        """A client-made task (``task.create``): the client moves it and must destroy it."""
        return self._create(label, description, session, is_async=False)[0]

    def spawn(self, call: Call, args: list[Any]) -> str:
        """Start an ``Async.`` call in the background; its task ref is the call's answer."""
        ref, live = self._create(f"Async.{call.method.wire}", "", call.session_ref, is_async=True)
        call.task = ref
        self.running[ref] = asyncio.get_running_loop().create_task(self._run(call, args, ref))
        return ref

    def create_subtask(self, parent: TaskContext, label: str, until: float) -> TaskContext:
        plive = self.live[parent.ref]
        ref, live = self._create(label, "", plive.session, is_async=True, parent=parent.ref)
        live.cancel = plive.cancel  # cancelling the whole cancels every part
        return TaskContext(self, ref, live, parent, plive.progress, until)

    def context(self, ref: str | None) -> TaskContext:
        live = self.live.get(ref) if ref is not None else None
        if ref is None or live is None:
            return TaskContext(None, NULL_REF, None)
        return TaskContext(self, ref, live)

    async def _run(self, call: Call, args: list[Any], ref: str) -> None:
        method = call.method
        try:
            self.context(ref).check_cancelled()
            result = method.handler(call, *args)
            if method.is_coroutine:
                result = await result
            encoder = call.app.services["dispatcher"].encoders.for_type(method.result)
            self.finish(ref, result=encoder(result))
        except ApiError as e:
            self.finish(ref, error=e.description)
        except Exception as e:
            log.exception("task %s failed", ref)
            self.finish(ref, error=["INTERNAL_ERROR", f"{type(e).__name__}: {e}"])
        finally:
            self.running.pop(ref, None)

    # ---------------------------------------------------------------- progress

    def set_progress(self, ref: str, fraction: float) -> None:
        live = self.live.get(ref)
        if live is None or fraction <= live.progress:
            return
        if fraction - live.progress >= 0.001 or fraction == 1.0:
            live.progress = fraction
            if self.db.exists("task", ref):
                self.db.set("task", ref, "progress", fraction)

    def set_cancellable(self, ref: str, cancellable: bool) -> None:
        live = self.live.get(ref)
        if live is None or live.cancellable == cancellable:
            return
        live.cancellable = cancellable
        if self.db.exists("task", ref) and self.db.get("task", ref)["status"] == "pending":
            self.db.set("task", ref, "allowed_operations", ["cancel"] if cancellable else [])

    def cancel(self, ref: str) -> None:
        """``task.cancel``: ask the operation to stop at its next safe step; say so when it is too late."""
        rec = self.db.get("task", ref)
        live = self.live.get(ref)
        if rec["status"] != "pending" or live is None:
            raise ApiError("OPERATION_NOT_ALLOWED", f"task {ref} is {rec['status']}: too late to cancel it")
        if not live.cancellable or "cancel" not in rec["allowed_operations"]:
            raise ApiError("OPERATION_NOT_ALLOWED", f"task {ref} is past the point where it can be cancelled")
        self.db.update("task", ref, status="cancelling", allowed_operations=[],
                       current_operations={new_ref(): "cancel"})  # fmt: skip
        live.cancel.set()

    # --------------------------------------------------------------- finishing

    def finish(self, ref: str, *, result: str | None = None, error: list[str] | None = None) -> None:
        """Record the outcome; TASK_CANCELLED makes the status ``cancelled``."""
        if error is None:
            values: dict[str, Any] = {"status": "success", "progress": 1.0, "result": result or ""}
        else:
            status = "cancelled" if error and error[0] == "TASK_CANCELLED" else "failure"
            values = {"status": status, "error_info": error}
        self._finished(ref, values)

    def set_status(self, ref: str, status: str) -> None:
        """``task.set_status`` for client-made tasks: a final status finishes the task."""
        self.db.get("task", ref)
        if status in FINAL:
            self._finished(ref, {"status": status})
        else:
            self.db.set("task", ref, "status", status)

    def _finished(self, ref: str, values: dict[str, Any]) -> None:
        live = self.live.pop(ref, None)
        if not self.db.exists("task", ref):
            return
        session = live.session if live is not None else self.db.get("task", ref)["session"]
        if live is not None and live.orphan:
            self.destroy(ref)
            return
        self.db.update("task", ref, finished=xapi_time(), allowed_operations=[], current_operations={}, **values)
        done = self.finished.setdefault(session, OrderedDict())
        done[ref] = time.monotonic()
        while len(done) > self.limits.finished_per_session:
            self.destroy(next(iter(done)))

    # ------------------------------------------------------------- collecting

    def destroy(self, ref: str) -> None:
        """Remove a task with its subtasks; an operation still running under it carries on unrecorded."""
        if not self.db.exists("task", ref):
            return
        rec = self.db.get("task", ref)
        with self.db.batch():
            for sub in self.db.referrers("task", "subtask_of", ref):
                self.destroy(sub)
            self.db.destroy("task", ref)
        self.live.pop(ref, None)
        done = self.finished.get(rec["session"])
        if done is not None:
            done.pop(ref, None)
            if not done:
                del self.finished[rec["session"]]

    def session_ended(self, session: str) -> None:
        """A session's tasks go with it; those still running go when they finish."""
        for ref in self.db.referrers("task", "session", session):
            live = self.live.get(ref)
            if live is not None and live.is_async and ref in self.running:
                live.orphan = True
            elif self.db.exists("task", ref):
                self.destroy(ref)
        self.finished.pop(session, None)

    def collect(self, now: float | None = None) -> int:
        """Destroy finished tasks older than ``completed_timeout`` and pending ones older than
        ``pending_timeout``; returns how many went."""
        now = time.monotonic() if now is None else now
        stale = [ref for done in self.finished.values() for ref, t in done.items()
                 if now - t > self.limits.completed_timeout]  # fmt: skip
        stale += [ref for ref, live in self.live.items()
                  if now - live.created > self.limits.pending_timeout and ref not in self.running]  # fmt: skip
        for ref in stale:
            self.destroy(ref)
        return len(stale)

    def start(self) -> None:
        """Collect in the background, every ``gc_interval`` seconds."""
        self._gc = asyncio.get_running_loop().create_task(self._collect_forever())

    async def _collect_forever(self) -> None:
        while True:
            await asyncio.sleep(self.limits.gc_interval)
            try:
                self.collect()
            except Exception:  # collection must never stop for good
                log.exception("task collection failed")

    def stop(self) -> None:
        if self._gc is not None:
            self._gc.cancel()


def task_context(call: Call) -> TaskContext:
    """The task an operation runs under (a do-nothing one for synchronous calls)."""
    tasks: TaskManager | None = call.app.services.get("tasks")
    if tasks is None:
        return TaskContext(None, NULL_REF, None)
    return tasks.context(call.task)


__all__ = ["TaskContext", "TaskLimits", "TaskManager", "task_context"]
