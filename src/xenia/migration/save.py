"""Save a VM to a file and restore it, anywhere (``xl save``/``xl restore``), through the same phases.

The file is the migration stream itself: the frames a live migration sends (HELLO, DATA, SWITCH)
written to a file instead of a socket, through the same rate limiter, with the same progress
and cancel. So every driver that migrates also saves and restores, with no second format:
:func:`save` drives a :class:`~.live.SourceVm`, :func:`restore` feeds a :class:`~.receiver.Sink`.

Save's phases: prepare, connect (open the file), send memory (while the VM runs, so the pause is
short, as a live migration), switch-over (pause, the rest and the device state), hand-over (the
file is complete and synced), clean-up (the domain is destroyed, as ``xl save`` does). A failure
or cancel before the hand-over removes the partial file and leaves the VM running.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from typing import Any, BinaryIO

from xenia.migration.errors import MigrationError, Phase
from xenia.migration.live import MigrationResult, Run, SourceVm
from xenia.migration.options import MigrationOptions
from xenia.migration.receiver import Sink
from xenia.migration.stream import Frame, FrameError, FrameWriter, Kind, decode_header

__all__ = ["FORMAT", "read_header", "restore", "save"]

#: the first frame's ``format``: a saved image, not a live stream
FORMAT = "xenia-saved-vm"


class _FileSink:
    """A :class:`~.stream.ByteSink` over a file: writes buffered, flushed from a thread in ``drain``."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._pending.append(data)

    async def drain(self) -> None:
        data, self._pending = b"".join(self._pending), []
        if data:
            await asyncio.to_thread(self.f.write, data)


async def save(source: SourceVm, path: str, options: MigrationOptions | None = None) -> MigrationResult:
    """Write the VM to ``path``; the VM is gone from its driver afterwards (it lives in the file).

    :raise MigrationError: naming the phase; before the hand-over the VM runs on and no file is left.
    """
    options = options or MigrationOptions()
    run = Run(options)
    started = time.monotonic()
    timer = asyncio.get_running_loop().call_later(options.timeout, run.expire) if options.timeout else None
    f: BinaryIO | None = None
    paused_at: float | None = None
    try:
        run.meter.enter(Phase.PREPARE)
        hello = await _guard(run, source.prepare())
        run.meter.enter(Phase.CONNECT)
        try:
            f = open(path + ".part", "wb")  # closed in finally, renamed at the hand-over
        except OSError as exc:
            raise MigrationError(Phase.CONNECT, "driver", f"cannot write {path}: {exc}", cause=exc) from exc
        out = FrameWriter(_FileSink(f), options.bucket())
        await _guard(run, out.send(Kind.HELLO, {**hello, "format": FORMAT}))
        run.meter.enter(Phase.SEND_MEMORY)
        await _guard(run, source.send_memory(out, run))
        run.check()
        options.cancel.close()
        run.meter.enter(Phase.SWITCH_OVER)
        paused_at = time.monotonic()
        state = await _guard(run, source.switch_over(out, run))
        await _guard(run, out.send(Kind.SWITCH, state))
        run.meter.enter(Phase.HAND_OVER)
        await _guard(run, asyncio.to_thread(_sync_and_close, f))
        f = None
        os.replace(path + ".part", path)
        downtime = time.monotonic() - paused_at
        run.meter.bytes_remaining = 0
        run.meter.enter(Phase.CLEAN_UP)
        try:
            await source.release()
        except Exception as exc:
            raise MigrationError(Phase.CLEAN_UP, "driver", f"saved, but the domain was not destroyed: {exc}",
                                 cause=exc) from exc  # fmt: skip
        return MigrationResult(
            vm_uuid=str(hello.get("vm", "")), bytes_sent=out.bytes_written, iterations=run.meter.iteration,
            duration=time.monotonic() - started, downtime=downtime, progress_reports=run.meter.reports,
            switch={k: v for k, v in state.items() if k != "image"},
        )  # fmt: skip
    except BaseException as exc:
        if isinstance(exc, MigrationError) and exc.phase is Phase.CLEAN_UP:
            raise
        if f is not None:
            f.close()
            f = None
        with contextlib.suppress(OSError):
            os.unlink(path + ".part")
        running = True
        try:
            await (source.resume() if paused_at is not None else source.abandon())
        except Exception:
            running = False
        if isinstance(exc, MigrationError):
            exc.source_running = running
            raise
        if isinstance(exc, Exception):
            raise MigrationError(run.phase, "driver", str(exc) or type(exc).__name__, source_running=running,
                                 cause=exc) from exc  # fmt: skip
        raise
    finally:
        if timer is not None:
            timer.cancel()
        if f is not None:
            f.close()


