"""QEMU's side of a migration: its own migration stream, relayed through the library's connection.

QEMU runs its own pre-copy; xenia does not re-implement it. The source QEMU writes its stream to
a pipe (``getfd`` + ``migrate fd:``); the library reads the pipe and sends it as DATA frames,
through the rate limiter, so the cap, the token and the phases are the library's as for every
driver. QEMU's own ``max-bandwidth`` is lifted (its 128 MiB/s default would cap everything:
qemu.md §3): the pipe's back-pressure from the limiter is what QEMU measures as its bandwidth,
so its convergence estimate follows the cap. The destination starts the same command line with
``-incoming defer`` and reads the DATA frames from another pipe.

The phases map onto QEMU's states with the ``pause-before-switchover`` capability: pre-copy is
``active``; QEMU stops the guest and waits in ``pre-switchover`` (the library's switch-over: no
longer cancellable); ``migrate-continue`` sends the rest. The destination answers LOADED only
once its QEMU loaded the stream and stands ``paused`` (the trap: a source may call a migration
``completed`` that the destination refused), and the source is destroyed only after DONE.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from typing import Any

from xenia.drivers.base import DomainSpec, RunState
from xenia.drivers.errors import BackendFailure, InvalidArgument
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.specjson import spec_from_json, spec_to_json
from xenia.migration.live import Run
from xenia.migration.stream import FrameWriter, Kind

__all__ = ["QemuSink", "QemuSource"]

#: bytes read from QEMU's pipe per DATA frame at most
CHUNK = 256 << 10
#: seconds between two ``query-migrate`` polls for progress
POLL = 0.1
#: QEMU's largest ``downtime-limit`` (ms): what a forced switch-over asks for
_FORCE_DOWNTIME_MS = 2_000_000
_FINAL = ("completed", "failed", "cancelled")


class QemuSource:
    """A QEMU domain of ``driver`` leaving this host."""

    def __init__(self, driver: QemuDriver, vm_uuid: str) -> None:
        self.driver = driver
        self.vm_uuid = vm_uuid
        self.was_running = False
        self._read_fd: int | None = None
        self._pump: asyncio.Task[None] | None = None
        self._started = False

    async def prepare(self) -> dict[str, Any]:
        state = await self.driver.vm.get_state(self.vm_uuid)
        if state.run_state not in (RunState.RUNNING, RunState.PAUSED):
            raise InvalidArgument(f"VM {self.vm_uuid} is {state.run_state.value}: only a live domain migrates")
        self.was_running = state.run_state is RunState.RUNNING
        dom = self.driver.domain(self.vm_uuid)
        return {
            "vm": self.vm_uuid,
            "driver": "qemu",
            "spec": spec_to_json(dom.record.spec),
            "memory": max(state.memory_actual, state.memory_target),
        }

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        dom = self.driver.domain(self.vm_uuid)
        caps = [{"capability": c, "state": True} for c in ("events", "pause-before-switchover")]
        await dom.execute("migrate-set-capabilities", {"capabilities": caps})
        await dom.execute("migrate-set-parameters", {"max-bandwidth": 1 << 40,
                                                     "downtime-limit": max(1, int(run.options.downtime * 1000))})  # fmt: skip
        read_fd, write_fd = os.pipe()
        self._read_fd = read_fd
        try:
            await dom.qmp.execute_with_fd("getfd", {"fdname": "xenia-migrate"}, write_fd)
        finally:
            os.close(write_fd)  # QEMU holds its own copy now
        self._pump = asyncio.create_task(self._relay(read_fd, out, run))
        await dom.execute("migrate", {"uri": "fd:xenia-migrate"})
        self._started = True
        forced = False
        while True:
            info = await dom.execute("query-migrate")
            self._progress(info, run)
            status = info.get("status")
            if status == "pre-switchover":
                return
            if status in _FINAL:
                raise BackendFailure(f"QEMU's migration is {status}: {info.get('error-desc', '')}")
            if self._pump.done():
                self._pump.result()  # the connection broke: raise its error
                raise BackendFailure("QEMU's stream ended before the switch-over")
            run.check()
            if run.force and not forced:
                forced = True
                await dom.execute("migrate-set-parameters", {"downtime-limit": _FORCE_DOWNTIME_MS})
            await asyncio.sleep(POLL)

    def _progress(self, info: dict[str, Any], run: Run) -> None:
        ram = info.get("ram") or {}
        run.meter.iteration = int(ram.get("dirty-sync-count", run.meter.iteration) or 0)
        run.meter.dirty_rate = float(ram.get("dirty-pages-rate", 0)) * float(ram.get("page-size", 4096))
        run.meter.expected_downtime = float(info.get("expected-downtime", 0)) / 1000.0
        run.meter.bytes_remaining = int(ram.get("remaining", 0))
        run.meter.report()

    async def _relay(self, read_fd: int, out: FrameWriter, run: Run) -> None:
        """QEMU's pipe → DATA frames, until QEMU closes its end."""
        while True:
            chunk = await asyncio.to_thread(os.read, read_fd, CHUNK)
            if not chunk:
                return
            sent = await out.send(Kind.DATA, chunk)
            run.sent(sent, run.meter.bytes_remaining)

    async def switch_over(self, out: FrameWriter, run: Run) -> dict[str, Any]:
        dom = self.driver.domain(self.vm_uuid)
        await dom.execute("migrate-continue", {"state": "pre-switchover"})
        assert self._pump is not None
        await self._pump  # every byte of the stream is on the wire
        while (info := await dom.execute("query-migrate")).get("status") not in _FINAL:
            await asyncio.sleep(0.01)
        if info.get("status") != "completed":
            raise BackendFailure(f"QEMU's migration is {info.get('status')} after the switch-over")
        self._close()
        return {"running": self.was_running, "qemu_downtime_ms": info.get("downtime")}

    def _close(self) -> None:
        if self._read_fd is not None:
            os.close(self._read_fd)
            self._read_fd = None

    async def _stop(self) -> None:
        if self._pump is not None and not self._pump.done():
            self._pump.cancel()
            with contextlib.suppress(BaseException):
                await self._pump
        self._close()  # first: QEMU blocked writing to a full pipe sees EPIPE and can cancel
        dom = self.driver.domain(self.vm_uuid)
        if self._started:
            with contextlib.suppress(Exception):
                await dom.execute("migrate_cancel")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                info = await dom.execute("query-migrate")
                if info.get("status") in (*_FINAL, None):
                    break
                await asyncio.sleep(0.02)
        self._close()

    async def resume(self) -> None:
        await self._stop()
        dom = self.driver.domain(self.vm_uuid)
        if self.was_running and await dom.status() != "running":
            await dom.execute("cont")

    async def abandon(self) -> None:
        await self._stop()

    async def release(self) -> None:
        await self.driver.vm.destroy(self.vm_uuid)


