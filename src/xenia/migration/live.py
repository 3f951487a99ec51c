"""Live migration's fixed phases, the same for every driver: the orchestrator.

:func:`migrate` drives a :class:`SourceVm` (the driver's side of the VM being moved: the
simulator's in :mod:`.sim`, QEMU's in :mod:`.qemu`) against a receiver on another host
(:mod:`.receiver`), through prepare → connect → send memory → switch-over → hand-over →
clean-up. It owns what is common: the connection and its frames, the rate limiter, progress,
cancel, the timeout and its policy, and the rule on failure:

* before the switch-over the source only ever ran: it keeps running; ABORT tells the receiver
  to destroy what it made;
* during the switch-over the source is paused but still owns the VM: it is resumed;
* after COMMIT the destination owns the VM. If the receiver answers ERROR it has destroyed its
  copy, so the source resumes; if it goes silent nobody knows which side runs, so the source
  stays *paused* (never two running copies) and the error says ``source_running=False``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from xenia.migration.errors import (
    DestinationRefused,
    MigrationCancelled,
    MigrationError,
    MigrationTimedOut,
    Phase,
)
from xenia.migration.options import MigrationOptions, TimeoutPolicy
from xenia.migration.progress import ProgressMeter
from xenia.migration.stream import Frame, FrameError, FrameWriter, Kind, encode, read_frame

__all__ = ["CONNECT_TIMEOUT", "REPLY_TIMEOUT", "MigrationResult", "Run", "SourceVm", "migrate"]

#: Seconds to reach the receiver.
CONNECT_TIMEOUT = 10.0
#: Seconds the receiver may take to answer a control frame (create the domain, unpause it).
REPLY_TIMEOUT = 120.0


class SourceVm(Protocol):
    """A driver's side of one VM leaving this host."""

    async def prepare(self) -> dict[str, Any]:
        """Check the VM can go; the HELLO's description (``vm``, ``driver``, ``spec``, ``memory``)."""
        ...

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        """Pre-copy while the VM runs; return when the rest fits the downtime target or ``run.force``."""
        ...

    async def switch_over(self, out: FrameWriter, run: Run) -> dict[str, Any]:
        """Pause the VM, send what is left; the SWITCH payload (device state, digest)."""
        ...

    async def resume(self) -> None:
        """Undo the switch-over's pause (the migration failed before the destination took over)."""
        ...

    async def abandon(self) -> None:
        """Stop any driver-side sending after a failure before the switch-over (the VM runs)."""
        ...

    async def release(self) -> None:
        """The destination runs the VM: destroy it here."""
        ...


class WrappedSource:
    """A :class:`SourceVm` that hands every step to ``inner``: a wrapper overrides only the steps it
    adds to (the records in a migration's HELLO, a suspend's capability check)."""

    def __init__(self, inner: SourceVm) -> None:
        self.inner = inner

    async def prepare(self) -> dict[str, Any]:
        return await self.inner.prepare()

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        await self.inner.send_memory(out, run)

    async def switch_over(self, out: FrameWriter, run: Run) -> dict[str, Any]:
        return await self.inner.switch_over(out, run)

    async def resume(self) -> None:
        await self.inner.resume()

    async def abandon(self) -> None:
        await self.inner.abandon()

    async def release(self) -> None:
        await self.inner.release()


@dataclass
class MigrationResult:
    """What a finished migration reports."""

    vm_uuid: str
    bytes_sent: int
    iterations: int
    duration: float  #: seconds, prepare to clean-up
    downtime: float  #: seconds the VM was paused on the source until the destination ran it
    progress_reports: int
    destination: dict[str, Any] = field(default_factory=dict)  #: the receiver's DONE payload
    switch: dict[str, Any] = field(default_factory=dict)  #: what the switch-over sent (e.g. a digest)


