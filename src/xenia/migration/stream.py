"""The wire format between a migrating source and a receiver: framed messages over one TCP stream.

Each frame is ``type (1 byte) | length (4 bytes, big endian) | payload``. Control frames carry
JSON (orjson); :data:`Kind.DATA` frames carry raw bytes of the driver's memory stream (the
simulator's pages, or QEMU's own migration stream relayed unchanged). Encoding and decoding are
pure functions (no I/O) so they are tested alone; :func:`read_frame` and :class:`FrameWriter` put
them on asyncio streams, the writer through the rate limiter.

The conversation (S = source, R = receiver)::

    S: HELLO {token, vm, driver, spec, memory}    R: READY {} | ERROR {code, message}
    S: DISK ... (disk images, where the caller maps disks to the destination's storage)
    S: NBD ...  R: NBD ...  (QEMU's disk mirror, tunnelled both ways while memory is copied; on a
                             side connection where READY offered ``nbd_token``: :mod:`.receiver`)
    S: DATA ... (pre-copy passes; DATA_ZSTD instead when compressed)
    S: SWITCH {state}    (source paused; last DATA sent before it)
    R: LOADED {}  | ERROR       the destination holds the VM, paused
    S: COMMIT {}                 from here the destination owns the VM
    R: DONE {}    | ERROR       the VM runs on the destination
    S: ABORT {reason} at any point before COMMIT: the receiver destroys what it made
"""

from __future__ import annotations

import asyncio
import enum
import fcntl
import os
import socket
import struct
import sys
import termios
from typing import Any, Protocol

import orjson
import zstandard

from xenia.migration.limiter import TokenBucket
from xenia.migration.pipes import wait_ready

__all__ = ["MAX_FRAME", "ByteSink", "Frame", "FrameError", "FrameWriter", "Kind", "decode_header", "decompress",
           "encode", "encode_header", "pipe_available", "read_frame", "read_header"]  # fmt: skip

_HEADER = struct.Struct(">BI")
#: Larger frames are refused: a peer cannot make the receiver allocate without bound.
MAX_FRAME = 16 << 20
#: The socket's send buffer, fixed (the kernel's autotuning grows it to several megabytes): what
#: :class:`FrameWriter` may have written before a write waits for the socket. Twice QEMU's pipe
#: (:data:`.qemu.PIPE_SIZE`): at 256 KiB a 256 MiB guest took 1.5 times as long as QEMU's own
#: stream through a bare relay; with the stream spliced, 1 MiB still left the relay's four stages
#: (two pipes, two processes) waiting on each other on a loaded machine (total 1.4-1.9 times the
#: floor's at load 8-9), 2 MiB took 1.08 and 4 MiB 0.93 in runs just after, but the bytes buffered
#: when the source stops the guest must still reach and be loaded by the destination: 4 MiB made
#: the pause 80 ms longer than the floor's, 2 MiB 55 ms (``bench/migration.py``).
WRITE_BUFFER = 2 << 20
#: payloads up to this size go out joined to their header in one write (one send, one segment)
_JOIN_BELOW = 64 << 10
#: splice(2) without blocking on the pipe, moving its pages where the kernel can
_SPLICE_FLAGS = os.SPLICE_F_MOVE | os.SPLICE_F_NONBLOCK


class Kind(enum.IntEnum):
    HELLO = 1
    READY = 2
    ERROR = 3
    DATA = 4
    SWITCH = 5
    LOADED = 6
    COMMIT = 7
    DONE = 8
    ABORT = 9
    DISK = 10  #: ``index (2 bytes) | offset (8 bytes) | bytes`` of a disk image copied before memory
    NBD = 11  #: ``channel (2 bytes) | op (1 byte) | bytes`` of a tunnelled connection, either way (:mod:`.tunnel`)
    DATA_ZSTD = 12  #: a DATA frame's bytes as one zstd frame (xapi's ``compress``: :meth:`FrameWriter.compress`)


class FrameError(Exception):
    """The peer sent something that is not a frame of this protocol."""


class Frame:
    """One decoded frame."""

    __slots__ = ("kind", "payload")

    def __init__(self, kind: Kind, payload: bytes) -> None:
        self.kind = kind
        self.payload = payload

    def json(self) -> dict[str, Any]:
        """The payload of a control frame."""
        try:
            value = orjson.loads(self.payload) if self.payload else {}
        except orjson.JSONDecodeError as exc:
            raise FrameError(f"{self.kind.name} frame is not JSON") from exc
        if not isinstance(value, dict):
            raise FrameError(f"{self.kind.name} frame is not a JSON object")
        return value


def encode(kind: Kind, payload: bytes | dict[str, Any] = b"") -> bytes:
    """One frame's bytes."""
    body = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    if len(body) > MAX_FRAME:
        raise FrameError(f"frame of {len(body)} bytes exceeds {MAX_FRAME}")
    return _HEADER.pack(kind, len(body)) + body


def encode_header(kind: Kind, length: int) -> bytes:
    """The 5 header bytes of a frame whose payload is ``length`` bytes."""
    if length > MAX_FRAME:
        raise FrameError(f"frame of {length} bytes exceeds {MAX_FRAME}")
    return _HEADER.pack(kind, length)