class QemuSink:
    """A QEMU domain arriving on ``driver``: ``-incoming`` from a pipe the DATA frames fill."""

    def __init__(self, driver: QemuDriver, spec: DomainSpec | None = None) -> None:
        self.driver = driver
        self.spec = spec
        self.vm_uuid = ""
        self._write_fd: int | None = None
        self._launch: asyncio.Task[Any] | None = None
        self._running = False

    async def accept(self, hello: dict[str, Any]) -> None:
        if hello.get("driver") != "qemu":
            raise InvalidArgument(f"this host runs QEMU, the stream comes from {hello.get('driver')!r}")
        self.spec = self.spec or spec_from_json(hello["spec"])
        self.vm_uuid = self.spec.vm_uuid
        if self.vm_uuid in self.driver.domains:
            raise InvalidArgument(f"VM {self.vm_uuid} already has a domain here")
        read_fd, self._write_fd = os.pipe()
        try:
            # the driver opens the image path itself: the pipe's read end, under /proc
            self._launch = asyncio.create_task(self.driver.launch(self.spec, f"/proc/self/fd/{read_fd}"))
            deadline = time.monotonic() + 30
            while not self._launch.done() and time.monotonic() < deadline:
                dom = self.driver.domains.get(self.vm_uuid)
                if dom is not None and dom.incoming_fd is not None:
                    break  # QEMU's copy is open: ours must go, so a dead QEMU breaks the pipe
                await asyncio.sleep(0.01)
        finally:
            os.close(read_fd)
        if self._launch.done():
            self._launch.result()

    async def data(self, payload: bytes) -> None:
        assert self._write_fd is not None and self._launch is not None
        if self._launch.done():
            self._launch.result()
            raise BackendFailure("the destination QEMU stopped reading the stream")
        await asyncio.to_thread(_write_all, self._write_fd, payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        assert self._launch is not None
        if self._write_fd is not None:
            os.close(self._write_fd)
            self._write_fd = None
        dom_state = await self._launch  # raises if QEMU refused the stream
        self._running = bool(state.get("running"))
        return {"domid": dom_state.domid}

    async def commit(self) -> dict[str, Any]:
        if self._running:
            await self.driver.vm.unpause(self.vm_uuid)
        state = await self.driver.vm.get_state(self.vm_uuid)
        return {"domid": state.domid}

    async def abort(self) -> None:
        if self._write_fd is not None:
            os.close(self._write_fd)
            self._write_fd = None
        if self._launch is not None:
            if not self._launch.done():
                self._launch.cancel()
            with contextlib.suppress(BaseException):
                await self._launch
        if self.vm_uuid in self.driver.domains:
            await self.driver.vm.destroy(self.vm_uuid)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
