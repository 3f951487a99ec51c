"""The receiving end: a small TCP server admitting each incoming stream by a one-time token.

The daemon runs one :class:`Receiver` on its own port (``host.migrate_receive`` issues the
tokens); ``xenia migrate-receive`` runs the same class alone. A token is good for one connection
and expires; the stream it admits is fed to the :class:`Sink` that was named when the token was
issued (the driver's side: the simulator's in :mod:`.sim`). Whatever goes wrong before COMMIT,
the sink's :meth:`Sink.abort` destroys what it made, so nothing half-made stays on this host.

A sink that tunnels NBD (QEMU's disk mirror, :mod:`.tunnel`) gets a second connection for those
frames: READY carries ``nbd_token``, a one-time token good only while its stream lives, and the
source opens another connection with ``HELLO {token: nbd_token, attach: "nbd"}`` that carries the
NBD frames both ways. On the stream's own connection they would queue behind megabytes of
memory already in flight (the sockets' buffers, the reader, the destination's pipe), and the
source's ``stop`` at the switch-over waits for them (its mirror's last write, the flush of its
NBD client): that queue was the larger part of the pause a disk added. A source that does not
attach sends them on the stream as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from xenia.migration.splicing import SpliceReader, splice_server
from xenia.migration.stream import Frame, FrameError, Kind, decompress, encode, read_frame, read_header
from xenia.util.tasks import cancel_and_wait

__all__ = ["HELLO_TIMEOUT", "TICKET_TTL", "Receiver", "Sink", "SinkFactory", "Ticket"]

log = logging.getLogger(__name__)

#: Seconds a new connection has to present its token.
HELLO_TIMEOUT = 10.0
#: Seconds a token stays valid (xapi's migrate_receive tokens are also short-lived).
TICKET_TTL = 300.0
#: Seconds between two frames of a stream before the receiver gives up on it.
IDLE_TIMEOUT = 300.0
#: The stream reader's buffer limit (it reads up to twice as much ahead) and the socket's receive
#: buffer, fixed: above asyncio's 64 KiB, so a frame is read in few steps, each pausing and resuming
#: the socket (as large as the sender's :data:`~.stream.WRITE_BUFFER`, for the same reasons); below
#: what the kernel's autotuning reaches (several megabytes): whatever is buffered when the source
#: stops the guest must still be loaded by the destination, lengthening the downtime.
READ_LIMIT = 2 << 20


class Sink(Protocol):
    """A driver's side of one VM arriving on this host."""

    async def accept(self, hello: dict[str, Any]) -> None:
        """Check the VM can come (memory, driver, no such domain yet); raise to refuse."""
        ...

    async def data(self, payload: bytes) -> None:
        """A DATA frame of the driver's memory stream."""
        ...

    # A sink whose memory stream is a plain byte stream (QEMU's) may set ``streams_data = True``:
    # its ``data`` then takes each DATA frame's payload in pieces as they arrive, so they go on to
    # the destination at once, without a frame's bytes first gathered and copied into one. Such a
    # sink may also have ``def data_pipe(self) -> int | None``: a non-blocking pipe the receiver
    # moves the payload into itself, from the socket (``splice``), raising if the sink has failed.
    # A sink may also have ``async def disk(self, payload: bytes) -> None`` for DISK frames, and
    # ``async def nbd(self, payload: bytes) -> None`` for NBD frames with ``def bind(self, reply)``
    # that the receiver calls before ``accept`` with ``reply(payload)``, which sends an NBD frame back.

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        """The switch-over's state: create the VM here, paused; the LOADED payload."""
        ...

    async def commit(self) -> dict[str, Any]:
        """The VM is ours: run it (if it ran on the source); the DONE payload."""
        ...

    async def abort(self) -> None:
        """Destroy whatever was made for this stream."""
        ...


SinkFactory = Callable[[dict[str, Any]], Awaitable[Sink]]


