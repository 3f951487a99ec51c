"""A QEMU VM's disks in a live migration: QEMU's block mirror into an NBD export, as libvirt does.

The destination QEMU, started with ``-incoming defer`` on new images of the same size, exports
each disk's format node writable over NBD (``nbd-server-start`` on a unix socket in its domain
directory, ``block-export-add``; QEMU activates the node for the export). The source QEMU opens an
NBD client node on each export (``blockdev-add driver=nbd``) and mirrors the disk into it
(``blockdev-mirror sync=full``) while the guest runs; the connection is tunnelled through the
migration's receiver (:mod:`.tunnel`), on a side connection of its own where the receiver offers
one (READY's ``nbd_token``), so the mirror's requests never wait behind the memory in flight.
Once every mirror is *ready* (the copy caught up; from then on each guest write goes to both
sides), QEMU's memory migration starts. At the switch-over the
guest is stopped (``pre-switchover``); ``block-job-cancel`` of a ready mirror then copies what is
left, flushes the target and ends without pivoting, so the destination's images hold exactly the
source's at the pause, and only then does ``migrate-continue`` send the device state. On any
failure before that the jobs are cancelled (``force``), the NBD nodes deleted, and the source
writes its own images as before: nothing of it changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

from xenia.drivers.base import DiskKind, DiskSpec
from xenia.drivers.errors import BackendFailure
from xenia.drivers.qemu.argv import disk_id
from xenia.drivers.qemu.domain import Domain
from xenia.drivers.qemu.qmp import Event
from xenia.migration.live import CONNECT_TIMEOUT, Run
from xenia.migration.stream import FrameError, FrameWriter, Kind, read_frame
from xenia.migration.tunnel import Tunnel
from xenia.util.tasks import cancel_and_wait

__all__ = ["DiskExport", "DiskMirror", "mirrored_disks"]

log = logging.getLogger(__name__)

#: seconds between two ``query-block-jobs`` polls for progress
POLL = 0.1
#: seconds between two looks at the destination's images while the mirrors copy
SYNC_INTERVAL = 0.2
#: bytes the mirrors must have sent since the last sync for another one (a guest's few writes wait
#: for the flush at the switch-over: each sync is a journal commit others' syncs queue behind)
SYNC_BYTES = 1 << 20
#: seconds a mirror gets to end after ``block-job-cancel`` (a flush of the target under load)
FINISH_TIMEOUT = 120.0
_PREFIX = "xenia-mirror-"
_END_EVENTS = ("BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_ERROR")


def mirrored_disks(disks: tuple[DiskSpec, ...]) -> list[DiskSpec]:
    """The disks whose contents go with the VM: every disk with an image (CD drives stay)."""
    return [d for d in disks if d.kind is DiskKind.DISK and d.path is not None]


def _export(disk: DiskSpec) -> str:
    return disk_id(disk.userdevice)


class DiskMirror:
    """The source's side: a mirror job per disk into the destination's NBD exports."""

    def __init__(self, dom: Domain, disks: list[DiskSpec]) -> None:
        self.dom = dom
        self.disks = disks
        self.jobs: list[str] = []
        self.nodes: list[str] = []
        self._tunnel: Tunnel | None = None
        #: the side connection to the receiver that carries the NBD frames, and its reader
        self._side: asyncio.StreamWriter | None = None
        self._side_frames: FrameWriter | None = None
        self._side_reader: asyncio.Task[None] | None = None
        #: the final event of each job that ended (BLOCK_JOB_COMPLETED, _CANCELLED or _ERROR)
        self._ended: dict[str, Event] = {}
        self._changed = asyncio.Event()
        self._detach: Any = None
        #: bytes the mirrors still have to copy (from the last poll)
        self.remaining = 0

    async def start(self, out: FrameWriter, run: Run) -> None:
        """Open the tunnel and start a mirror job per disk."""
        side = await self._attach(out, run)
        frames = out if side is None else side[0]

        async def send(payload: bytes) -> None:
            size = await frames.send(Kind.NBD, payload)
            if frames is not out:
                out.bytes_written += size  # what went to the receiver, over either connection
            run.sent(size, run.meter.bytes_remaining)

        tunnel = self._tunnel = Tunnel(send)
        if side is None:  # the frames share the stream: its end is the tunnel's
            run.handlers[Kind.NBD] = tunnel.feed
            run.on_lost.append(tunnel.fail)
        else:
            self._side_reader = asyncio.create_task(self._read_side(side[1], tunnel))
        sock = str(self.dom.paths.root / "mirror.sock")
        await tunnel.listen(sock)
        self._detach = self.dom.qmp.add_event_handler(self._on_event)
        for disk in self.disks:
            name = _PREFIX + _export(disk)
            await self.dom.execute("blockdev-add", {"driver": "nbd", "node-name": name, "export": _export(disk),
                                                    "server": {"type": "unix", "path": sock}})  # fmt: skip
            self.nodes.append(name)
            log.debug("VM %s: NBD client %s connected", self.dom.vm_uuid, name)
            await self.dom.execute("blockdev-mirror", {"job-id": name, "device": f"{_export(disk)}-fmt",
                                                       "target": name, "sync": "full"})  # fmt: skip
            self.jobs.append(name)

    async def _attach(self, out: FrameWriter, run: Run) -> tuple[FrameWriter, asyncio.StreamReader] | None:
        """The receiver's side connection for the NBD frames, where it offers one (else None: they
        go on the stream). Its frames go through the stream's limiter: one cap for both."""
        token = run.ready.get("nbd_token")
        if not token or run.address is None:
            return None
        reader, writer = await asyncio.wait_for(asyncio.open_connection(*run.address), CONNECT_TIMEOUT)
        self._side = writer
        frames = self._side_frames = FrameWriter(writer, out.limiter)
        await frames.send(Kind.HELLO, {"token": token, "attach": "nbd"})
        answer = await asyncio.wait_for(read_frame(reader), CONNECT_TIMEOUT)
        if answer.kind is not Kind.READY:
            raise BackendFailure(f"the receiver refused the disks' connection: {answer.payload[:200]!r}")
        return frames, reader

    @staticmethod
    async def _read_side(reader: asyncio.StreamReader, tunnel: Tunnel) -> None:
        """The receiver's NBD frames on the side connection, until it closes (an error of the tunnel)."""
        try:
            while True:
                frame = await read_frame(reader)
                if frame.kind is not Kind.NBD:
                    raise FrameError(f"the disks' connection carries NBD frames, not {frame.kind.name}")
                await tunnel.feed(frame.payload)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            tunnel.fail(exc)

    async def wait_ready(self, run: Run) -> None:
        """Until every mirror has caught up (the guest keeps writing to both sides from then on)."""
        while True:
            self.check()
            jobs = {j["device"]: j for j in await self.dom.execute("query-block-jobs") if j["device"] in self.jobs}
            missing = [j for j in self.jobs if j not in jobs]
            if missing:
                raise BackendFailure(f"the disk mirror {missing[0]} ended before the switch-over")
            self.remaining = sum(max(0, int(j["len"]) - int(j["offset"])) for j in jobs.values())
            run.meter.bytes_remaining = self.remaining
            run.meter.report()
            if all(j.get("ready") for j in jobs.values()):
                return
            run.check()
            await asyncio.sleep(POLL)

    def _on_event(self, event: Event) -> None:
        if event.name in _END_EVENTS and str(event.data.get("device")) in self.jobs:
            self._ended.setdefault(str(event.data["device"]), event)
            self._changed.set()

    def check(self) -> None:
        if self._tunnel is not None and self._tunnel.error is not None:
            raise BackendFailure(f"the disk mirror's connection broke: {self._tunnel.error}")
        for job, event in self._ended.items():
            raise BackendFailure(f"the disk mirror {job} stopped before the switch-over: {_why(event)}")

    async def finish(self) -> None:
        """The guest is stopped: copy the rest, flush the targets, end the mirrors without pivoting."""
        self.check()
        for job in self.jobs:
            await self.dom.execute("block-job-cancel", {"device": job})
        try:
            async with asyncio.timeout(FINISH_TIMEOUT):
                while len(self._ended) < len(self.jobs):
                    if self.dom.exited:
                        raise BackendFailure("QEMU exited while the disk mirrors ended")
                    self._changed.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), 1.0)
        except TimeoutError as exc:
            raise BackendFailure(f"the disk mirrors did not end in {FINISH_TIMEOUT:g} s") from exc
        for job, event in self._ended.items():
            if event.name == "BLOCK_JOB_ERROR" or event.data.get("error"):
                raise BackendFailure(f"the disk mirror {job} failed at the switch-over: {_why(event)}")
        self.jobs.clear()
        # the NBD nodes and the tunnel stay until the migration ended (:meth:`close` or
        # :meth:`detach`): deleting a node flushes it and disconnects, round trips the pause can do without

    async def detach(self) -> None:
        """The domain is going away (it runs on the destination now): close the tunnel, no QMP."""
        self.nodes.clear()
        await self.close()

    async def close(self) -> None:
        """Cancel what still runs, delete the NBD nodes, close the tunnel: the source is as before."""
        for job in self.jobs:
            with contextlib.suppress(Exception):
                await self.dom.execute("block-job-cancel", {"device": job, "force": True})
        with contextlib.suppress(Exception):
            async with asyncio.timeout(30):
                while self.jobs and not self.dom.exited:
                    if not {j["device"] for j in await self.dom.execute("query-block-jobs")} & set(self.jobs):
                        break
                    await asyncio.sleep(0.02)
        self.jobs.clear()
        for node in self.nodes:
            with contextlib.suppress(Exception):
                await self.dom.execute("blockdev-del", {"node-name": node})
        self.nodes.clear()
        if self._detach is not None:
            self._detach()
            self._detach = None
        if self._tunnel is not None:
            await self._tunnel.close()
            self._tunnel = None
        if self._side_reader is not None:
            await cancel_and_wait(self._side_reader)
            self._side_reader = None
        if self._side_frames is not None:
            self._side_frames.close()  # its duplicate of the socket's descriptor
            self._side_frames = None
        if self._side is not None:
            self._side.close()
            self._side = None


