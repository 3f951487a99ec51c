"""Fuzzing the store's wire protocol against a real ``xenia store-serve`` process.

Two fuzzers, each bounded in time by ``XENIA_FUZZ_SECONDS`` (default 3 s; ``make fuzz`` sets more):

* property-based (hypothesis): sequences of well-framed requests with payloads drawn from the
  protocol's grammar (paths valid and not, values, permission strings, numbers, raw bytes) and any type
  number, pipelined on one connection. Property: every request gets exactly one reply, in order, with its
  req_id and tx_id, typed as the request or ERROR, and an ERROR names an errno libxenstore knows -- never
  EIO, which the daemon sends only for an internal error.
* mutation: a recorded realistic session (writes, reads, transactions, watches, permissions) mutated at
  random -- bit flips, inserted/removed/duplicated bytes, header fields rewritten (lengths included, so
  framing breaks), frames spliced and cut -- and sent on fresh connections.

After each batch a normal client must still be answered, the process must be alive and its log must hold
no traceback.
"""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store.conftest import StoreProcess
from xenia.store.errors import ERROR_NAMES
from xenia.store.sockclient import SyncClient
from xenia.store.wire import HEADER, Decoder, Op, Packet, encode

SECONDS = float(os.environ.get("XENIA_FUZZ_SECONDS", "3"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StoreProcess]:
    state = tmp_path / "state"
    state.mkdir()
    p = StoreProcess(state, log=tmp_path / "store.log")
    yield p
    if p.proc.poll() is None:
        p.proc.terminate()
        p.proc.wait(timeout=30)


def still_serving(store: StoreProcess, round_: int) -> None:
    """The daemon is alive, answers a normal client correctly, and has logged no internal error."""
    assert store.proc.poll() is None, "the store daemon died"
    with SyncClient(store.socket) as c:
        c.sock.settimeout(30)
        c.write(f"/fuzz-check/{round_}", str(round_))
        assert c.read(f"/fuzz-check/{round_}") == str(round_).encode()
        c.rm("/fuzz-check")
    assert store.log is not None
    log = store.log.read_text()
    assert "Traceback" not in log and "internal error" not in log, log[-4000:]


# -- property-based ----------------------------------------------------------------------------------------

_PATHS = st.one_of(
    st.sampled_from(
        ["/", "/a", "/a/b", "/a/b/c", "rel", "rel/x", "/local/domain/0", "/local/domain/5", "/local/domain/5/x",
         "/tool/xenstored", "@introduceDomain", "@releaseDomain", "@releaseDomain/5", "/a//b", "/a/", "", "/ä"]
    ),
    st.text(alphabet="ab/_-@09", max_size=24),
)  # fmt: skip
_FIELDS = st.one_of(
    _PATHS.map(lambda p: p.encode()),
    st.sampled_from([b"T", b"F", b"n0", b"r5", b"w7", b"b1", b"q9", b"n", b"0", b"5", b"65536", b"-1", b"0x10",
                     b"nodes", b"memory", b"stats", b"mode", b"merge", b"act-as", b"index-name", b"history"]),
    st.integers(-5, 2**33).map(lambda i: str(i).encode()),
    st.binary(max_size=40),
)  # fmt: skip
_PAYLOADS = st.one_of(
    st.lists(_FIELDS, max_size=5).map(lambda fs: b"".join(f + b"\0" for f in fs)),
    st.tuples(_PATHS, st.binary(max_size=300)).map(lambda pv: pv[0].encode() + b"\0" + pv[1]),
    st.binary(max_size=300),
    st.binary(min_size=4000, max_size=4096),
)
_TYPES = st.one_of(st.sampled_from(list(Op)), st.integers(0, 2**32 - 1))
_IDS = st.one_of(st.just(0), st.integers(1, 8), st.integers(0, 2**32 - 1))
_FRAMES = st.lists(st.tuples(_TYPES, _IDS, _IDS, _PAYLOADS), min_size=1, max_size=40)


def _safe(type_: int, payload: bytes) -> bytes:
    """CONTROL ``export`` writes a directory and ``snapshot`` rewrites the state: both are for dom0's
    tools, not something to hammer with random arguments."""
    if type_ == Op.CONTROL and payload.split(b"\0", 1)[0] in (b"export", b"snapshot"):
        return b"stats\0"
    return payload


def _replies(sock: socket.socket, count: int) -> list[Packet]:
    decoder = Decoder()
    got: list[Packet] = []
    while len(got) < count:
        data = sock.recv(1 << 20)
        assert data, f"connection closed after {len(got)} of {count} replies"
        got.extend(p for p in decoder.feed(data) if p.type != Op.WATCH_EVENT)
    return got


def test_property_every_request_gets_its_reply(store: StoreProcess) -> None:
    rounds = 0

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(_FRAMES)
    def one_connection(frames: list[tuple[int, int, int, bytes]]) -> None:
        packets = [Packet(t, r, x, _safe(t, p)) for t, r, x, p in frames]
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(30)
            sock.connect(str(store.socket))
            sock.sendall(b"".join(encode(p) for p in packets))
            replies = _replies(sock, len(packets))
        for req, rep in zip(packets, replies, strict=True):
            assert (rep.req_id, rep.tx_id) == (req.req_id, req.tx_id)
            assert rep.type in (req.type, Op.ERROR)
            if rep.type == Op.ERROR:
                name = rep.payload.rstrip(b"\0").decode()
                assert name in ERROR_NAMES and name != "EIO", (req, rep)
            assert len(rep.payload) <= 4096

    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        one_connection()
        rounds += 1
        still_serving(store, rounds)


# -- mutation ----------------------------------------------------------------------------------------------


def _seed_session() -> list[bytes]:
    """Frames of a realistic session: a toolstack building a domain, a guest answering."""
    def f(op: Op, payload: bytes, tx: int = 0) -> bytes:
        return encode(Packet(op, 1, tx, payload))

    return [
        f(Op.WRITE, b"/local/domain/7/name\0vm7"),
        f(Op.MKDIR, b"/local/domain/7/device\0"),
        f(Op.SET_PERMS, b"/local/domain/7\0n7\0r0\0"),
        f(Op.TRANSACTION_START, b"\0"),
        f(Op.WRITE, b"/local/domain/7/memory/target\0524288", tx=1),
        f(Op.DIRECTORY, b"/local/domain/7\0", tx=1),
        f(Op.TRANSACTION_END, b"T\0", tx=1),
        f(Op.WATCH, b"/local/domain/7\0tok\0"),
        f(Op.READ, b"/local/domain/7/name\0"),
        f(Op.GET_PERMS, b"/local/domain/7\0"),
        f(Op.DIRECTORY_PART, b"/local/domain\x000\0"),
        f(Op.CONTROL, b"act-as\x007\0"),
        f(Op.WRITE, b"control/shutdown\0poweroff"),
        f(Op.INTRODUCE, b"7\x00123\x004\0"),
        f(Op.SET_TARGET, b"8\x007\0"),
        f(Op.GET_DOMAIN_PATH, b"7\0"),
        f(Op.IS_DOMAIN_INTRODUCED, b"7\0"),
        f(Op.SET_QUOTA, b"nodes\x002000\0"),
        f(Op.UNWATCH, b"/local/domain/7\0tok\0"),
        f(Op.RM, b"/local/domain/7\0"),
        f(Op.RELEASE, b"7\0"),
        f(Op.RESET_WATCHES, b"\0"),
    ]


def _mutate(rng: random.Random, frames: list[bytes]) -> bytes:
    chosen = [bytearray(rng.choice(frames)) for _ in range(rng.randint(1, 12))]
    for buf in chosen:
        for _ in range(rng.randint(0, 4)):
            what = rng.randrange(7)
            if what == 0 and buf:  # flip a bit
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
            elif what == 1:  # insert bytes
                i = rng.randint(0, len(buf))
                buf[i:i] = rng.randbytes(rng.randint(1, 8))
            elif what == 2 and buf:  # delete bytes
                i = rng.randrange(len(buf))
                del buf[i : i + rng.randint(1, 8)]
            elif what == 3 and len(buf) >= 16:  # rewrite a header field, the length included
                field = rng.randrange(4)
                value = rng.choice([0, 1, 4095, 4096, 4097, 2**31, 2**32 - 1, rng.randrange(2**32), rng.randrange(64)])
                buf[field * 4 : field * 4 + 4] = value.to_bytes(4, "little")
            elif what == 4 and len(buf) >= 16:  # make the length match the payload again
                HEADER.pack_into(buf, 0, *HEADER.unpack_from(buf)[:3], len(buf) - 16)
            elif what == 5:  # duplicate a stretch
                i = rng.randint(0, len(buf))
                buf[i:i] = buf[i : i + rng.randint(1, 64)]
            elif what == 6 and buf:  # cut
                del buf[rng.randrange(len(buf)) :]
    return b"".join(bytes(b) for b in chosen)


def test_mutated_frames_never_stop_the_store(store: StoreProcess) -> None:
    rng = random.Random(int(os.environ.get("XENIA_FUZZ_SEED", time.time_ns())))
    seeds = _seed_session()
    deadline = time.monotonic() + SECONDS
    rounds = 0
    while time.monotonic() < deadline:
        for _ in range(20):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect(str(store.socket))
                try:
                    sock.sendall(_mutate(rng, seeds))
                    sock.shutdown(socket.SHUT_WR)
                    while sock.recv(1 << 20):  # the daemon answers or drops us; either way it ends
                        pass
                except (ConnectionError, TimeoutError):
                    pass
        rounds += 1
        still_serving(store, rounds)
