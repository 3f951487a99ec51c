"""The receiver's side connection for tunnelled NBD frames, on a real receiver over TCP.

A sink that tunnels NBD (QEMU's, with disks) is offered a second connection for those frames, so
they never queue behind the memory stream: READY carries its one-time token, the side connection
carries NBD frames both ways, and it lives no longer than its stream. The sink here records what
reaches it and answers through the reply the receiver bound, as QEMU's sink does with its tunnel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from xenia.migration import Receiver
from xenia.migration.receiver import Sink
from xenia.migration.stream import Frame, Kind, encode, read_frame

pytestmark = pytest.mark.asyncio


class MemoryOnlySink:
    """A sink without NBD frames (the simulator's, QEMU's on shared storage): no ``bind``, no ``nbd``."""

    def __init__(self) -> None:
        self.aborted = False

    async def accept(self, hello: dict[str, Any]) -> None:
        pass

    async def data(self, payload: bytes) -> None:
        pass

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        return {}

    async def commit(self) -> dict[str, Any]:
        return {}

    async def abort(self) -> None:
        self.aborted = True


class TunnellingSink(MemoryOnlySink):
    """Takes NBD frames and answers each one through the bound reply, upper-cased."""

    def __init__(self) -> None:
        super().__init__()
        self.nbd_frames: list[bytes] = []
        self.reply: Callable[[bytes], Awaitable[None]] | None = None

    def bind(self, reply: Callable[[bytes], Awaitable[None]]) -> None:
        self.reply = reply

    async def nbd(self, payload: bytes) -> None:
        self.nbd_frames.append(payload)
        assert self.reply is not None
        await self.reply(payload.upper())


async def _hello(receiver: Receiver, payload: dict[str, Any]) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, Frame]:
    reader, writer = await asyncio.open_connection(*receiver.address)
    writer.write(encode(Kind.HELLO, payload))
    await writer.drain()
    return reader, writer, await asyncio.wait_for(read_frame(reader), 10)


async def test_nbd_frames_go_both_ways_on_the_side_connection_which_ends_with_its_stream() -> None:
    receiver = Receiver()
    await receiver.start()
    sink = TunnellingSink()

    async def factory(hello: dict[str, Any]) -> Sink:
        return sink

    try:
        reader, writer, ready = await _hello(receiver, {"token": receiver.expect(factory).token})
        assert ready.kind is Kind.READY
        side_token = ready.json()["nbd_token"]
        side_reader, side_writer, side_ready = await _hello(receiver, {"token": side_token, "attach": "nbd"})
        assert side_ready.kind is Kind.READY

        side_writer.write(encode(Kind.NBD, b"\x00\x00\x01request"))
        await side_writer.drain()
        answer = await asyncio.wait_for(read_frame(side_reader), 10)
        assert (answer.kind, answer.payload) == (Kind.NBD, b"\x00\x00\x01REQUEST")
        assert sink.nbd_frames == [b"\x00\x00\x01request"]

        # one connection per token: a second attach is refused, the first one goes on
        _, other, refused = await _hello(receiver, {"token": side_token, "attach": "nbd"})
        assert refused.kind is Kind.ERROR and refused.json()["code"] == "token"
        other.close()

        writer.write(encode(Kind.ABORT, {"reason": "test"}))
        await writer.drain()
        with pytest.raises(asyncio.IncompleteReadError):  # the stream ended: its side connection too
            await asyncio.wait_for(read_frame(side_reader), 10)
        assert sink.aborted
        _, late, refused = await _hello(receiver, {"token": side_token, "attach": "nbd"})
        assert refused.kind is Kind.ERROR and refused.json()["code"] == "token"
        for conn in (writer, side_writer, late):
            conn.close()
    finally:
        await receiver.close()


async def test_before_the_side_connection_attaches_nbd_replies_use_the_stream_and_others_get_no_token() -> None:
    receiver = Receiver()
    await receiver.start()
    tunnelling, memory_only = TunnellingSink(), MemoryOnlySink()

    async def tunnels(hello: dict[str, Any]) -> Sink:
        return tunnelling

    async def does_not(hello: dict[str, Any]) -> Sink:
        return memory_only

    try:
        _, plain, ready = await _hello(receiver, {"token": receiver.expect(does_not).token})
        assert ready.kind is Kind.READY and "nbd_token" not in ready.json()
        plain.close()

        reader, writer, ready = await _hello(receiver, {"token": receiver.expect(tunnels).token})
        assert "nbd_token" in ready.json()
        writer.write(encode(Kind.NBD, b"\x00\x01\x01on the stream"))  # a source that does not attach
        await writer.drain()
        answer = await asyncio.wait_for(read_frame(reader), 10)
        assert (answer.kind, answer.payload) == (Kind.NBD, b"\x00\x01\x01ON THE STREAM")
        writer.close()
    finally:
        await receiver.close()
