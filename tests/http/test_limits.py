"""Backpressure, timeouts and connection limits (issue 9 item 2), each case with real sockets.

The daemon's memory is read from /proc: a client that pipelines requests and
never reads, or queues them behind a long-poll, must not grow it beyond a
bound; half-sent requests must not use up its descriptors; a slow client is
closed after the header timeout.  Timeouts are set short on the command line
so nothing waits long; no assertion is about time.
"""

from __future__ import annotations

import contextlib
import errno
import resource
import select
import socket
import time
from collections.abc import Iterator

import orjson
import pytest
from pyxs import Client as XsClient

from tests.functional.test_errors import still_serving
from xenia.testing.daemon import DaemonProcess

from .wire import Reader, connect, jsonrpc, login_request, post, rss_kib

MIB = 1024


@pytest.fixture(scope="module")
def limited() -> Iterator[DaemonProcess]:
    """A daemon with small connection limits (timeouts at their defaults, far beyond a test)."""
    args = ["--http-max-connections", "300", "--http-max-connections-per-address", "100", "--http-max-pending", "16"]
    with DaemonProcess(extra_args=args) as d:
        yield d


@pytest.fixture(scope="module")
def hasty() -> Iterator[DaemonProcess]:
    """A daemon with timeouts of a second, for the slow-client cases."""
    with DaemonProcess(extra_args=["--http-header-timeout", "1", "--http-idle-timeout", "1"]) as d:
        yield d


@pytest.fixture(autouse=True)
def many_files() -> None:
    """The test opens more sockets than the usual soft limit of 1 024 descriptors allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, 4096):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))


def flood(sock: socket.socket, request: bytes, most: int) -> int:
    """Send ``request`` up to ``most`` times without reading, until the daemon stops reading; returns how many went whole."""
    sock.setblocking(False)
    sent = 0
    pending = b""
    for _ in range(most):
        pending += request
        while pending:
            try:
                pending = pending[sock.send(pending) :]
            except OSError as e:
                if e.errno != errno.EAGAIN:
                    raise
                if not _ready(sock, select.POLLOUT, 3.0):  # the daemon has not read for 3 s: it stopped reading, as it should
                    sock.setblocking(True)
                    return sent + (0 if pending else 1)
        sent += 1
    sock.setblocking(True)
    return sent


def _ready(sock: socket.socket, event: int, timeout: float) -> bool:
    poll = select.poll()  # not select(): the descriptors of these tests go beyond 1 024
    poll.register(sock, event)
    return bool(poll.poll(timeout * 1000))


def refused_ones(socks: list[socket.socket]) -> list[socket.socket]:
    """The sockets the daemon answered on its own accord (each gets its answer within a few polls)."""
    poll = select.poll()
    by_fd = {s.fileno(): s for s in socks}
    for fd in by_fd:
        poll.register(fd, select.POLLIN)
    answered: list[socket.socket] = []
    quiet_rounds = 0
    while quiet_rounds < 4:  # stop once 2 s pass without any more answers
        events = poll.poll(500)
        quiet_rounds = 0 if events else quiet_rounds + 1
        for fd, _ in events:
            poll.unregister(fd)
            answered.append(by_fd[fd])
    return answered


def read_all(sock: socket.socket, count: int) -> list[int]:
    reader = Reader(sock)
    ids = []
    for _ in range(count):
        answer = reader.answer()
        assert answer is not None and answer.status == 200
        ids.append(orjson.loads(answer.body)["id"])
    return ids


def test_non_reading_pipeliner_does_not_grow_the_daemon(limited: DaemonProcess) -> None:
    """Issue 9: 805 KB of unread system.listMethods grew the daemon by 145 MB."""
    assert limited.proc is not None
    still_serving(limited)
    before = rss_kib(limited.proc.pid)
    with connect(limited) as s:
        request = jsonrpc("system.listMethods", [], 1)  # 90 bytes; 20 MB of them fill any kernel buffers
        sent = flood(s, request, 220_000)
        assert sent < 220_000  # the daemon stopped reading long before
        grown = rss_kib(limited.proc.pid) - before
        still_serving(limited)  # others are served meanwhile
        assert grown < 40 * MIB, f"daemon grew by {grown} KiB"
        # and nothing was lost: every request that went whole is answered, in order
        assert read_all(s, sent) == [1] * sent


def test_unread_get_all_records_does_not_grow_the_daemon(limited: DaemonProcess) -> None:
    """Issue 9: 400 unread VM.get_all_records grew the daemon by 584 MB."""
    assert limited.proc is not None
    with connect(limited) as s:
        s.sendall(login_request())
        reader = Reader(s)
        answer = reader.answer()
        assert answer is not None
        session = orjson.loads(answer.body)["result"]
        before = rss_kib(limited.proc.pid)
        sent = flood(s, jsonrpc("VM.get_all_records", [session], 2), 400)
        grown = rss_kib(limited.proc.pid) - before
        still_serving(limited)
        assert grown < 40 * MIB, f"daemon grew by {grown} KiB after {sent} requests"
        assert read_all(s, sent) == [2] * sent


def test_requests_queued_behind_a_long_poll_are_bounded(limited: DaemonProcess) -> None:
    """Issue 9: 60 MB of requests queued behind a long-poll grew the daemon by 152 MB."""
    assert limited.proc is not None
    with connect(limited) as s:
        s.sendall(login_request())
        reader = Reader(s)
        answer = reader.answer()
        assert answer is not None
        session = orjson.loads(answer.body)["result"]
        s.sendall(jsonrpc("event.from", [session, ["message"], "", 0.0], 1))
        answer = reader.answer()
        assert answer is not None
        token = orjson.loads(answer.body)["result"]["token"]
        before = rss_kib(limited.proc.pid)
        s.sendall(jsonrpc("event.from", [session, ["message"], token, 30.0], 1))  # waits: no message comes
        call = orjson.dumps({"jsonrpc": "2.0", "method": "pool.get_all", "params": [session], "id": 2})
        request = post("/jsonrpc", call + b" " * 100_000)  # padded so 600 of them are 60 MB
        sent = flood(s, request, 600)
        grown = rss_kib(limited.proc.pid) - before
        assert sent < 600
        assert grown < 40 * MIB, f"daemon grew by {grown} KiB"


def test_half_sent_headers_cannot_starve_other_clients(limited: DaemonProcess) -> None:
    """Issue 9: 1 100 half-sent request heads used up the daemon's descriptors; HTTP and store clients got resets."""
    held: list[socket.socket] = []
    refused = 0
    try:
        for _ in range(1100):
            s = connect(limited, source="127.0.0.2")  # the attacker's address; the benign clients use 127.0.0.1
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-")
            held.append(s)
        for s in refused_ones(held):  # refused: 503, then closed
            answer = Reader(s).answer()
            assert answer is not None and answer.status == 503
            refused += 1
            held.remove(s)
            s.close()  # (pyxs uses select(): its socket must get a descriptor below 1 024)
        assert refused == 1100 - 100  # the per-address limit
        assert len(held) == 100
        still_serving(limited)
        with XsClient(unix_socket_path=str(limited.state_dir / "xenstored.sock")) as xs:
            xs[b"/test/alive"] = b"yes"
            assert xs[b"/test/alive"] == b"yes"
    finally:
        for s in held:
            s.close()


