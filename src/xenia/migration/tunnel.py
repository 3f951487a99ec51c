"""Byte streams carried inside the migration connection: QEMU's NBD disk mirror, tunnelled.

A live migration of a QEMU VM with disks copies them with QEMU's block mirror into an NBD
export of the destination QEMU. The NBD connection does not go from QEMU to QEMU directly: the
source QEMU's NBD client connects to a unix socket of the library, and the library carries its
bytes as :data:`~xenia.migration.stream.Kind.NBD` frames inside the migration's one connection,
to the receiver, which opens the destination QEMU's NBD socket. So the disks share the stream's
one-time token, its rate limiter (every byte sent goes through it), its cancel and its failure
rule (when the connection breaks, the mirror breaks with it), and no second port is opened.

Each tunnelled connection is a *channel*; a frame's payload is ``channel (2 bytes) | op (1 byte)
| bytes`` with op OPEN, DATA or CLOSE. The side that accepts a local connection numbers it and
sends OPEN at once (NBD's server speaks first: the client sends nothing until it heard it); the
other side then opens its connection (``connect``). Writes to a local socket never wait for it to drain: NBD bounds the bytes in flight
(QEMU's mirror keeps at most its buffer in flight), and waiting could deadlock the two
directions of one connection against each other.

Written here rather than taken from a library because it is a multiplexer over this protocol's
own frames; there is nothing to reuse.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
from collections.abc import Awaitable, Callable

from xenia.util.tasks import cancel_and_wait

__all__ = ["CHUNK", "CLOSE", "DATA", "OPEN", "Tunnel"]

_HEADER = struct.Struct(">HB")
OPEN, DATA, CLOSE = 0, 1, 2
#: bytes read from a local connection per frame at most
CHUNK = 256 << 10

Send = Callable[[bytes], Awaitable[object]]
Connect = Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]


class Tunnel:
    """One end of the tunnelled connections; ``send`` puts a frame payload on the migration stream."""

    def __init__(self, send: Send, connect: Connect | None = None) -> None:
        self._send = send
        self._connect = connect
        self._writers: dict[int, asyncio.StreamWriter] = {}
        self._pumps: dict[int, asyncio.Task[None]] = {}
        self._next = 0
        self._server: asyncio.Server | None = None
        self._path: str | None = None
        #: the first error of a pump (the stream broke): raised by :meth:`check`
        self.error: BaseException | None = None
        self.bytes_sent = 0
        #: bytes the peer sent to the local connections
        self.bytes_received = 0

    # -- the accepting side -----------------------------------------------------------------

    async def listen(self, path: str) -> None:
        """Accept local connections on the unix socket ``path``, each a new channel."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        self._path = path
        self._server = await asyncio.start_unix_server(self._accepted, path)

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        channel = self._next
        self._next += 1
        self._open(channel, reader, writer)
        try:
            await self._send(_HEADER.pack(channel, OPEN))
        except Exception as exc:
            self.fail(exc)

    def _open(self, channel: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers[channel] = writer
        self._pumps[channel] = asyncio.create_task(self._pump(channel, reader))

    async def _pump(self, channel: int, reader: asyncio.StreamReader) -> None:
        """Local connection → frames, until it closes; then the peer closes its side too."""
        header = _HEADER.pack(channel, DATA)
        try:
            try:
                while chunk := await reader.read(CHUNK):
                    await self._send(header + chunk)
                    self.bytes_sent += len(chunk)
            except OSError:
                pass  # the local end went away (a killed QEMU resets it): closed, as at end of file
            await self._send(_HEADER.pack(channel, CLOSE))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the migration stream broke
            self.fail(exc)
        finally:
            self._drop(channel)

    # -- frames from the peer ---------------------------------------------------------------

    async def feed(self, payload: bytes) -> None:
        """A frame from the peer: its bytes go to the channel's local connection."""
        if len(payload) < _HEADER.size:
            raise ValueError("a tunnel frame without a channel")
        channel, op = _HEADER.unpack_from(payload)
        if op == OPEN:
            if self._connect is None or channel in self._writers:
                raise ValueError(f"the peer may not open channel {channel} here")
            reader, writer = await self._connect()
            self._open(channel, reader, writer)
        elif op == CLOSE:
            self._drop(channel)
        elif op == DATA:
            local = self._writers.get(channel)
            self.bytes_received += len(payload) - _HEADER.size
            if local is not None:  # else closed here meanwhile: its close is on the way
                local.write(payload[_HEADER.size :])
        else:
            raise ValueError(f"unknown tunnel operation {op}")

    def fail(self, exc: BaseException) -> None:
        """The stream under the tunnel broke: remember why (:attr:`error`) and close every local
        connection, so the local peer sees its end now. QEMU's NBD client otherwise waits on requests
        no one will answer, and a block-layer drain waiting on them stops its QMP monitor too."""
        self.error = self.error or exc
        for channel in list(self._writers):
            self._drop(channel)

    def _drop(self, channel: int) -> None:
        writer = self._writers.pop(channel, None)
        pump = self._pumps.pop(channel, None)
        if pump is not None and pump is not asyncio.current_task():
            pump.cancel()
        if writer is not None:
            writer.close()

    @property
    def channels(self) -> int:
        """Connections open now."""
        return len(self._writers)

    async def close(self) -> None:
        """Close every channel and stop accepting; the socket file is removed."""
        if self._server is not None:
            self._server.close()
            self._server = None
        pumps = list(self._pumps.values())
        for channel in list(self._writers):
            self._drop(channel)
        for pump in pumps:
            if pump is not asyncio.current_task():
                await cancel_and_wait(pump)
        if self._path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._path)
            self._path = None
