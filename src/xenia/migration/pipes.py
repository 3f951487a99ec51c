"""Pipes to and from QEMU's migration stream, read and written on the event loop itself.

QEMU writes its migration stream into a pipe (``migrate fd:``) and reads the incoming one from
another. The relay used to move every chunk through a worker thread (``asyncio.to_thread`` per
read and per write): two thread hand-overs per chunk, each a wake-up of the loop, on a machine
whose two cores QEMU's own threads already want. Here the library's end of each pipe is
non-blocking (``O_NONBLOCK`` belongs to the open file description, so QEMU's end is untouched)
and a read or write that would block waits for the loop's readiness callback instead.

Written here because the standard library's pipe transports (``connect_read_pipe``) take the
file over and add a protocol object per pipe for what is two small functions.
"""

from __future__ import annotations

import asyncio
import os

__all__ = ["read_some", "wait_ready", "write_all"]


async def wait_ready(fd: int, *, write: bool) -> None:
    """Until the non-blocking ``fd`` is readable (or writable, ``write``), by the loop's readiness
    callback. ``fd`` must not be a transport's own descriptor (the loop refuses: duplicate it)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def fire() -> None:
        if not ready.done():
            ready.set_result(None)

    (loop.add_writer if write else loop.add_reader)(fd, fire)
    try:
        await ready
    finally:
        (loop.remove_writer if write else loop.remove_reader)(fd)


async def read_some(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from the non-blocking ``fd``; ``b""`` at end of file."""
    while True:
        try:
            return os.read(fd, size)
        except BlockingIOError:
            await wait_ready(fd, write=False)


async def write_all(fd: int, data: bytes) -> None:
    """All of ``data`` to the non-blocking ``fd``, waiting while the pipe is full."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            await wait_ready(fd, write=True)
