"""Fuzzing the HTTP layer of a real daemon: generated requests (hypothesis) and mutated valid ones.

Each case goes over its own TCP connection, split into pieces at random
points; the client then half-closes and reads until the daemon closes.  What
must hold for every case: the daemon answers with well-formed HTTP or closes
the connection, never leaves it hanging, never dies; after each batch it still
answers a normal call on a fresh connection.  Time is bounded by
``XENIA_FUZZ_SECONDS`` (split between the two fuzzers; a few seconds by
default, ``make fuzz`` sets more).  A failing mutation case prints its seed.
"""

from __future__ import annotations

import os
import random
import re
import socket
import time
import xmlrpc.client
from collections.abc import Iterator

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xenia.testing.daemon import DaemonProcess

BUDGET = float(os.environ.get("XENIA_FUZZ_SECONDS", "4"))
BATCH = 25
HANG = 20.0  # seconds without a byte or a close before a case counts as a hang


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--http-header-timeout", "5"]) as d:
        yield d


def exchange(daemon: DaemonProcess, pieces: list[bytes]) -> bytes:
    """Send the pieces, half-close, and read everything the daemon says until it closes."""
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=HANG) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for piece in pieces:
                s.sendall(piece)
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the daemon answered and closed before the client finished
        out = bytearray()
        while True:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                break
            except TimeoutError:
                raise AssertionError(f"daemon neither answered nor closed within {HANG} s") from None
            if not data:
                break
            out += data
    return bytes(out)


def check_answers(raw: bytes) -> None:
    """Whatever came back is a sequence of complete HTTP/1.1 answers (possibly none)."""
    while raw:
        end = raw.find(b"\r\n\r\n")
        assert end > 0, raw[:200]
        line, *headers = raw[:end].decode("latin-1").split("\r\n")
        assert line.startswith("HTTP/1.1 ") and int(line.split(" ")[1]) in range(200, 600), line
        fields = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in headers)}
        length = int(fields["content-length"])
        assert len(raw) >= end + 4 + length, "answer cut short"
        raw = raw[end + 4 + length :]


def healthy(daemon: DaemonProcess) -> None:
    """A normal call on a fresh connection is answered (and the process is alive)."""
    assert daemon.proc is not None and daemon.proc.poll() is None, "the daemon died"
    body = orjson.dumps({"jsonrpc": "2.0", "method": "system.listMethods", "params": [], "id": 1})
    head = f"POST /jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    raw = exchange(daemon, [head.encode() + body])
    check_answers(raw)
    assert raw.startswith(b"HTTP/1.1 200 ") and b'"result"' in raw


# --- property-based: requests built from HTTP's parts, well- and ill-formed

_token = st.sampled_from([b"POST", b"GET", b"OPTIONS", b"PUT", b"CONNECT", b"DELETE", b"HEAD", b"P0ST", b""])
_path = st.sampled_from([b"/", b"/RPC2", b"/jsonrpc", b"/json", b"/xmlrpc", b"/console?ref=x", b"*", b"", b"/%00"])
_version = st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/1.", b"http/1.1", b""])
_header = st.tuples(
    st.sampled_from([b"Host", b"Content-Length", b"Transfer-Encoding", b"Connection", b"Content-Type", b"Upgrade",
                     b"X-\x00", b""]),  # fmt: skip
    st.one_of(
        st.sampled_from([b"chunked", b"keep-alive", b"close", b"-1", b"0", b"307201", b"99999999999999999999",
                         b"gzip, chunked", b"websocket", b" 5", b"5 5"]),  # fmt: skip
        st.binary(max_size=20),
    ),
)


@st.composite
def _chunked(draw: st.DrawFn) -> bytes:
    out = b""
    for size_text, data in draw(st.lists(st.tuples(
            st.one_of(st.integers(0, 300).map(lambda n: b"%x" % n), st.sampled_from([b"-6", b"+1", b"0x5", b"fffffffffffffffff", b""])),
            st.binary(max_size=30)), max_size=4)):  # fmt: skip
        out += size_text + b"\r\n" + data + b"\r\n"
    if draw(st.booleans()):
        out += b"0\r\n\r\n"
    return out


