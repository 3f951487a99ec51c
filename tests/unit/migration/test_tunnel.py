"""The tunnel that carries QEMU's NBD connections inside a migration stream, on real unix sockets.

Two tunnel ends are joined frame to frame (what the migration connection does between them); a
local server on the far side speaks first, as an NBD server does, and answers what it is sent.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from xenia.migration.live import Run
from xenia.migration.options import MigrationOptions
from xenia.migration.stream import Kind, encode
from xenia.migration.tunnel import CLOSE, DATA, OPEN, Tunnel

pytestmark = pytest.mark.asyncio


async def _joined(tmp_path: Path) -> tuple[Tunnel, Tunnel, asyncio.Server, list[bytes]]:
    """A near end listening on ``near.sock``; a far end connecting to a server that greets first."""
    received: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"GREETING\n")
        while line := await reader.readline():
            received.append(line)
            writer.write(line.upper())
        received.append(b"<eof>")
        writer.close()

    server = await asyncio.start_unix_server(serve, str(tmp_path / "far.sock"), limit=1 << 20)

    async def to_far(payload: bytes) -> None:
        await far.feed(payload)

    async def to_near(payload: bytes) -> None:
        await near.feed(payload)

    near = Tunnel(to_far)
    far = Tunnel(to_near, connect=lambda: asyncio.open_unix_connection(str(tmp_path / "far.sock")))
    await near.listen(str(tmp_path / "near.sock"))
    return near, far, server, received


async def test_a_connection_through_the_tunnel_hears_the_server_first_and_talks_both_ways(tmp_path: Path) -> None:
    near, far, server, received = await _joined(tmp_path)
    try:
        reader, writer = await asyncio.open_unix_connection(str(tmp_path / "near.sock"), limit=1 << 20)
        assert await asyncio.wait_for(reader.readline(), 10) == b"GREETING\n"
        big = b"x" * 300_000 + b"\n"  # more than one frame's worth
        writer.write(b"hello\n" + big)
        assert await asyncio.wait_for(reader.readline(), 10) == b"HELLO\n"
        assert await asyncio.wait_for(reader.readline(), 10) == big.upper()
        assert near.bytes_sent == len(b"hello\n" + big) and far.bytes_sent > len(big)
        writer.close()  # the close goes through: the far server sees its end of file
        while b"<eof>" not in received:
            await asyncio.sleep(0.01)
        assert received == [b"hello\n", big, b"<eof>"]
        while near.channels or far.channels:
            await asyncio.sleep(0.01)
    finally:
        await near.close()
        await far.close()
        server.close()
    assert not (tmp_path / "near.sock").exists()


async def test_closing_the_tunnel_closes_its_connections_and_bad_frames_are_refused(tmp_path: Path) -> None:
    near, far, server, _ = await _joined(tmp_path)
    try:
        reader, _writer = await asyncio.open_unix_connection(str(tmp_path / "near.sock"))
        assert await asyncio.wait_for(reader.readline(), 10) == b"GREETING\n"
        await far.close()  # e.g. the migration failed on the far side
        await near.feed(bytes([0, 0, CLOSE]))
        assert await asyncio.wait_for(reader.read(), 10) == b""  # the local client sees the end
        with pytest.raises(ValueError):
            await near.feed(bytes([0, 5, OPEN]))  # the listening side opens nothing
        with pytest.raises(ValueError):
            await far.feed(bytes([0, 5, 9]))  # no such operation
        with pytest.raises(ValueError):
            await far.feed(b"\x00")  # no channel
        await far.feed(bytes([0, 7, DATA]) + b"late")  # data for a channel already closed: dropped
    finally:
        await near.close()
        await far.close()
        server.close()


async def test_a_broken_stream_closes_the_local_connections_at_once(tmp_path: Path) -> None:
    """The stream under the tunnel broke (the destination was killed): a local client such as QEMU's
    NBD client sees its end of file now, not requests left unanswered for ever."""
    near, far, server, _ = await _joined(tmp_path)
    try:
        reader, _writer = await asyncio.open_unix_connection(str(tmp_path / "near.sock"))
        assert await asyncio.wait_for(reader.readline(), 10) == b"GREETING\n"
        broken = ConnectionResetError("the receiver went away")
        near.fail(broken)
        assert await asyncio.wait_for(reader.read(), 10) == b""
        assert near.error is broken and near.channels == 0
        near.fail(OSError("later"))  # the first error is the one kept
        assert near.error is broken
    finally:
        await near.close()
        await far.close()
        server.close()


async def test_a_tunnel_on_the_migration_stream_fails_when_the_stream_ends(tmp_path: Path) -> None:
    """A receiver that offers no side connection gets the NBD frames on the stream itself; when that
    stream breaks (the destination was killed), the tunnel's local connections close too, as with a
    side connection: the source registers the tunnel's ``fail`` for the stream's end."""
    near, far, server, _ = await _joined(tmp_path)
    run = Run(MigrationOptions())
    run.handlers[Kind.NBD] = near.feed
    run.on_lost.append(near.fail)
    stream = asyncio.StreamReader()
    reading = asyncio.create_task(run.read_peer(stream))
    try:
        reader, _writer = await asyncio.open_unix_connection(str(tmp_path / "near.sock"))
        assert await asyncio.wait_for(reader.readline(), 10) == b"GREETING\n"
        stream.feed_data(encode(Kind.READY, {}))  # a frame that is not NBD still goes to reply()
        assert (await run.reply(Kind.READY)).kind is Kind.READY
        assert near.channels == 1
        stream.feed_eof()  # the receiver's connection ended mid-copy
        assert await asyncio.wait_for(reader.read(), 10) == b""
        await asyncio.wait_for(reading, 10)
        assert isinstance(near.error, asyncio.IncompleteReadError) and near.channels == 0
    finally:
        reading.cancel()
        await near.close()
        await far.close()
        server.close()
