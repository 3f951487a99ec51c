"""The migration library's parts alone: the frame codec, the page model, the token bucket."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
import time

import pytest

from xenia.migration.limiter import TokenBucket
from xenia.migration.memory import PageError, SimMemory
from xenia.migration.pipes import read_some, write_all
from xenia.migration.splicing import SpliceReader, splice_server
from xenia.migration.stream import (
    MAX_FRAME,
    FrameError,
    FrameWriter,
    Kind,
    decode_header,
    decompress,
    encode,
    pipe_available,
    read_header,
)


def test_frames_round_trip_and_bad_headers_are_refused() -> None:
    data = encode(Kind.HELLO, {"token": "t"})
    kind, length = decode_header(data[:5])
    assert (kind, data[5 : 5 + length]) == (Kind.HELLO, b'{"token":"t"}')
    with pytest.raises(FrameError):
        decode_header(bytes([99, 0, 0, 0, 0]))
    with pytest.raises(FrameError):
        decode_header(bytes([Kind.DATA]) + (MAX_FRAME + 1).to_bytes(4, "big"))


def test_a_compressed_frame_that_would_unpack_beyond_the_frame_limit_or_is_garbage_is_refused() -> None:
    import zstandard

    assert decompress(zstandard.ZstdCompressor().compress(b"page" * 1000)) == b"page" * 1000
    with pytest.raises(FrameError):  # a bomb: a few KiB that would unpack to more than a frame may hold
        decompress(zstandard.ZstdCompressor(level=1).compress(bytes(MAX_FRAME + 1)))
    with pytest.raises(FrameError):
        decompress(b"not zstd at all")


def test_pages_load_on_another_host_and_corruption_is_caught() -> None:
    src = SimMemory(7, 64 * 4096)
    for i in (1, 5, 5, 9):
        src.write(i)
    dst = SimMemory(7, 64 * 4096)
    dst.load(src.encode(src.all_pages()))
    assert dst.digest() == src.digest()
    payload = bytearray(src.encode([5]))
    payload[100] ^= 1
    with pytest.raises(PageError):
        dst.load(bytes(payload))
    with pytest.raises(PageError):
        SimMemory(8, 64 * 4096).load(src.encode([1]))  # another VM's page
    with pytest.raises(PageError):
        dst.load(src.encode([1])[:-1])


def test_a_paused_guest_dirties_nothing_and_a_running_one_does() -> None:
    mem = SimMemory(1, 256 * 4096, dirty_rate=100 * 4096)
    mem.all_pages()
    time.sleep(0.05)
    assert mem.take_dirty() == []
    mem.set_running(True)
    time.sleep(0.05)
    assert mem.take_dirty()


@pytest.mark.asyncio
async def test_the_bucket_holds_writers_to_its_rate() -> None:
    rate = 1 << 20
    bucket = TokenBucket(rate)
    began = time.monotonic()
    for _ in range(8):
        await bucket.acquire(128 << 10)  # 1 MiB in all
    elapsed = time.monotonic() - began
    # at most the burst (20 ms' worth) goes free: never faster than the cap allows (no upper bound asserted)
    assert elapsed >= (1 << 20) / rate - 0.05 - 0.01
    unlimited = TokenBucket(None)
    await unlimited.acquire(1 << 30)
    with pytest.raises(ValueError):
        TokenBucket(0)


@pytest.mark.asyncio
async def test_the_bucket_owes_a_late_writer_its_time_but_an_idle_one_only_the_burst() -> None:
    """Time a writer was woken late is credit (up to LATE_CREDIT); idle time fills only the burst."""
    rate = 1 << 20  # burst: 20 ms' worth, about 21 KB

    async def goes_at_once(bucket: TokenBucket, amount: int) -> bool:
        task = asyncio.ensure_future(bucket.acquire(amount))
        await asyncio.sleep(0)  # one turn of the loop: enough for an acquire that need not wait
        done = task.done()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return done

    idle = TokenBucket(rate)
    time.sleep(0.3)  # nobody asked for 0.3 s: the bucket holds the burst, not 0.3 s' worth
    assert not await goes_at_once(idle, 150 << 10)

    late = TokenBucket(rate)
    writer = asyncio.ensure_future(late.acquire(100 << 10))  # in debt: sleeps about 0.1 s
    await asyncio.sleep(0)
    time.sleep(0.3)  # the loop is held: the writer wakes at least 0.2 s after its time
    await writer
    assert await goes_at_once(late, 150 << 10)  # 0.2 s' worth (about 210 KB) is owed to it


@pytest.mark.asyncio
async def test_a_pipe_relayed_on_the_loop_carries_every_byte_in_order() -> None:
    """QEMU's side of a pipe blocks as a process would (a thread here); the library's side waits on
    the event loop both ways: for a full pipe when writing, for an empty one when reading, then EOF."""
    data = os.urandom(3 * 65536 + 12345)  # more than the pipe holds: write_all must wait
    to_qemu_r, to_qemu_w = os.pipe()
    os.set_blocking(to_qemu_w, False)
    received = bytearray()

    def qemu_reads() -> None:
        while chunk := os.read(to_qemu_r, 65536):
            received.extend(chunk)
            time.sleep(0.0005)  # slower than the writer: the pipe fills

    reader = threading.Thread(target=qemu_reads)
    reader.start()
    await write_all(to_qemu_w, data)
    os.close(to_qemu_w)
    await asyncio.to_thread(reader.join)
    os.close(to_qemu_r)
    assert bytes(received) == data

    from_qemu_r, from_qemu_w = os.pipe()
    os.set_blocking(from_qemu_r, False)

    def qemu_writes() -> None:
        time.sleep(0.05)
        os.write(from_qemu_w, data[:1000])
        os.close(from_qemu_w)

    writer = threading.Thread(target=qemu_writes)
    writer.start()
    got = await read_some(from_qemu_r, 4096)  # empty at first: waits for the loop's readiness callback
    while piece := await read_some(from_qemu_r, 4096):
        got += piece
    writer.join()
    os.close(from_qemu_r)
    assert got == data[:1000]


@pytest.mark.asyncio
async def test_a_pipe_spliced_through_frames_arrives_whole_and_in_order() -> None:
    # QEMU's stream as the relay moves it: a pipe -> DATA frames spliced onto TCP -> the receiver's
    # reader splices each payload into another pipe; control frames between them stay frames.
    # Frames of many sizes, so a header often comes with part of its payload read ahead.
    data = os.urandom(6 << 20)
    sizes = [1, 5, 4096, 70_000, 1 << 20, 300_000, 65_536 - 5, 65_536, 2, 777_777]
    received = bytearray()
    kinds: list[Kind] = []
    src_r, src_w = os.pipe()
    dst_r, dst_w = os.pipe()
    for fd in (src_w, dst_w):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    os.set_blocking(src_r, False)
    os.set_blocking(dst_w, False)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert isinstance(reader, SpliceReader)
        with contextlib.suppress(asyncio.IncompleteReadError):
            while True:
                kind, length = await read_header(reader)
                kinds.append(kind)
                if kind is Kind.DATA:
                    await reader.splice_into(dst_w, length, lambda head: write_all(dst_w, head))
                else:
                    await reader.readexactly(length)
        reader.close()
        os.close(dst_w)

    def drain() -> None:
        while piece := os.read(dst_r, 1 << 20):
            received.extend(piece)

    server = await splice_server(serve, "127.0.0.1", 0, limit=1 << 20)
    drainer = threading.Thread(target=drain)
    drainer.start()
    _, conn = await asyncio.open_connection(*server.sockets[0].getsockname()[:2])
    out = FrameWriter(conn, TokenBucket())
    at = 0
    for size in sizes:
        os.write(src_w, data[at : at + size])
        while pipe_available(src_r) < size:  # the pipe holds the frame before its header goes
            await asyncio.sleep(0.001)
        assert await out.send_pipe(Kind.DATA, src_r, size) == size + 5
        await out.send(Kind.SWITCH, {"at": at})
        at += size
    out.close()
    conn.close()
    await asyncio.to_thread(drainer.join)
    server.close()
    os.close(src_r)
    os.close(src_w)
    os.close(dst_r)
    assert bytes(received) == data[:at]
    assert kinds == [Kind.DATA, Kind.SWITCH] * len(sizes)