def _sync_and_close(f: BinaryIO) -> None:
    f.flush()
    os.fsync(f.fileno())
    f.close()


async def _guard(run: Run, coro: Any) -> Any:
    try:
        return await coro
    except MigrationError:
        raise
    except Exception as exc:
        raise MigrationError(run.phase, "driver", str(exc) or type(exc).__name__, cause=exc) from exc


async def restore(sink: Sink, path: str, options: MigrationOptions | None = None) -> dict[str, Any]:
    """Feed the saved VM in ``path`` to ``sink`` (a driver's receiving side); the sink's DONE payload.

    Reading goes through the same limiter and progress. On failure the sink destroys what it made.
    """
    options = options or MigrationOptions()
    run = Run(options)
    bucket = options.bucket()
    try:
        f = open(path, "rb")  # closed in finally
    except OSError as exc:
        raise MigrationError(Phase.CONNECT, "driver", f"cannot read {path}: {exc}", cause=exc) from exc
    size = os.fstat(f.fileno()).st_size
    try:
        run.meter.enter(Phase.CONNECT)
        hello = await _read(f, bucket)
        if hello[0] is not Kind.HELLO or not hello[1].startswith(b"{"):
            raise MigrationError(Phase.CONNECT, "protocol", f"{path} is not a saved VM")
        meta = Frame(Kind.HELLO, hello[1]).json()
        if meta.get("format") != FORMAT:
            raise MigrationError(Phase.CONNECT, "protocol", f"{path} is not a saved VM")
        await _guard(run, sink.accept(meta))
        run.meter.enter(Phase.SEND_MEMORY)
        done = 0
        while True:
            run.check()
            kind, payload = await _read(f, bucket)
            done += len(payload) + 5
            run.sent(len(payload) + 5, size - done)
            if kind is Kind.DATA:
                await _guard(run, sink.data(payload))
            elif kind is Kind.SWITCH:
                options.cancel.close()
                run.meter.enter(Phase.SWITCH_OVER)
                await _guard(run, sink.load(Frame(kind, payload).json()))
                break
            else:
                raise MigrationError(run.phase, "protocol", f"{path}: unexpected {kind.name} frame")
        run.meter.enter(Phase.HAND_OVER)
        result: dict[str, Any] = await _guard(run, sink.commit())
        run.meter.enter(Phase.CLEAN_UP)
        return result
    except BaseException:
        with contextlib.suppress(Exception):
            await sink.abort()
        raise
    finally:
        f.close()


async def _read(f: BinaryIO, bucket: Any) -> tuple[Kind, bytes]:
    kind, payload = await asyncio.to_thread(_read_frame, f)  # one thread hop a frame, not two
    await bucket.acquire(len(payload) + 5)
    return kind, payload


def _read_frame(f: BinaryIO) -> tuple[Kind, bytes]:
    header = f.read(5)
    if len(header) < 5:
        raise MigrationError(Phase.SEND_MEMORY, "protocol", "the saved VM ends early")
    try:
        kind, length = decode_header(header)
    except FrameError as exc:
        raise MigrationError(Phase.SEND_MEMORY, "protocol", str(exc)) from exc
    payload = f.read(length)
    if len(payload) < length:
        raise MigrationError(Phase.SEND_MEMORY, "protocol", "the saved VM ends early")
    return kind, payload


def read_header(path: str) -> dict[str, Any]:
    """The HELLO of a saved VM (which VM, which driver), without restoring anything.

    :raise MigrationError: the file cannot be read or is not a saved VM.
    """
    try:
        with open(path, "rb") as f:
            header = f.read(5)
            kind, length = decode_header(header) if len(header) == 5 else (None, 0)
            payload = f.read(length)
        meta = Frame(Kind.HELLO, payload).json() if kind is Kind.HELLO and len(payload) == length else {}
    except (OSError, FrameError) as exc:
        raise MigrationError(Phase.CONNECT, "protocol", f"{path} is not a saved VM: {exc}") from exc
    if meta.get("format") != FORMAT:
        raise MigrationError(Phase.CONNECT, "protocol", f"{path} is not a saved VM")
    return meta