class Run:
    """The state of one migration that adapters see: progress, cancel, the timeout's verdict."""

    def __init__(self, options: MigrationOptions) -> None:
        self.options = options
        self.meter = ProgressMeter(options.progress)
        #: Set when the timeout passed with policy ``force``: switch over now.
        self.force = False
        self._expired = False
        #: frames of these kinds from the receiver go to their handler, not to :meth:`reply`
        #: (QEMU's tunnelled disk mirror: :mod:`.tunnel`)
        self.handlers: dict[Kind, Callable[[bytes], Awaitable[None]]] = {}
        #: the receiver's address and its READY payload (an ``nbd_token`` for a side connection)
        self.address: tuple[str, int] | None = None
        self.ready: dict[str, Any] = {}
        #: called once when the connection to the receiver breaks: a tunnel whose frames travel on
        #: it closes its local connections then (:meth:`.tunnel.Tunnel.fail`), or QEMU's NBD client
        #: would wait on requests no one will answer
        self.on_lost: list[Callable[[BaseException], None]] = []
        self._peer: asyncio.Queue[Frame | BaseException] = asyncio.Queue()
        self._peer_failed: BaseException | Frame | None = None

    @property
    def phase(self) -> Phase:
        return self.meter.phase

    def expire(self) -> None:
        """The total timeout passed."""
        self._expired = True
        if self.options.on_timeout is TimeoutPolicy.FORCE:
            self.force = True

    def check(self) -> None:
        """Raise if the migration must stop now (cancel, timeout, receiver gone); adapters call it often."""
        if not self.phase.cancellable:
            return
        if self.options.cancel.cancelled:
            raise MigrationCancelled(self.phase)
        if self._expired and self.options.on_timeout is TimeoutPolicy.CANCEL:
            raise MigrationTimedOut(self.phase, self.options.timeout or 0.0)
        if self._peer_failed is not None:
            raise _peer_error(self.phase, self._peer_failed)

    def sent(self, nbytes: int, remaining: int) -> None:
        """Account bytes on the wire and report (rate-limited)."""
        self.meter.bytes_sent += nbytes
        self.meter.bytes_remaining = remaining
        self.meter.report()

    # -- the receiver's frames (read by a background task) -----------------------------------

    async def read_peer(self, reader: asyncio.StreamReader) -> None:
        while True:
            try:
                frame = await read_frame(reader)
            except (asyncio.IncompleteReadError, OSError, FrameError) as exc:
                await self._lost(exc)
                return
            handler = self.handlers.get(frame.kind)
            if handler is not None:
                try:
                    await handler(frame.payload)
                except Exception as exc:
                    await self._lost(exc)
                    return
                continue
            if frame.kind is Kind.ERROR:
                self._peer_failed = frame
            await self._peer.put(frame)

    async def _lost(self, exc: BaseException) -> None:
        self._peer_failed = self._peer_failed or exc
        for lost in self.on_lost:
            lost(exc)
        self.on_lost.clear()
        await self._peer.put(exc)

    async def reply(self, want: Kind, timeout: float = REPLY_TIMEOUT) -> Frame:
        """The receiver's next frame, which must be ``want``."""
        try:
            item = await asyncio.wait_for(self._peer.get(), timeout)
        except TimeoutError as exc:
            raise MigrationError(self.phase, "timeout", f"the receiver did not answer {want.name} in {timeout:g} s") from exc
        if isinstance(item, BaseException) or item.kind is not want:
            raise _peer_error(self.phase, item)
        return item


def _peer_error(phase: Phase, item: BaseException | Frame) -> MigrationError:
    if isinstance(item, Frame):
        if item.kind is Kind.ERROR:
            body = item.json()
            return DestinationRefused(phase, str(body.get("code", "error")), str(body.get("message", "")))
        return MigrationError(phase, "protocol", f"the receiver sent {item.kind.name} out of turn")
    return MigrationError(phase, "connection_lost", f"the connection to the receiver was lost: {item!r}", cause=item)