@dataclass
class Ticket:
    """One issued token and what became of it."""

    token: str
    factory: SinkFactory
    expires: float
    #: resolved with the DONE payload, or the exception that ended the stream
    outcome: asyncio.Future[dict[str, Any]] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class Receiver:
    """Listens on ``host:port`` (0: any free port) for migration streams."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._bind = (host, port)
        self._server: asyncio.Server | None = None
        self._tickets: dict[str, Ticket] = {}
        self._streams: set[asyncio.Task[None]] = set()
        #: the side connections for NBD frames that live streams offered, by token
        self._sides: dict[str, _Side] = {}

    async def start(self) -> None:
        self._server = await splice_server(self._serve, *self._bind, limit=READ_LIMIT)

    @property
    def address(self) -> tuple[str, int]:
        assert self._server is not None, "start() first"
        host, port = self._server.sockets[0].getsockname()[:2]
        return str(host), int(port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for task in list(self._streams):
            task.cancel()
        for ticket in self._tickets.values():
            if not ticket.outcome.done():
                ticket.outcome.cancel()
        self._tickets.clear()

    def expect(self, factory: SinkFactory, *, token: str | None = None, ttl: float = TICKET_TTL) -> Ticket:
        """Issue a one-time token whose stream goes to the sink ``factory`` makes."""
        now = time.monotonic()
        for old in [t for t in self._tickets.values() if t.expires < now]:
            self._drop(old, TimeoutError("the migration token expired unused"))
        ticket = Ticket(token or secrets.token_urlsafe(24), factory, now + ttl)
        self._tickets[ticket.token] = ticket
        return ticket

    def revoke(self, token: str) -> bool:
        """Withdraw an unused token."""
        ticket = self._tickets.get(token)
        if ticket is None:
            return False
        self._drop(ticket, asyncio.CancelledError())
        return True

    def _drop(self, ticket: Ticket, exc: BaseException) -> None:
        self._tickets.pop(ticket.token, None)
        if not ticket.outcome.done():
            ticket.outcome.set_exception(exc)
            ticket.outcome.exception()  # mark retrieved: nobody may be waiting on it

    # -- one stream -----------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._streams.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:  # fixed, not autotuned to megabytes: see READ_LIMIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, READ_LIMIT)
        try:
            await self._stream(reader, writer)
        finally:
            self._streams.discard(task)
            if isinstance(reader, SpliceReader):
                reader.close()
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _stream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            hello_frame = await asyncio.wait_for(read_frame(reader), HELLO_TIMEOUT)
            if hello_frame.kind is not Kind.HELLO:
                raise FrameError("the stream must begin with HELLO")
            hello = hello_frame.json()
        except (TimeoutError, asyncio.IncompleteReadError, OSError, FrameError) as exc:
            await _send_error(writer, "protocol", f"no valid HELLO: {exc!r}")
            return
        offered = self._sides.get(str(hello.get("token", "")))
        if offered is not None and offered.task is None:  # a side token is good for one connection too
            await self._attached(offered, reader, writer)
            return
        ticket = self._tickets.pop(str(hello.get("token", "")), None)
        if ticket is None or ticket.expires < time.monotonic():
            await _send_error(writer, "token", "unknown, used or expired migration token")
            return
        await self._admitted(ticket, hello, reader, writer)

    async def _ready(self, sink: Sink, hello: dict[str, Any], writer: asyncio.StreamWriter) -> str | None:
        """Let the sink accept the stream and answer READY: with a side connection's token where
        the sink tunnels NBD (returned, else None)."""
        bind = getattr(sink, "bind", None)
        route = _NbdRoute(writer)
        if bind is not None:
            bind(route.send)
        await sink.accept(hello)
        ready: dict[str, Any] = {}
        nbd = getattr(sink, "nbd", None)
        side_token: str | None = None
        if bind is not None and nbd is not None:
            side_token = secrets.token_urlsafe(24)
            self._sides[side_token] = _Side(nbd, route)
            ready["nbd_token"] = side_token
        writer.write(encode(Kind.READY, ready))
        await writer.drain()
        return side_token

    async def _admitted(
        self, ticket: Ticket, hello: dict[str, Any], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """A stream its token admitted, fed to the ticket's sink until DONE, ABORT or a failure."""
        sink: Sink | None = None
        committed = False
        side_token: str | None = None
        try:
            sink = await ticket.factory(hello)
            side_token = await self._ready(sink, hello, writer)
            # a sink whose side can break on its own (a destination QEMU dying while nothing is
            # sent to it) has ``failed``, a future the wait for the next frame also watches
            failed: asyncio.Future[None] | None = getattr(sink, "failed", None)
            streams_data = bool(getattr(sink, "streams_data", False))
            side = self._sides.get(side_token) if side_token is not None else None
            while True:
                kind, length = await _next_header(reader, failed, side)
                frame = await _control(reader, kind, length, sink, streams_data)
                if frame is None:
                    continue  # bytes, given to the sink
                if frame.kind is Kind.SWITCH:
                    loaded = await sink.load(frame.json())
                    writer.write(encode(Kind.LOADED, loaded))
                    await writer.drain()
                elif frame.kind is Kind.COMMIT:
                    committed = True
                    done = await sink.commit()
                    writer.write(encode(Kind.DONE, done))
                    await writer.drain()
                    if not ticket.outcome.done():
                        ticket.outcome.set_result(done)
                    return
                elif frame.kind is Kind.ABORT:
                    raise _Aborted(str(frame.json().get("reason", "")))
                else:
                    raise FrameError(f"unexpected {frame.kind.name} frame")
        except BaseException as exc:
            if sink is not None:
                try:
                    await sink.abort()
                except Exception:
                    log.exception("migration sink abort failed")
            if not isinstance(exc, (_Aborted, asyncio.IncompleteReadError, asyncio.CancelledError)):
                code = "stream" if isinstance(exc, FrameError) else _code_of(exc)
                await _send_error(writer, code, str(exc) or type(exc).__name__)
            if not ticket.outcome.done():
                ticket.outcome.set_exception(exc if isinstance(exc, Exception) else ConnectionAbortedError(str(exc)))
                ticket.outcome.exception()
            if isinstance(exc, asyncio.CancelledError):
                raise
            if not isinstance(exc, (Exception,)):
                raise
            log.info("incoming migration %s ended: %r (committed=%s)", hello.get("vm"), exc, committed)
        finally:
            if side_token is not None:
                self._end_side(side_token)

    def _end_side(self, token: str) -> None:
        """The stream ended: its side connection is no longer admitted, or is closed."""
        side = self._sides.pop(token, None)
        if side is not None and side.conn is not None:
            side.conn.close()  # its reader sees the end (a cancelled task would be logged by asyncio)

    async def _attached(self, side: _Side, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A stream's side connection: NBD frames to its sink, and the sink's NBD frames back on it."""
        side.task = asyncio.current_task()
        side.conn = writer
        try:
            writer.write(encode(Kind.READY, {}))
            await writer.drain()
            side.route.writer = writer
            while True:
                frame = await read_frame(reader)
                if frame.kind is not Kind.NBD:
                    raise FrameError(f"a disk connection carries NBD frames, not {frame.kind.name}")
                side.active = time.monotonic()
                await side.nbd(frame.payload)
        except Exception as exc:
            # the source's mirror breaks with it and the source aborts the stream: nothing to do here
            log.info("a migration's disk connection ended: %r", exc)
        finally:
            side.route.writer = None


async def _next_header(
    reader: asyncio.StreamReader, failed: asyncio.Future[None] | None, side: _Side | None = None
) -> tuple[Kind, int]:
    """The next frame's header, unless the sink's side failed first (``failed``) or nothing came
    (on the stream, nor on its ``side`` connection: a disk copied there keeps the stream alive)."""
    if side is not None and side.task is None:
        side = None  # offered, not attached (a source whose disks do not need it)
    if failed is None and side is None:
        return await asyncio.wait_for(read_header(reader), IDLE_TIMEOUT)
    reading = asyncio.ensure_future(read_header(reader))
    waiting: set[asyncio.Future[Any]] = {reading} if failed is None else {reading, failed}
    try:
        while True:
            done, _ = await asyncio.wait(waiting, timeout=IDLE_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
            if reading in done:
                return reading.result()
            if failed is not None and failed in done:
                failed.result()  # raises the sink's failure
            if side is None or time.monotonic() - side.active > IDLE_TIMEOUT:
                raise TimeoutError(f"no frame in {IDLE_TIMEOUT:g} s")
    finally:
        await cancel_and_wait(reading)


async def _control(
    reader: asyncio.StreamReader, kind: Kind, length: int, sink: Sink, streams_data: bool
) -> Frame | None:
    """The frame whose header was read: a control frame is returned, the bytes of a bulk one go
    to the sink (a DATA frame piece by piece as it arrives, to a sink that ``streams_data``)."""
    async with asyncio.timeout(IDLE_TIMEOUT):
        if kind is Kind.DATA and streams_data:
            await _stream_data(reader, length, sink)
            return None
        frame = Frame(kind, await reader.readexactly(length) if length else b"")
        if kind not in _BULK:
            return frame
    await _bulk(sink, frame)
    return None


async def _stream_data(reader: asyncio.StreamReader, length: int, sink: Sink) -> None:
    """A DATA frame's ``length`` bytes to a streaming sink, piece by piece as they arrive; into
    the sink's pipe by ``splice(2)`` where it has one (``data_pipe``) and the reader can."""
    data_pipe: Callable[[], int | None] | None = getattr(sink, "data_pipe", None)
    pipe = data_pipe() if isinstance(reader, SpliceReader) and data_pipe is not None else None
    if pipe is not None:
        assert isinstance(reader, SpliceReader)
        await reader.splice_into(pipe, length, sink.data)
        return
    while length:
        piece = await reader.read(min(length, READ_LIMIT))
        if not piece:
            raise asyncio.IncompleteReadError(b"", length)
        length -= len(piece)
        await sink.data(piece)


#: the frames that carry bytes to the sink, and the sink's method for each
_BULK = {Kind.DATA: "data", Kind.DATA_ZSTD: "data", Kind.DISK: "disk", Kind.NBD: "nbd"}


async def _bulk(sink: Sink, frame: Frame) -> None:
    method = getattr(sink, _BULK[frame.kind], None)
    if method is None:
        raise FrameError(f"this sink takes no {frame.kind.name} frames")
    await method(decompress(frame.payload) if frame.kind is Kind.DATA_ZSTD else frame.payload)


class _NbdRoute:
    """Where a sink's NBD frames go back to the source: the stream's own connection until the
    source attaches its side connection, that one from then on, nowhere once it closed."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer: asyncio.StreamWriter | None = writer

    async def send(self, payload: bytes) -> None:
        if self.writer is None:
            raise ConnectionResetError("the migration's disk connection is closed")
        await _send_nbd(self.writer, payload)


@dataclass
class _Side:
    """A stream's offer of a side connection for its NBD frames (see the module's notes)."""

    nbd: Callable[[bytes], Awaitable[None]]
    route: _NbdRoute
    #: the side connection's task and connection, once the source attached it
    task: asyncio.Task[Any] | None = None
    conn: asyncio.StreamWriter | None = None
    #: when its last frame came (``time.monotonic()``)
    active: float = field(default_factory=time.monotonic)


class _Aborted(Exception):
    """The source sent ABORT."""


def _code_of(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    return str(code) if isinstance(code, str) else type(exc).__name__


async def _send_nbd(writer: asyncio.StreamWriter, payload: bytes) -> None:
    writer.write(encode(Kind.NBD, payload))
    await writer.drain()


async def _send_error(writer: asyncio.StreamWriter, code: str, message: str) -> None:
    with contextlib.suppress(Exception):
        writer.write(encode(Kind.ERROR, {"code": code, "message": message}))
        await asyncio.wait_for(writer.drain(), 2.0)