def test_total_connection_limit_answers_503(limited: DaemonProcess) -> None:
    held: list[socket.socket] = []
    statuses: list[int] = []
    try:
        while not statuses or statuses[-1] == 200:  # from several addresses, each below its own limit
            s = connect(limited, source=f"127.0.0.{3 + len(held) // 90}")
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = Reader(s).answer()
            assert answer is not None
            statuses.append(answer.status)
            held.append(s)
            # 300 is the limit; connections other tests left open may close meanwhile and free a few
            assert len(held) <= 400, "no 503 long after the connection limit"
        assert statuses[-1] == 503
        assert len(held) > 250  # the limit of 300 counts the connections other tests left open too
    finally:
        for s in held:
            s.close()
    # the daemon learns of those closes a moment later; until then it is still at its limit
    deadline = time.monotonic() + 60
    while not _answers_ok(limited):
        assert time.monotonic() < deadline, "the daemon never saw the closed connections go"
        time.sleep(0.05)
    still_serving(limited)


def _answers_ok(daemon: DaemonProcess) -> bool:
    with connect(daemon) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = Reader(s).answer()
    return answer is not None and answer.status == 200


def test_slowloris_is_closed_after_the_header_timeout(hasty: DaemonProcess) -> None:
    with connect(hasty) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for line in (b"X-A: 1\r\n", b"X-B: 2\r\n"):
                s.sendall(line)
        reader = Reader(s)
        answer = reader.answer()  # waits for the daemon to give up on the request
        assert answer is not None and answer.status == 408
        assert reader.closed()
    with connect(hasty) as silent:  # a connection that never sends a byte is closed too, without an answer
        assert Reader(silent).closed()
    still_serving(hasty)


def test_idle_keep_alive_connection_is_closed(hasty: DaemonProcess) -> None:
    with connect(hasty) as s:
        s.sendall(jsonrpc("system.listMethods", [], 3))
        reader = Reader(s)
        answer = reader.answer()
        assert answer is not None and answer.status == 200
        assert reader.closed()  # nothing more came: the daemon closed it after the idle timeout