def _fdatasync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fdatasync(fd)
    finally:
        os.close(fd)


def _why(event: Event) -> str:
    if event.name == "BLOCK_JOB_ERROR":  # {operation: read|write, action}
        return f"{event.data.get('operation', 'I/O')} error on the {'target' if event.data.get('operation') == 'write' else 'source'}"
    return str(event.data.get("error") or event.name)


class DiskExport:
    """The destination's side: the new images exported over NBD, reached through the tunnel."""

    def __init__(self, dom: Domain, disks: list[DiskSpec]) -> None:
        self.dom = dom
        self.disks = disks
        self.sock = str(dom.paths.root / "nbd.sock")
        self.tunnel: Tunnel | None = None
        self._started = False
        self._syncer: asyncio.Task[None] | None = None

    async def start(self, reply: Any) -> Tunnel:
        """Export every disk; the tunnel that connects the source's NBD clients to the exports."""
        await self.dom.execute("nbd-server-start", {"addr": {"type": "unix", "data": {"path": self.sock}}})
        self._started = True
        for disk in self.disks:
            await self.dom.execute("block-export-add", {"type": "nbd", "id": _export(disk), "name": _export(disk),
                                                        "node-name": f"{_export(disk)}-fmt", "writable": True})  # fmt: skip
        self.tunnel = Tunnel(reply, connect=lambda: asyncio.open_unix_connection(self.sock))
        self._syncer = asyncio.create_task(self._sync_while_copying())
        log.debug("VM %s: exporting %d disks on %s", self.dom.vm_uuid, len(self.disks), self.sock)
        return self.tunnel

    async def _sync_while_copying(self) -> None:
        """Write the new images' cached pages to disk all along the copy.

        The source's ``stop`` at the switch-over flushes every block node, its NBD clients too,
        so this host's images are flushed while the guest is stopped. Left to then, that flush
        writes out everything the mirror copied (the whole disk) inside the downtime; synced as
        the copy goes, it writes only what the last moments changed. Once the copy caught up
        (the guest's own writes trickle in), it syncs only after :data:`SYNC_BYTES` more.
        """
        paths = [str(d.path) for d in self.disks]
        synced = -SYNC_BYTES
        while True:
            received = self.tunnel.bytes_received if self.tunnel is not None else 0
            if received - synced >= SYNC_BYTES:
                synced = received
                for path in paths:
                    with contextlib.suppress(OSError):
                        await asyncio.to_thread(_fdatasync, path)
            await asyncio.sleep(SYNC_INTERVAL)

    async def stop(self) -> None:
        """The copy is complete (or abandoned): close the connections and the server."""
        if self._syncer is not None:
            await cancel_and_wait(self._syncer)
            self._syncer = None
        if self.tunnel is not None:
            await self.tunnel.close()
            self.tunnel = None
        if self._started and not self.dom.exited:
            self._started = False
            await self.dom.execute("nbd-server-stop")
