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

Disks go with the VM: before the memory, QEMU's block mirror copies each one into an NBD export
of the destination QEMU, tunnelled through the same connection, and the mirrors end at the
switch-over while the guest is stopped (:mod:`.qemudisks`). The destination's images are the
sink's spec's paths; a missing one is made (qcow2, the source disk's size) and removed on failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import time
from collections.abc import Callable
from typing import Any

from xenia.drivers.base import DomainSpec, RunState
from xenia.drivers.errors import BackendFailure, InvalidArgument
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.qemu.domain import Domain
from xenia.drivers.qemu.qmp import Event, Runstate
from xenia.drivers.specjson import spec_from_json, spec_to_json
from xenia.migration.live import Run
from xenia.migration.pipes import wait_ready, write_all
from xenia.migration.qemudisks import DiskExport, DiskMirror, mirrored_disks
from xenia.migration.stream import FrameWriter, Kind, pipe_available
from xenia.migration.tunnel import Tunnel
from xenia.util.tasks import cancel_and_wait

__all__ = ["QemuSink", "QemuSource"]

#: bytes read from QEMU's pipe per DATA frame at most
CHUNK = 1 << 20
#: the size asked for QEMU's pipes (Linux's default 64 KiB would make every frame 64 KiB at most,
#: and every frame costs a thread hop each way: a saved 256 MiB guest took 4 000 of them)
PIPE_SIZE = 1 << 20
#: seconds between two ``query-migrate`` polls for progress
POLL = 0.1
#: under a cap, a frame holds at most this many seconds of the stream (a smooth rate, a prompt cancel)
FRAME_SECONDS = 0.05
#: QEMU's largest ``downtime-limit`` (ms): what a forced switch-over asks for
_FORCE_DOWNTIME_MS = 2_000_000
_FINAL = ("completed", "failed", "cancelled")


class QemuSource:
    """A QEMU domain of ``driver`` leaving this host.

    ``copy_disks``: its disks' contents go with it (block mirror, :mod:`.qemudisks`). Off, the
    destination opens the same image files (shared storage: a pool's VM.pool_migrate, a save).
    ``pause_first``: stop the guest before QEMU sends anything (a save with no rate cap, as ``xl
    save`` and libvirt's managedsave: no pre-copy passes, every page sent once, at full speed).
    A failure still resumes it, as a failed switch-over does.
    """

    def __init__(self, driver: QemuDriver, vm_uuid: str, *, copy_disks: bool = False, pause_first: bool = False) -> None:
        self.driver = driver
        self.vm_uuid = vm_uuid
        self.copy_disks = copy_disks
        self.pause_first = pause_first
        self.was_running = False
        self._read_fd: int | None = None
        self._pump: asyncio.Task[None] | None = None
        self._started = False
        self._mirror: DiskMirror | None = None
        #: set by QEMU's MIGRATION events (status changes): the loops wake at once, not at the next poll
        self._status_changed = asyncio.Event()
        #: the status the last MIGRATION event gave (None: none yet)
        self._event_status: str | None = None
        #: the SWITCH payload; QEMU's downtime figure joins it at :meth:`release`
        self._switch: dict[str, Any] = {}
        self._detach: Callable[[], None] | None = None

    async def prepare(self) -> dict[str, Any]:
        state = await self.driver.vm.get_state(self.vm_uuid)
        if state.run_state not in (RunState.RUNNING, RunState.PAUSED):
            raise InvalidArgument(f"VM {self.vm_uuid} is {state.run_state.value}: only a live domain migrates")
        self.was_running = state.run_state is RunState.RUNNING
        dom = self.driver.domain(self.vm_uuid)
        disks = [{"userdevice": d.userdevice, "virtual_size": (await self.driver.storage.image_info(str(d.path))).virtual_size}
                 for d in (mirrored_disks(dom.record.spec.disks) if self.copy_disks else [])]  # fmt: skip
        return {
            "vm": self.vm_uuid,
            "driver": "qemu",
            "spec": spec_to_json(dom.record.spec),
            "memory": max(state.memory_actual, state.memory_target),
            "disks": disks,
        }

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        dom = self.driver.domain(self.vm_uuid)
        disks = mirrored_disks(dom.record.spec.disks) if self.copy_disks else []
        if disks:
            self._mirror = DiskMirror(dom, disks)
            await self._mirror.start(out, run)
            await self._mirror.wait_ready(run)
        caps = [{"capability": c, "state": True} for c in ("events", "pause-before-switchover")]
        await dom.execute("migrate-set-capabilities", {"capabilities": caps})
        await dom.execute("migrate-set-parameters", {"max-bandwidth": 1 << 40,
                                                     "downtime-limit": max(1, int(run.options.downtime * 1000))})  # fmt: skip
        if self.pause_first and self.was_running:
            await dom.execute("stop")
        read_fd, write_fd = _pipe()
        self._read_fd = read_fd
        os.set_blocking(read_fd, False)  # ours only: QEMU's end is another open file description
        try:
            await dom.qmp.execute_with_fd("getfd", {"fdname": "xenia-migrate"}, write_fd)
        finally:
            os.close(write_fd)  # QEMU holds its own copy now
        self._pump = asyncio.create_task(self._relay(read_fd, out, run))
        self._detach = dom.qmp.add_event_handler(self._on_event)
        await dom.execute("migrate", {"uri": "fd:xenia-migrate"})
        self._started = True
        forced = False
        while True:
            if self._event_status == "pre-switchover":
                return  # the guest is stopped and waits: no query-migrate round trip inside the pause
            info = await self._query(dom)
            self._progress(info, run)
            if self._mirror is not None:
                self._mirror.check()
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
            await self._next_status(POLL)

    def _on_event(self, event: Event) -> None:
        if event.name == "MIGRATION":
            status = event.data.get("status")
            self._event_status = status if isinstance(status, str) else None
            self._status_changed.set()

    async def _query(self, dom: Domain) -> dict[str, Any]:
        """``query-migrate``; an event from now on ends the next :meth:`_next_status` at once."""
        self._status_changed.clear()
        info: dict[str, Any] = await dom.execute("query-migrate")
        return info

    async def _next_status(self, timeout: float) -> None:
        """Until a MIGRATION event since the last :meth:`_query`, or ``timeout`` seconds (the next poll)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._status_changed.wait(), timeout)

    def _progress(self, info: dict[str, Any], run: Run) -> None:
        ram = info.get("ram") or {}
        run.meter.iteration = int(ram.get("dirty-sync-count", run.meter.iteration) or 0)
        run.meter.dirty_rate = float(ram.get("dirty-pages-rate", 0)) * float(ram.get("page-size", 4096))
        run.meter.expected_downtime = float(info.get("expected-downtime", 0)) / 1000.0
        run.meter.bytes_remaining = int(ram.get("remaining", 0))
        run.meter.report()

    async def _relay(self, read_fd: int, out: FrameWriter, run: Run) -> None:
        """QEMU's pipe → DATA frames, until QEMU closes its end. The pipe is waited on by the loop
        (:mod:`.pipes`) and each frame is what it holds then (up to the frame size), handed to
        the connection by :meth:`FrameWriter.send_pipe` (``splice(2)``: the bytes never enter Python)."""
        rate = out.limiter.rate
        size = CHUNK if rate is None else max(64 << 10, min(CHUNK, int(rate * FRAME_SECONDS)))
        while True:
            await wait_ready(read_fd, write=False)
            held = pipe_available(read_fd)
            if not held:  # readable and empty: QEMU closed its end
                return
            sent = await out.send_pipe(Kind.DATA, read_fd, min(held, size))
            run.sent(sent, run.meter.bytes_remaining)

    async def switch_over(self, out: FrameWriter, run: Run) -> dict[str, Any]:
        dom = self.driver.domain(self.vm_uuid)
        if self._mirror is not None:  # the guest is stopped: the disks' last writes, then the devices
            await self._mirror.finish()
        await dom.execute("migrate-continue", {"state": "pre-switchover"})
        assert self._pump is not None
        await self._pump  # every byte of the stream is on the wire
        # QEMU's completion is known from its event, which comes before it closes the pipe; a
        # query-migrate only if the event did not say (it was missed, or the migration failed)
        while self._event_status != "completed":
            status = (await self._query(dom)).get("status")
            if status in _FINAL:
                if status != "completed":
                    raise BackendFailure(f"QEMU's migration is {status} after the switch-over")
                break
            await self._next_status(POLL)
        self._close()
        self._switch = {"running": self.was_running}
        return self._switch

    def _close(self) -> None:
        if self._detach is not None:
            self._detach()
            self._detach = None
        if self._read_fd is not None:
            os.close(self._read_fd)
            self._read_fd = None

    async def _stop(self) -> None:
        await cancel_and_wait(self._pump)
        self._close()  # first: QEMU blocked writing to a full pipe sees EPIPE and can cancel
        dom = self.driver.domain(self.vm_uuid)
        if self._mirror is not None:
            await self._mirror.close()
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
        if self.pause_first:  # this side stopped the guest before the pre-copy: it runs again
            await self.resume()
            return
        await self._stop()

    async def release(self) -> None:
        # QEMU's own downtime figure, asked now rather than while the guest waited for the
        # switch-over to finish; it joins the switch-over's state (the result's ``switch``)
        with contextlib.suppress(Exception):
            info = await self.driver.domain(self.vm_uuid).execute("query-migrate")
            self._switch["qemu_downtime_ms"] = info.get("downtime")
        if self._mirror is not None:
            await self._mirror.detach()
            self._mirror = None
        await self.driver.vm.destroy(self.vm_uuid)


class QemuSink:
    """A QEMU domain arriving on ``driver``: ``-incoming`` from a pipe the DATA frames fill.

    ``spec`` is the domain here; it is required for a VM with disks (its paths are this host's
    images). Without it the source's spec is used as it is.
    """

    #: DATA frames may come in pieces (QEMU's stream is bytes): see :class:`~.receiver.Sink`
    streams_data = True

    def __init__(self, driver: QemuDriver, spec: DomainSpec | None = None) -> None:
        self.driver = driver
        self.spec = spec
        self.vm_uuid = ""
        self._write_fd: int | None = None
        self._launch: asyncio.Task[Any] | None = None
        self._running = False
        self._domid = -1
        self._reply: Any = None
        self._export: DiskExport | None = None
        self._tunnel: Tunnel | None = None
        #: images this sink made (removed again on failure)
        self._made: list[str] = []
        #: set with the error when the destination QEMU fails while the disks are copied (the
        #: receiver watches it: nothing may be sent to this side meanwhile)
        self.failed: asyncio.Future[None] | None = None

    def bind(self, reply: Any) -> None:
        """The receiver's way to send NBD frames back to the source (the tunnelled mirror)."""
        self._reply = reply

    async def accept(self, hello: dict[str, Any]) -> None:
        if hello.get("driver") != "qemu":
            raise InvalidArgument(f"this host runs QEMU, the stream comes from {hello.get('driver')!r}")
        sizes = {str(d["userdevice"]): int(d["virtual_size"]) for d in hello.get("disks") or ()}
        if sizes and self.spec is None:
            raise InvalidArgument("a VM with disks needs this host's spec (the paths of its images here)")
        self.spec = self.spec or spec_from_json(hello["spec"])
        self.vm_uuid = self.spec.vm_uuid
        if self.vm_uuid in self.driver.domains:
            raise InvalidArgument(f"VM {self.vm_uuid} already has a domain here")
        disks = mirrored_disks(self.spec.disks) if sizes else []  # none: shared storage, the same files
        if sizes and {d.userdevice for d in disks} != set(sizes):
            raise InvalidArgument(f"the source has disks {sorted(sizes)}, this host's spec {sorted(d.userdevice for d in disks)}")
        for disk in disks:
            if not os.path.exists(str(disk.path)):
                await self.driver.storage.create_image(str(disk.path), sizes[disk.userdevice])
                self._made.append(str(disk.path))
            elif (await self.driver.storage.image_info(str(disk.path))).virtual_size != sizes[disk.userdevice]:
                raise InvalidArgument(f"{disk.path} is not of the source disk's size {sizes[disk.userdevice]}")
        read_fd, self._write_fd = _pipe()
        os.set_blocking(self._write_fd, False)
        try:
            # the driver opens the image path itself: the pipe's read end, under /proc
            self._launch = asyncio.create_task(self.driver.launch(self.spec, f"/proc/self/fd/{read_fd}"))
            deadline = time.monotonic() + 30
            while not self._launch.done() and time.monotonic() < deadline:
                dom = self.driver.domains.get(self.vm_uuid)
                if dom is not None and dom.incoming_fd is not None and (not disks or dom.qmp.runstate is Runstate.RUNNING):
                    break  # QEMU's copy is open: ours must go, so a dead QEMU breaks the pipe
                await asyncio.sleep(0.01)
        finally:
            os.close(read_fd)
        if self._launch.done():
            self._launch.result()
        if disks:
            # nothing may be sent to this side for a while (the source waits on the mirror's
            # replies): a QEMU that dies must end the stream by itself
            self.failed = asyncio.get_running_loop().create_future()
            self._launch.add_done_callback(self._launched)
            if self._reply is None:
                raise InvalidArgument("a VM with disks needs a receiver that tunnels NBD frames")
            self._export = DiskExport(self.driver.domain(self.vm_uuid), disks)
            self._tunnel = await self._export.start(self._reply)

    def _launched(self, launch: asyncio.Task[Any]) -> None:
        """The domain loaded the stream, or its QEMU failed: the latter fails the stream at once."""
        if self.failed is None or self.failed.done() or launch.cancelled():
            return
        exc = launch.exception()
        if exc is not None:
            self.failed.set_exception(exc)

    async def nbd(self, payload: bytes) -> None:
        """A frame of the source's NBD connections to this host's exports."""
        if self._tunnel is None:
            raise InvalidArgument("NBD frames for a VM without disks")
        await self._tunnel.feed(payload)

    async def data(self, payload: bytes) -> None:
        await write_all(self._live_pipe(), payload)

    def data_pipe(self) -> int:
        """The pipe to the destination QEMU's ``-incoming``, for the receiver to splice DATA into."""
        return self._live_pipe()

    def _live_pipe(self) -> int:
        """The write end of QEMU's pipe, unless QEMU has stopped reading it (its launch ended)."""
        assert self._write_fd is not None and self._launch is not None
        if self._launch.done():
            self._launch.result()
            raise BackendFailure("the destination QEMU stopped reading the stream")
        return self._write_fd

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        assert self._launch is not None
        if self._write_fd is not None:
            os.close(self._write_fd)
            self._write_fd = None
        dom_state = await self._launch  # raises if QEMU refused the stream
        if self._export is not None:
            await self._export.stop()
            self._export = self._tunnel = None
        self._running = bool(state.get("running"))
        self._domid = dom_state.domid
        return {"domid": dom_state.domid}

    async def commit(self) -> dict[str, Any]:
        if self._running:
            # ``cont`` at once: the domain stands paused, as load saw it (the driver's unpause
            # would ask QEMU its status first, one more round trip while the guest waits)
            dom = self.driver.domain(self.vm_uuid)
            async with dom.lock:
                await dom.execute("cont")
        # the domid is the loaded domain's: DONE goes at once, not after three more QMP queries
        return {"domid": self._domid}

    async def abort(self) -> None:
        if self._write_fd is not None:
            os.close(self._write_fd)
            self._write_fd = None
        await cancel_and_wait(self._launch)
        if self.failed is not None and self.failed.done() and not self.failed.cancelled():
            self.failed.exception()  # retrieved: the stream has ended with it
        if self._export is not None:
            with contextlib.suppress(Exception):
                await self._export.stop()
            self._export = self._tunnel = None
        if self.vm_uuid in self.driver.domains:
            await self.driver.vm.destroy(self.vm_uuid)
        for path in self._made:
            with contextlib.suppress(Exception):
                await self.driver.storage.destroy_image(path)
        self._made.clear()


def _pipe() -> tuple[int, int]:
    """A pipe of :data:`PIPE_SIZE` where Linux allows it (else its default)."""
    read_fd, write_fd = os.pipe()
    with contextlib.suppress(OSError):
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    return read_fd, write_fd