async def migrate(
    source: SourceVm, address: tuple[str, int], token: str, options: MigrationOptions | None = None
) -> MigrationResult:
    """Move a VM to the receiver at ``address`` that issued ``token``.

    :raise MigrationError: naming the phase that failed; see the module's rule on the VM's state.
    """
    options = options or MigrationOptions()
    run = Run(options)
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    timer = loop.call_later(options.timeout, run.expire) if options.timeout is not None else None
    writer: asyncio.StreamWriter | None = None
    out: FrameWriter | None = None
    reader_task: asyncio.Task[None] | None = None
    paused_at: float | None = None
    committed = False
    try:
        run.meter.enter(Phase.PREPARE)
        hello = await _step(run, source.prepare())
        run.check()

        run.meter.enter(Phase.CONNECT)
        try:
            reader, conn = await asyncio.wait_for(asyncio.open_connection(*address), CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise MigrationError(Phase.CONNECT, "connection_lost", f"cannot reach {address[0]}:{address[1]}: {exc}", cause=exc) from exc
        writer = conn
        out = FrameWriter(conn, options.bucket())
        if options.compress:
            out.compress()
        reader_task = asyncio.create_task(run.read_peer(reader))
        await _io(run, out.send(Kind.HELLO, {"token": token, **hello}))
        run.ready = (await run.reply(Kind.READY, CONNECT_TIMEOUT * 3)).json()
        run.address = address
        run.check()

        run.meter.enter(Phase.SEND_MEMORY)
        await _io(run, source.send_memory(out, run))
        run.check()

        options.cancel.close()
        run.meter.enter(Phase.SWITCH_OVER)
        paused_at = time.monotonic()
        state = await _io(run, source.switch_over(out, run))
        await _io(run, out.send(Kind.SWITCH, state))
        await run.reply(Kind.LOADED)

        run.meter.enter(Phase.HAND_OVER)
        committed = True
        await _io(run, out.send(Kind.COMMIT, {}))
        done = await run.reply(Kind.DONE)
        downtime = time.monotonic() - paused_at
        run.meter.bytes_remaining = 0

        run.meter.enter(Phase.CLEAN_UP)
        try:
            await source.release()
        except Exception as exc:
            raise MigrationError(Phase.CLEAN_UP, "driver", f"the VM runs on the destination, but the source was not released: {exc}", source_running=False, cause=exc) from exc
        run.meter.report(force=True)
        return MigrationResult(
            vm_uuid=str(hello.get("vm", "")),
            bytes_sent=out.bytes_written,
            iterations=run.meter.iteration,
            duration=time.monotonic() - started,
            downtime=downtime,
            progress_reports=run.meter.reports,
            destination=done.json(),
            switch={k: v for k, v in state.items() if k != "image"},
        )
    except BaseException as exc:
        if isinstance(exc, MigrationError) and exc.phase is Phase.CLEAN_UP:
            raise
        running = await _unwind(run, source, writer, paused_at is not None, committed, exc)
        if isinstance(exc, MigrationError):
            exc.source_running = running
            raise
        if isinstance(exc, Exception):
            raise MigrationError(run.phase, "driver", str(exc) or type(exc).__name__, source_running=running, cause=exc) from exc
        raise
    finally:
        if timer is not None:
            timer.cancel()
        if reader_task is not None:
            reader_task.cancel()
        await _hang_up(out, writer)


async def _hang_up(out: FrameWriter | None, writer: asyncio.StreamWriter | None) -> None:
    """Close the connection to the receiver (and the frame writer's duplicate of its descriptor)."""
    if out is not None:
        out.close()
    if writer is not None:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _step(run: Run, coro: Any) -> Any:
    """A driver step; its exceptions become errors of the current phase."""
    try:
        return await coro
    except MigrationError:
        raise
    except Exception as exc:
        raise MigrationError(run.phase, "driver", str(exc) or type(exc).__name__, cause=exc) from exc


async def _io(run: Run, coro: Any) -> Any:
    """A step that writes to the receiver: a broken connection is ``connection_lost``."""
    try:
        return await _step(run, coro)
    except MigrationError as exc:
        if isinstance(exc.cause, (ConnectionError, OSError)):
            exc.reason = "connection_lost"
        if run._peer_failed is not None and exc.reason == "connection_lost":
            raise _peer_error(run.phase, run._peer_failed) from exc
        raise


async def _unwind(
    run: Run, source: SourceVm, writer: asyncio.StreamWriter | None, paused: bool, committed: bool, exc: BaseException
) -> bool:
    """Put the source back after a failure; returns whether the VM runs (or is as it was) on the source."""
    refused_after_commit = isinstance(exc, DestinationRefused)
    if writer is not None and not committed:  # best effort: the receiver also aborts on EOF
        with contextlib.suppress(Exception):
            writer.write(encode(Kind.ABORT, {"reason": str(exc)}))
            await asyncio.wait_for(writer.drain(), 2.0)
    if committed and not refused_after_commit:
        return False  # the destination may run it: never resume here (no two running copies)
    try:
        if paused:
            await source.resume()
        else:
            await source.abandon()
    except Exception:
        return False
    return True
