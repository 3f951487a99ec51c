"""Tasks: what an ``Async.`` call returns at once, and what it leaves behind.

A task is a ``task`` object in the db (in memory only, like xapi's).  The call
runs in the background under it; when it ends the task holds either the result,
encoded as the XML-RPC ``<value>`` fragment xapi stores there, or the error.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from xenia.api.context import Call
from xenia.datamodel.errors import ApiError
from xenia.db import Db
from xenia.util.clock import xapi_time

log = logging.getLogger(__name__)


class TaskManager:
    def __init__(self, host_ref: str) -> None:
        self.host_ref = host_ref
        self.running: dict[str, asyncio.Task[None]] = {}
        self._cancel: dict[str, asyncio.Event] = {}

    def cancel_event(self, ref: str) -> asyncio.Event:
        event = self._cancel.get(ref)
        if event is None:
            event = self._cancel[ref] = asyncio.Event()
        return event

    def handle(self, db: Db, ref: str | None) -> TaskHandle | None:
        """The task an operation runs under, or None for a synchronous call."""
        return None if ref is None else TaskHandle(self, db, ref)

    def spawn(self, call: Call, args: list[Any]) -> str:
        db = call.db
        ref = db.create(
            "task",
            {
                "name_label": f"Async.{call.method.wire}",
                "status": "pending",
                "progress": 0.0,
                "created": xapi_time(),
                "resident_on": self.host_ref,
                "session": call.session_ref,
                "allowed_operations": ["cancel"],
            },
        )
        call.task = ref
        self.running[ref] = asyncio.get_running_loop().create_task(self._run(call, args, ref))
        return ref

    async def _run(self, call: Call, args: list[Any], ref: str) -> None:
        db = call.db
        method = call.method
        try:
            result = method.handler(call, *args)
            if method.is_coroutine:
                result = await result
            encoder = call.app.services["dispatcher"].encoders.for_type(method.result)
            if db.exists("task", ref):
                db.update("task", ref, status="success", progress=1.0, finished=xapi_time(),
                          result=encoder(result), allowed_operations=[])  # fmt: skip
        except ApiError as e:
            status = "cancelled" if e.code == "TASK_CANCELLED" else "failure"
            if db.exists("task", ref):
                db.update("task", ref, status=status, finished=xapi_time(), error_info=e.description,
                          allowed_operations=[])  # fmt: skip
        except Exception as e:
            log.exception("task %s failed", ref)
            if db.exists("task", ref):
                db.update("task", ref, status="failure", finished=xapi_time(),
                          error_info=["INTERNAL_ERROR", f"{type(e).__name__}: {e}"], allowed_operations=[])  # fmt: skip
        finally:
            self.running.pop(ref, None)
            self._cancel.pop(ref, None)


class TaskHandle:
    """What an operation sees of the task it runs under: progress out, cancellation in."""

    def __init__(self, manager: TaskManager, db: Db, ref: str) -> None:
        self.manager = manager
        self.db = db
        self.ref = ref

    def progress(self, fraction: float) -> None:
        if self.db.exists("task", self.ref):
            self.db.set("task", self.ref, "progress", round(min(max(fraction, 0.0), 1.0), 4))

    def cancelling(self) -> bool:
        return self.db.exists("task", self.ref) and self.db.get("task", self.ref)["status"] == "cancelling"

    async def wait_cancel(self) -> None:
        await self.manager.cancel_event(self.ref).wait()
