"""A stream reader whose next bytes can go from its socket into a pipe inside the kernel.

The receiver hands QEMU's migration stream (DATA frames) to the destination QEMU's ``-incoming``
pipe. Read through :class:`asyncio.StreamReader` every byte was copied four times in Python (the
transport's ``recv``, the reader's buffer, the slice handed out, the pipe write) on a machine
whose cores the two QEMUs want: the relay cost three times the CPU of a bare ``read``/``write``
relay. :meth:`SpliceReader.splice_into` moves a frame's payload with ``splice(2)`` from the
socket to the pipe instead, with the transport's reading paused meanwhile, after handing out what
the reader had buffered already.

A subclass of the standard reader (not a protocol of its own) so that everything else the
receiver reads (headers, control frames, NBD frames) keeps the standard reader's methods; it
reaches into the reader's buffer, which the standard class does not expose.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

from xenia.migration.pipes import wait_ready

__all__ = ["SpliceReader", "splice_server"]

_SPLICE_FLAGS = os.SPLICE_F_MOVE | os.SPLICE_F_NONBLOCK
#: Bytes the transport reads at once once a stream splices (its default is 256 KiB): when it reads a
#: frame's header it reads this much of the payload with it, which goes through Python instead of
#: ``splice``; at 256 KiB that was a quarter of every 1 MiB DATA frame of QEMU's stream. Streams
#: that never splice (the simulator's, the disks' side connections) keep the default: at 64 KiB
#: their frames took four times the reads.
READ_AHEAD = 64 << 10


class SpliceReader(asyncio.StreamReader):
    """:class:`asyncio.StreamReader` plus :meth:`splice_into`."""

    _raw: int | None = None

    async def splice_into(self, pipe: int, length: int, head: Callable[[bytes], Awaitable[None]]) -> None:
        """The stream's next ``length`` bytes into the non-blocking ``pipe``: first those the reader
        holds already, given to ``head`` (it writes them to the pipe), then the rest from the
        socket by ``splice(2)``; :class:`asyncio.IncompleteReadError` if the peer closes first.

        The transport's reading is paused from before the buffered bytes are taken: a read
        between the two would put bytes of this payload into the reader's buffer, behind the
        splice's back."""
        transport = self._transport  # type: ignore[attr-defined]
        if self._raw is None:
            # a duplicate: the loop lets nobody but the transport wait on the transport's descriptor
            self._raw = os.dup(transport.get_extra_info("socket").fileno())
            if hasattr(transport, "max_size"):  # this stream splices: read little ahead from now on
                transport.max_size = READ_AHEAD
        transport.pause_reading()
        try:
            buffer: bytearray = self._buffer  # type: ignore[attr-defined]
            buffered = bytes(buffer[:length])
            del buffer[:length]
            if buffered:
                length -= len(buffered)
                await head(buffered)
            while length:
                try:
                    moved = os.splice(self._raw, pipe, length, flags=_SPLICE_FLAGS)
                except BlockingIOError:  # the pipe is full, or nothing has come: wait for both
                    await wait_ready(pipe, write=True)
                    await wait_ready(self._raw, write=False)
                    continue
                if not moved:
                    raise asyncio.IncompleteReadError(b"", length)
                length -= moved
        finally:
            if not transport.is_closing():
                self._paused = False  # the reader's own flow control: its buffer is below the limit now
                transport.resume_reading()

    def close(self) -> None:
        """Let go of the socket's duplicate descriptor."""
        if self._raw is not None:
            os.close(self._raw)
            self._raw = None


async def splice_server(
    client_connected: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
    host: str,
    port: int,
    *,
    limit: int,
) -> asyncio.Server:
    """:func:`asyncio.start_server` whose readers are :class:`SpliceReader`."""
    loop = asyncio.get_running_loop()

    def factory() -> asyncio.StreamReaderProtocol:
        return asyncio.StreamReaderProtocol(SpliceReader(limit=limit, loop=loop), client_connected, loop=loop)

    return await loop.create_server(factory, host, port)