@st.composite
def _request(draw: st.DrawFn) -> list[bytes]:
    line = draw(_token) + b" " + draw(_path) + b" " + draw(_version) + b"\r\n"
    headers = b"".join(n + b": " + v + b"\r\n" for n, v in draw(st.lists(_header, max_size=5)))
    body = draw(st.one_of(st.binary(max_size=200), _chunked(),
                          st.just(xmlrpc.client.dumps((), "system.listMethods").encode())))  # fmt: skip
    raw = line + headers + b"\r\n" + body
    cuts = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=4)))
    return [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True) if b > a]


def test_generated_requests(fuzzed: DaemonProcess) -> None:
    @settings(max_examples=BATCH, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(_request())
    def batch(pieces: list[bytes]) -> None:
        check_answers(exchange(fuzzed, pieces))

    deadline = time.monotonic() + BUDGET / 2
    while True:
        batch()
        healthy(fuzzed)
        if time.monotonic() > deadline:
            break


# --- mutation: valid requests with bytes flipped, inserted, removed, repeated, and split anywhere


def _corpus() -> list[bytes]:
    def post(path: str, body: bytes, ctype: str = "text/xml") -> bytes:
        return f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body

    xml = xmlrpc.client.dumps(("root", "not-the-password"), "session.login_with_password").encode()
    listing = xmlrpc.client.dumps((), "system.listMethods").encode()
    json = orjson.dumps({"jsonrpc": "2.0", "method": "pool.get_all", "params": ["OpaqueRef:x"], "id": 3})
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(listing[i : i + 50]), listing[i : i + 50]) for i in range(0, len(listing), 50))
    return [
        post("/", xml),
        post("/RPC2", listing),
        post("/jsonrpc", json, "application/json"),
        post("/xmlrpc", listing) + post("/jsonrpc", json, "application/json"),  # pipelined
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n",
        b"OPTIONS /jsonrpc HTTP/1.1\r\nHost: x\r\nAccess-Control-Request-Headers: content-type\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n",
        b"CONNECT /console?ref=OpaqueRef:nothing&session_id=OpaqueRef:none HTTP/1.0\r\n\r\n",
    ]


_INTERESTING = [b"\r\n", b"\r\n\r\n", b"-", b"-6", b"0", b"\x00", b"\xff", b":", b" ", b"chunked", b"ffffffff",
                b"Content-Length: 400000\r\n", b"Transfer-Encoding: chunked\r\n", b"HTTP/1.1", b"\n"]  # fmt: skip


_NUMBERS = [b"-6", b"-1", b"+5", b"0", b"00", b"307201", b"99999999999999999999", b"fffffffffffffffff", b"0x10", b""]
_NUMBER = re.compile(rb"[0-9a-fA-F]+")


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Random edits, and edits aimed at numbers (lengths, chunk sizes), where parsers go wrong most."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        pos = rng.randint(0, len(buf))
        op = rng.randrange(7)
        if op >= 5:
            numbers = list(_NUMBER.finditer(buf))
            if numbers:
                m = rng.choice(numbers)
                buf[m.start() : m.end()] = rng.choice(_NUMBERS)
            continue
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[pos:pos] = rng.randbytes(rng.randint(1, 8))
        elif op == 2:
            del buf[pos : pos + rng.randint(1, 16)]
        elif op == 3:
            buf[pos:pos] = buf[pos : pos + rng.randint(1, 64)]
        else:
            buf[pos:pos] = rng.choice(_INTERESTING)
    return bytes(buf)


def split(rng: random.Random, data: bytes) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(0, 5)))) if len(data) > 1 else []
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


def test_mutated_requests(fuzzed: DaemonProcess) -> None:
    corpus = _corpus()
    seed = int(os.environ.get("XENIA_FUZZ_SEED", str(time.time_ns())))
    deadline = time.monotonic() + BUDGET / 2
    cases = 0
    while True:
        for _ in range(BATCH):
            case_seed = seed + cases
            rng = random.Random(case_seed)
            data = mutate(rng, rng.choice(corpus))
            try:
                check_answers(exchange(fuzzed, split(rng, data)))
            except AssertionError as e:
                raise AssertionError(f"case seed {case_seed} (XENIA_FUZZ_SEED={case_seed}), request {data!r}: {e}") from e
            cases += 1
        healthy(fuzzed)
        if time.monotonic() > deadline:
            break