def decompress(payload: bytes) -> bytes:
    """A :data:`Kind.DATA_ZSTD` frame's bytes; a frame that would decompress beyond
    :data:`MAX_FRAME` is refused (a peer cannot make the receiver allocate without bound)."""
    try:
        size = zstandard.frame_content_size(payload)
        if size < 0 or size > MAX_FRAME:
            raise FrameError(f"a compressed frame of {size} bytes (unknown, or over {MAX_FRAME})")
        return zstandard.ZstdDecompressor().decompress(payload, max_output_size=MAX_FRAME)
    except zstandard.ZstdError as exc:
        raise FrameError(f"a compressed frame that does not decompress: {exc}") from exc


def decode_header(header: bytes) -> tuple[Kind, int]:
    """The kind and payload length from a frame's 5 header bytes."""
    raw, length = _HEADER.unpack(header)
    try:
        kind = Kind(raw)
    except ValueError:
        raise FrameError(f"unknown frame type {raw}") from None
    if length > MAX_FRAME:
        raise FrameError(f"frame of {length} bytes exceeds {MAX_FRAME}")
    return kind, length


async def read_header(reader: asyncio.StreamReader) -> tuple[Kind, int]:
    """The next frame's kind and payload length (its payload is still to be read)."""
    return decode_header(await reader.readexactly(_HEADER.size))


async def read_frame(reader: asyncio.StreamReader) -> Frame:
    """The next frame; :class:`asyncio.IncompleteReadError` when the peer closed."""
    kind, length = await read_header(reader)
    return Frame(kind, await reader.readexactly(length) if length else b"")


class ByteSink(Protocol):
    """Where frames go: an :class:`asyncio.StreamWriter`, or a file (:mod:`.save`)."""

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None: ...


class FrameWriter:
    """Writes frames to a stream, every byte through the rate limiter, counting what went.

    Over a socket the frames are written to the socket itself (a duplicate of its descriptor, so
    the event loop's transport, which keeps reading the receiver's replies, is not disturbed),
    not through the transport's buffer: :meth:`send_pipe` can then hand a pipe's bytes to the
    socket with ``splice(2)``, inside the kernel, without their ever being read into Python. One
    frame is written at a time (a lock): a frame spliced in several steps is not interleaved with
    another writer's (the tunnelled disk mirror's NBD frames).
    """

    def __init__(self, writer: ByteSink, limiter: TokenBucket) -> None:
        self.writer = writer
        self.limiter = limiter
        self.bytes_written = 0
        self._zstd: zstandard.ZstdCompressor | None = None
        self._lock = asyncio.Lock()
        #: the socket's descriptor, duplicated (None: not a socket; frames go through ``writer``)
        self._fd: int | None = None
        transport = getattr(writer, "transport", None)
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, WRITE_BUFFER)
            self._fd = os.dup(sock.fileno())  # non-blocking: the flag belongs to the shared file description

    def close(self) -> None:
        """Let go of the socket's duplicate descriptor (the connection itself is the caller's)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def compress(self, level: int = 1) -> None:
        """From now on DATA frames go as :data:`Kind.DATA_ZSTD` (level 1: the stream is CPU-bound)."""
        self._zstd = zstandard.ZstdCompressor(level=level, write_content_size=True)

    async def send(self, kind: Kind, payload: bytes | dict[str, Any] = b"") -> int:
        if self._zstd is not None and kind is Kind.DATA and isinstance(payload, bytes):
            kind, payload = Kind.DATA_ZSTD, self._zstd.compress(payload)
        if isinstance(payload, bytes) and len(payload) > _JOIN_BELOW:
            # header and bytes written apart: joining them would copy every byte of the stream once more
            header = encode_header(kind, len(payload))
            size = len(header) + len(payload)
            await self.limiter.acquire(size)
            async with self._lock:
                await self._write(header)
                await self._write(payload)
        else:
            data = encode(kind, payload)
            size = len(data)
            await self.limiter.acquire(size)
            async with self._lock:
                await self._write(data)
        self.bytes_written += size
        return size

    async def send_pipe(self, kind: Kind, pipe: int, length: int) -> int:
        """A frame whose payload is the next ``length`` bytes of the non-blocking pipe ``pipe``,
        which holds them already (``FIONREAD``) and which nobody else reads. Over a socket they go
        by ``splice(2)``; otherwise, or compressed, they are read and written as :meth:`send` does."""
        if self._fd is None or self._zstd is not None:
            return await self.send(kind, await _read_pipe(pipe, length))
        header = encode_header(kind, length)
        size = len(header) + length
        await self.limiter.acquire(size)
        async with self._lock:
            await self._write(header)
            while length:
                try:
                    length -= os.splice(pipe, self._fd, length, flags=_SPLICE_FLAGS)
                except BlockingIOError:  # the socket is full (the pipe holds the bytes)
                    await wait_ready(self._fd, write=True)
        self.bytes_written += size
        return size

    async def _write(self, data: bytes) -> None:
        if self._fd is None:
            self.writer.write(data)
            await self.writer.drain()
            return
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self._fd, view) :]
            except BlockingIOError:
                await wait_ready(self._fd, write=True)


async def _read_pipe(pipe: int, length: int) -> bytes:
    """Exactly ``length`` bytes the non-blocking ``pipe`` holds already."""
    parts = []
    while length:
        try:
            part = os.read(pipe, length)
        except BlockingIOError:
            await wait_ready(pipe, write=False)
            continue
        if not part:
            raise FrameError("the pipe ended before the bytes it held were read")
        parts.append(part)
        length -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def pipe_available(fd: int) -> int:
    """Bytes a pipe holds now (``FIONREAD``)."""
    buf = bytearray(4)
    fcntl.ioctl(fd, termios.FIONREAD, buf)
    return int.from_bytes(buf, sys.byteorder)
