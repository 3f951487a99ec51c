"""The HTTP layer in process: a real listening socket served by :class:`HttpProtocol` on the test's loop,
talked to over TCP with raw bytes, as any client would (the daemon-level twins are in tests/http).

Expected behaviour is HTTP/1.1's (RFC 9112: pipelined answers in order, ``Connection: close`` for
HTTP/1.0, a half-closed client still gets its answers) and xapi's limits (300 KiB RPC bodies -> 413,
the request head bound -> 431, a header timeout -> 408).
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from http import HTTPStatus
from typing import Any

import pytest

from xenia.api.http import (
    ANSWERED,
    MAX_BODY,
    MAX_HEAD,
    STREAM_BUFFER,
    BodyStream,
    Connections,
    HttpLimits,
    HttpProtocol,
    Request,
    Response,
    error_page,
    render,
)
from xenia.util.foreground import Foreground

#: seconds a client waits for what must come (a broken server fails the test instead of hanging it)
WAIT = 10

Handler = Callable[[Request, bool], "Response | Awaitable[Response]"]


def echo(req: Request, local: bool) -> Response:
    return Response(200, f"{req.method} {req.path} {req.query} {len(req.body)} {req.peer}".encode())


class Server:
    def __init__(self, handler: Handler, limits: HttpLimits, streaming: Callable[[str, str], bool] | None) -> None:
        self.handler = handler
        self.connections = Connections(limits)
        self.streaming = streaming
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Server:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: HttpProtocol(self.handler, False, self.connections, self.streaming), "127.0.0.1", 0)  # fmt: skip
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        self.connections.close()

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def exchange(self, data: bytes, half_close: bool = True) -> bytes:
        """Send ``data``, then read until the server closes."""
        reader, writer = await self.connect()
        writer.write(data)
        if half_close:
            writer.write_eof()
        out = await asyncio.wait_for(reader.read(), WAIT)
        writer.close()
        return out


def serve(handler: Handler = echo, streaming: Callable[[str, str], bool] | None = None, **limits: Any) -> Server:
    return Server(handler, HttpLimits(**limits), streaming)


async def read_answer(reader: asyncio.StreamReader) -> tuple[str, dict[str, str], bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status, *lines = head.strip().split("\r\n")
    headers = {k.lower(): v for k, v in (ln.split(": ", 1) for ln in lines)}
    body = await reader.readexactly(int(headers["content-length"])) if "content-length" in headers else b""
    return status, headers, body


def statuses(raw: bytes) -> list[str]:
    """The status lines in what came back (an answer may follow the previous body directly)."""
    return re.findall(r"HTTP/1\.1 \d{3} [^\r]*", raw.decode("latin-1"))


def post(path: str, body: bytes, extra: str = "") -> bytes:
    return f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


@pytest.mark.asyncio
async def test_an_answer_has_its_status_length_type_cors_and_keep_alive() -> None:
    async with serve() as srv:
        reader, writer = await srv.connect()
        writer.write(post("/RPC2?x=1", b"hello"))
        status, headers, body = await read_answer(reader)
        assert status == "HTTP/1.1 200 OK" and body == b"POST /RPC2 x=1 5 127.0.0.1"
        assert headers["content-type"] == "text/plain" and headers["connection"] == "keep-alive"
        assert headers["access-control-allow-origin"] == "*"
        writer.write(b"GET /again HTTP/1.1\r\nHost: x\r\n\r\n")  # the same connection serves the next
        assert (await read_answer(reader))[2] == b"GET /again  0 127.0.0.1"
        writer.close()


@pytest.mark.asyncio
async def test_http_1_0_and_connection_close_are_answered_then_closed() -> None:
    async with serve() as srv:
        for request in (b"GET /a HTTP/1.0\r\n\r\n", b"GET /a HTTP/1.1\r\nConnection: close\r\n\r\n"):
            raw = await srv.exchange(request, half_close=False)
            assert statuses(raw) == ["HTTP/1.1 200 OK"] and b"Connection: close\r\n" in raw


@pytest.mark.asyncio
async def test_pipelined_requests_are_answered_in_order_even_when_one_waits() -> None:
    def handler(req: Request, local: bool) -> Response | Awaitable[Response]:
        if req.path == "/slow":

            async def later() -> Response:
                await asyncio.sleep(0.05)
                return Response(200, b"slow")

            return later()
        return Response(200, req.path.encode())

    async with serve(handler) as srv:
        raw = await srv.exchange(b"".join(f"GET {p} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for p in ("/1", "/slow", "/3")))
        text = raw.decode()
        assert text.count("HTTP/1.1 200 OK") == 3
        assert text.index("\r\n\r\n/1") < text.index("\r\n\r\nslow") < text.index("\r\n\r\n/3")


@pytest.mark.asyncio
async def test_a_half_closed_client_gets_every_answer_then_the_close() -> None:
    def handler(req: Request, local: bool) -> Awaitable[Response]:
        async def later() -> Response:
            await asyncio.sleep(0.02)
            return Response(200, b"late answer")

        return later()

    async with serve(handler) as srv:
        raw = await srv.exchange(post("/", b"x") + post("/", b"y"))
        assert raw.count(b"late answer") == 2


@pytest.mark.asyncio
async def test_rpc_bodies_over_300_kib_are_413_with_a_length_or_chunked() -> None:
    async with serve() as srv:
        assert MAX_BODY == 300 * 1024
        assert statuses(await srv.exchange(post("/", b"x" * MAX_BODY))) == ["HTTP/1.1 200 OK"]
        assert statuses(await srv.exchange(post("/", b"x" * 200_000))) == ["HTTP/1.1 200 OK"]
        # refused on the length alone (the body is never sent: the server closes without reading it)
        too_long = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n".encode()
        assert statuses(await srv.exchange(too_long)) == ["HTTP/1.1 413 Request Entity Too Large"]
        # chunked: refused once the chunks add up to more (the last byte over comes in the last write)
        reader, writer = await srv.connect()
        piece = b"x" * 100_000
        writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        writer.write(b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(3)))
        await writer.drain()
        await asyncio.sleep(0.05)
        last = b"x" * (MAX_BODY + 1 - 300_000)
        writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(last), last))
        writer.write_eof()
        assert statuses(await asyncio.wait_for(reader.read(), WAIT)) == ["HTTP/1.1 413 Request Entity Too Large"]
        writer.close()
        small = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + b"5\r\nhello\r\n0\r\n\r\n"
        raw = await srv.exchange(small)
        assert statuses(raw) == ["HTTP/1.1 200 OK"] and raw.endswith(b"POST /  5 127.0.0.1")


@pytest.mark.asyncio
async def test_a_request_head_over_64_kib_is_431() -> None:
    async with serve() as srv:
        assert MAX_HEAD == 64 * 1024
        fits = f"GET / HTTP/1.1\r\nX-A: {'a' * 60_000}\r\n\r\n".encode()
        assert statuses(await srv.exchange(fits)) == ["HTTP/1.1 200 OK"]
        header = f"GET / HTTP/1.1\r\nX-A: {'a' * 40_000}\r\nX-B: {'b' * 40_000}\r\n\r\n".encode()
        assert statuses(await srv.exchange(header)) == ["HTTP/1.1 431 Request Header Fields Too Large"]
        url = f"GET /{'u' * (MAX_HEAD + 10)} HTTP/1.1\r\n\r\n".encode()
        assert statuses(await srv.exchange(url)) == ["HTTP/1.1 431 Request Header Fields Too Large"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "request_bytes",
    [b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", b"\x00\x01garbage\r\n\r\n",
     b"GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"],
)  # fmt: skip
async def test_malformed_requests_are_400_and_closed_after_earlier_answers(request_bytes: bytes) -> None:
    async with serve() as srv:
        raw = await srv.exchange(b"GET /first HTTP/1.1\r\n\r\n" + request_bytes, half_close=False)
        assert statuses(raw) == ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"]
        assert raw.endswith(b"</p></body></html>") and b"malformed request" in raw


@pytest.mark.asyncio
async def test_a_failing_handler_is_500_and_the_server_goes_on() -> None:
    def handler(req: Request, local: bool) -> Response | Awaitable[Response]:
        if req.path == "/sync":
            raise RuntimeError("bug")
        if req.path == "/async":

            async def fails() -> Response:
                raise RuntimeError("bug")

            return fails()
        return Response(200, b"fine")

    async with serve(handler) as srv:
        for path in ("/sync", "/async"):
            raw = await srv.exchange(f"GET {path} HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n".encode(), half_close=False)
            assert statuses(raw) == ["HTTP/1.1 500 Internal Server Error"]  # an error page closes
        assert statuses(await srv.exchange(b"GET /ok HTTP/1.1\r\n\r\n")) == ["HTTP/1.1 200 OK"]


@pytest.mark.asyncio
async def test_connections_over_the_limits_get_503() -> None:
    async with serve(max_connections=3, max_connections_per_address=2) as srv:
        first = [await srv.connect() for _ in range(2)]
        for reader, writer in first:  # served: a request on each is answered
            writer.write(b"GET / HTTP/1.1\r\n\r\n")
            assert (await read_answer(reader))[0] == "HTTP/1.1 200 OK"
        raw = await srv.exchange(b"GET / HTTP/1.1\r\n\r\n", half_close=False)
        assert statuses(raw) == ["HTTP/1.1 503 Service Unavailable"] and srv.connections.refused == 1
        first[0][1].close()
        await first[0][1].wait_closed()
        for _ in range(100):
            if srv.connections.per_address.get("127.0.0.1") == 1:
                break
            await asyncio.sleep(0.01)
        assert statuses(await srv.exchange(b"GET / HTTP/1.1\r\n\r\n")) == ["HTTP/1.1 200 OK"]
        first[1][1].close()


def test_admission_counts_in_total_and_per_address() -> None:
    async def main() -> None:
        conns = Connections(HttpLimits(max_connections=3, max_connections_per_address=2))
        a, b, c, d = (object() for _ in range(4))
        assert conns.admit(a, "10.0.0.1") and conns.admit(b, "10.0.0.1")  # type: ignore[arg-type]
        assert not conns.admit(c, "10.0.0.1")  # type: ignore[arg-type]
        assert conns.admit(c, "")  # type: ignore[arg-type]  # the local socket has no address
        assert not conns.admit(d, "10.0.0.2")  # type: ignore[arg-type]  # 3 in total
        conns.release(a, "10.0.0.1")  # type: ignore[arg-type]
        conns.release(a, "10.0.0.1")  # type: ignore[arg-type]  # twice: counted once
        assert conns.per_address == {"10.0.0.1": 1}
        assert conns.admit(d, "10.0.0.1")  # type: ignore[arg-type]
        conns.release(b, "10.0.0.1")  # type: ignore[arg-type]
        conns.release(d, "10.0.0.1")  # type: ignore[arg-type]
        assert conns.per_address == {} and conns.refused == 2
        conns.close()

    asyncio.run(main())


@pytest.mark.asyncio
async def test_a_request_not_received_in_time_is_408_and_an_idle_connection_closes() -> None:
    async with serve(header_timeout=0.2, idle_timeout=0.2) as srv:
        reader, writer = await srv.connect()
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finished
        raw = await asyncio.wait_for(reader.read(), WAIT)
        assert statuses(raw) == ["HTTP/1.1 408 Request Timeout"]
        assert b"Connection: close\r\n" in raw  # RFC 9110 §15.5.9: the server closes after a 408
        writer.close()
        reader, writer = await srv.connect()
        writer.write(b"GET / HTTP/1.1\r\n\r\n")
        raw = await asyncio.wait_for(reader.read(), WAIT)  # answered, then closed once idle
        assert statuses(raw) == ["HTTP/1.1 200 OK"]
        writer.close()
        reader, writer = await srv.connect()  # connected, silent: closed without an answer
        assert await asyncio.wait_for(reader.read(), WAIT) == b""
        writer.close()


def test_error_pages_and_rendering() -> None:
    page = error_page(404, "no such thing")
    assert page.close and page.content_type == "text/html"
    assert page.body == b"<html><body><h1>HTTP 404</h1><p>no such thing</p></body></html>"
    raw = render(Response(299, b"abc", "x/y", [("X-Extra", "1")]), keep_alive=True)
    assert raw.startswith(b"HTTP/1.1 299 Unknown\r\nContent-Length: 3\r\nContent-Type: x/y\r\n")
    assert b"X-Extra: 1\r\n" in raw and raw.endswith(b"Connection: keep-alive\r\n\r\nabc")
    assert render(Response(200, b"", close=True), keep_alive=True).endswith(b"Connection: close\r\n\r\n")
    assert render(Response(200, b""), keep_alive=False).endswith(b"Connection: close\r\n\r\n")


@pytest.mark.asyncio
async def test_an_answer_in_pieces_is_sent_whole_with_its_total_length() -> None:
    def handler(req: Request, local: bool) -> Response:
        return Response(200, b"", "text/xml", chunks=[b"<a>", b"b" * 100_000, b"</a>"])

    async with serve(handler) as srv:
        reader, writer = await srv.connect()
        writer.write(b"GET / HTTP/1.1\r\n\r\n")
        status, headers, body = await read_answer(reader)
        assert headers["content-length"] == str(100_007) and body == b"<a>" + b"b" * 100_000 + b"</a>"
        writer.close()


async def _pieces(n: int) -> AsyncIterator[bytes]:
    for i in range(n):
        await asyncio.sleep(0)
        yield f"piece{i};".encode()
        yield b""  # an empty piece is not written (it would end a chunked body)


@pytest.mark.asyncio
async def test_streaming_routes_read_bodies_as_they_arrive_and_answer_in_pieces() -> None:
    got: list[bytes] = []

    async def handler(req: Request, local: bool) -> Response:
        assert req.stream is not None and req.body == b""
        mine: list[bytes] = []
        while piece := await req.stream.read():
            mine.append(piece)
        assert req.stream.received == sum(map(len, mine)) == req.stream.length
        got.extend(mine)
        if req.path == "/chunked":
            return Response(200, b"", "application/octet-stream", stream=_pieces(3))
        if req.path == "/last":  # an answer that ends the connection says so in its head
            return Response(200, b"", "application/octet-stream", stream=_pieces(1), close=True)
        return Response(200, b"", "application/octet-stream", stream=_pieces(2), stream_length=len(b"piece0;piece1;"))

    def routed(req: Request, local: bool) -> Response | Awaitable[Response]:
        return handler(req, local) if req.stream is not None else Response(200, b"rpc")

    async with serve(routed, streaming=lambda method, path: method == "PUT") as srv:
        reader, writer = await srv.connect()
        big = b"z" * (MAX_BODY * 2)  # no RPC limit on a streaming route
        writer.write(f"PUT /chunked HTTP/1.1\r\nContent-Length: {len(big)}\r\n\r\n".encode() + big)
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        assert head.startswith("HTTP/1.1 200 OK") and "Transfer-Encoding: chunked" in head
        assert "Connection: keep-alive" in head
        body = await reader.readuntil(b"0\r\n\r\n")
        assert body == b"7\r\npiece0;\r\n7\r\npiece1;\r\n7\r\npiece2;\r\n0\r\n\r\n"
        assert b"".join(got) == big
        writer.write(b"PUT /sized HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        status, headers, body = await read_answer(reader)
        assert headers["content-length"] == "14" and body == b"piece0;piece1;"
        writer.write(b"POST /rpc HTTP/1.1\r\nContent-Length: 1\r\n\r\nx")  # still kept alive
        assert (await read_answer(reader))[2] == b"rpc"
        writer.write(b"PUT /last HTTP/1.1\r\nContent-Length: 1\r\n\r\nx")
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        assert "Connection: close" in head and "keep-alive" not in head
        assert await asyncio.wait_for(reader.read(), WAIT) == b"7\r\npiece0;\r\n0\r\n\r\n"
        writer.close()


def draining(outcome: asyncio.Future[str]) -> Handler:
    """A streaming handler that reads its whole body and says how it ended: "complete" or "lost"."""

    async def handler(req: Request, local: bool) -> Response:
        assert req.stream is not None
        try:
            while await req.stream.read():
                pass
        except ConnectionError:
            outcome.set_result("lost")
            return Response(500, b"")
        outcome.set_result("complete")
        return Response(200, b"")

    return handler


@pytest.mark.asyncio
async def test_a_streaming_handler_sees_the_client_leave_mid_body() -> None:
    outcome: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    handler = draining(outcome)

    async with serve(handler, streaming=lambda method, path: True) as srv:
        reader, writer = await srv.connect()
        writer.write(b"PUT /import HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
        await asyncio.sleep(0.05)
        # gone abruptly (a reset, as when the client process dies with the connection open)
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        assert await asyncio.wait_for(outcome, WAIT) == "lost"


@pytest.mark.asyncio
async def test_a_streaming_handler_sees_a_half_close_mid_body_at_once() -> None:
    """The client ends its side 10 bytes into a 1 000-byte body: no more can come, so the handler is told
    the body was cut short and its answer still reaches the half-closed client (not at the idle timeout)."""
    outcome: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def handler(req: Request, local: bool) -> Response:
        assert req.stream is not None
        try:
            while await req.stream.read():
                pass
        except ConnectionError:
            outcome.set_result("lost")
            return Response(400, b"cut short")
        outcome.set_result("complete")
        return Response(200, b"")

    async with serve(handler, streaming=lambda method, path: True) as srv:
        reader, writer = await srv.connect()
        writer.write(b"PUT /import HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
        await writer.drain()
        writer.write_eof()
        assert await asyncio.wait_for(outcome, WAIT) == "lost"
        writer.close()


class Tunnel:
    """A CONNECT handler's side of the connection: echoes what the client sends, upper-cased."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def start(self, transport: asyncio.Transport, initial: bytes) -> None:
        self.transport = transport
        transport.write(b"start:" + initial.upper())

    def data(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.write(data.upper())

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def lost(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


@pytest.mark.asyncio
async def test_connect_hands_the_raw_connection_to_the_handler_after_the_200() -> None:
    tunnel = Tunnel()

    def handler(req: Request, local: bool) -> Response:
        assert req.method == "CONNECT" and req.path == "/console"
        return Response(200, b"", upgrade=tunnel)

    async with serve(handler) as srv:
        reader, writer = await srv.connect()
        writer.write(b"CONNECT /console HTTP/1.1\r\nHost: x\r\n\r\nearly")
        head = await reader.readuntil(b"\r\n\r\n")
        assert head == b"HTTP/1.1 200 OK\r\n\r\n"
        assert await reader.readexactly(len(b"start:EARLY")) == b"start:EARLY"
        writer.write(b"typed")
        assert await reader.readexactly(5) == b"TYPED"
        writer.close()
        await asyncio.wait_for(tunnel.closed, WAIT)


@pytest.mark.asyncio
async def test_a_client_that_stops_reading_stops_being_read() -> None:
    big = b"y" * (1024 * 1024)
    served: list[str] = []

    def handler(req: Request, local: bool) -> Response:
        served.append(req.path)
        return Response(200, big)

    async with serve(handler, header_timeout=0.4) as srv:  # sweeps every 0.1 s; idle_timeout stays 300 s
        srv.connections.foreground = foreground = Foreground()
        sock = socket.create_connection(("127.0.0.1", srv.port))
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        for i in range(10):
            try:
                sock.send(f"GET /{i} HTTP/1.1\r\n\r\n".encode())
            except BlockingIOError:
                break
            await asyncio.sleep(0.01)
        assert len(served) < 10  # answers pile up unread: the server stopped answering (and reading)
        assert foreground.count == 1  # an answer on its way: background work gives way meanwhile
        await asyncio.sleep(0.3)  # several sweeps: a client that does not read keeps its idle_timeout
        received = 0
        while received < 10 * len(big):
            try:
                data = await asyncio.wait_for(loop.sock_recv(sock, 1 << 20), WAIT)
            except TimeoutError:
                break
            if not data:
                break
            received += len(data)
            if received >= 10 * len(big):
                break
        assert foreground.count == 0  # read: the connection no longer holds background work
        sock.close()
        assert served == [f"/{i}" for i in range(len(served))]


@pytest.mark.asyncio
async def test_a_request_head_in_pieces_within_the_header_timeout_is_answered() -> None:
    async with serve(header_timeout=2.0) as srv:  # swept every 0.5 s
        silent_reader, silent_writer = await srv.connect()  # says nothing: closed once the 2 s are out
        reader, writer = await srv.connect()
        writer.write(b"GET /slowly HTTP/1.1\r\n")
        await asyncio.sleep(0.8)
        writer.write(b"Host: x\r\n\r\n")
        status, _, body = await asyncio.wait_for(read_answer(reader), WAIT)
        assert status == "HTTP/1.1 200 OK" and body.startswith(b"GET /slowly")
        writer.close()
        assert await asyncio.wait_for(silent_reader.read(), WAIT) == b""
        silent_writer.close()


@pytest.mark.asyncio
async def test_an_upgrade_the_handler_declines_is_answered_then_closed() -> None:
    async with serve() as srv:
        request = b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
        raw = await srv.exchange(request, half_close=False)  # read until the server closes
        assert statuses(raw) == ["HTTP/1.1 200 OK"] and b"Connection: close\r\n" in raw


def test_default_header_timeout_is_xapis_header_total_timeout_tcp() -> None:
    # xapi_globs.ml: header_total_timeout_tcp = 60.: a request head must arrive whole within 60 s
    assert HttpLimits().header_timeout == 60.0
    # the rest as docs/http.md states them; one address may take half the connections, not all
    limits = HttpLimits()
    assert (limits.idle_timeout, limits.max_pending, limits.max_connections) == (300.0, 64, 4096)
    assert limits.max_connections_per_address == limits.max_connections // 2 == 2048
    assert STREAM_BUFFER == 1024 * 1024  # docs/http.md: 1 MiB of a streamed body waits, then reading stops


def test_reason_phrases_are_the_standard_ones() -> None:
    """Every status xenia answers with carries its registered reason phrase (RFC 9110 §15, as Python's
    ``http.HTTPStatus`` spells them; 413's is the RFC 2616 name xapi's clients know)."""
    for code in (101, 200, 204, 400, 401, 403, 404, 405, 408, 411, 413, 431, 500, 501, 503):
        head = render(Response(code, b""), keep_alive=True)
        assert head.startswith(f"HTTP/1.1 {code} {HTTPStatus(code).phrase}\r\n".encode()), code


@pytest.mark.asyncio
async def test_the_head_bound_counts_the_url_and_each_field_line_as_sent() -> None:
    """The head counted is the target plus each field line ``name: value`` with its CRLF (RFC 9112 §5):
    a head of exactly ``MAX_HEAD`` such bytes is served, one byte more is 431."""
    async with serve() as srv:
        # counted: "/" (1) + "X-A: " + value + "\r\n" (3 + 2 + k + 2) = k + 8
        fits = f"GET / HTTP/1.1\r\nX-A: {'a' * (MAX_HEAD - 8)}\r\n\r\n".encode()
        assert statuses(await srv.exchange(fits)) == ["HTTP/1.1 200 OK"]
        over = f"GET / HTTP/1.1\r\nX-A: {'a' * (MAX_HEAD - 7)}\r\n\r\n".encode()
        assert statuses(await srv.exchange(over)) == ["HTTP/1.1 431 Request Header Fields Too Large"]
        # the same bound reached by the target alone
        url_fits = f"GET /{'u' * (MAX_HEAD - 1)} HTTP/1.1\r\n\r\n".encode()
        assert statuses(await srv.exchange(url_fits)) == ["HTTP/1.1 200 OK"]
        url_over = f"GET /{'u' * MAX_HEAD} HTTP/1.1\r\n\r\n".encode()
        assert statuses(await srv.exchange(url_over)) == ["HTTP/1.1 431 Request Header Fields Too Large"]


@pytest.mark.asyncio
async def test_a_streamed_answer_that_fails_midway_is_cut_short_and_the_server_goes_on() -> None:
    """A chunked answer whose source fails after its first piece ends with the connection closed and no
    last chunk (RFC 9112 §7.1: the client sees an incomplete message, never a complete but wrong one)."""

    async def failing() -> AsyncIterator[bytes]:
        yield b"first"
        raise RuntimeError("the source broke")

    def handler(req: Request, local: bool) -> Response:
        if req.path == "/fails":
            return Response(200, b"", "application/octet-stream", stream=failing())
        return Response(200, b"fine")

    async with serve(handler, streaming=lambda method, path: False) as srv:
        raw = await srv.exchange(b"GET /fails HTTP/1.1\r\nHost: x\r\n\r\n", half_close=False)
        assert b"Transfer-Encoding: chunked" in raw and raw.endswith(b"5\r\nfirst\r\n")
        assert statuses(await srv.exchange(b"GET /ok HTTP/1.1\r\n\r\n")) == ["HTTP/1.1 200 OK"]


@pytest.mark.asyncio
async def test_an_upload_its_handler_does_not_read_is_held_to_a_bounded_buffer() -> None:
    """A streaming route's body waits for its handler up to ``STREAM_BUFFER`` bytes, then reading stops
    (TCP carries the backpressure to the client) until the handler has taken half of it; every byte still
    arrives, in order, once it reads."""
    size = 8 * STREAM_BUFFER
    streams: list[BodyStream] = []
    go = asyncio.Event()
    taken = asyncio.Event()
    resume = asyncio.Event()
    paused_again = asyncio.Event()
    resume_again = asyncio.Event()
    consumed: list[int] = []

    async def handler(req: Request, local: bool) -> Response:
        assert req.stream is not None
        streams.append(req.stream)
        await go.wait()
        total = len(await req.stream.read())  # one piece: far less than half the buffer
        taken.set()
        await resume.wait()
        while total < 2 * STREAM_BUFFER:
            total += len(await req.stream.read())
        consumed.append(total)
        paused_again.set()
        await resume_again.wait()
        while piece := await req.stream.read():
            total += len(piece)
        return Response(200, str(total).encode())

    async with serve(handler, streaming=lambda method, path: True) as srv:
        reader, writer = await srv.connect()
        writer.write(f"PUT /import HTTP/1.1\r\nContent-Length: {size}\r\n\r\n".encode() + b"b" * size)
        for _ in range(WAIT * 100):  # until reading stops: the buffer filled, then nothing more comes
            if streams and streams[0].received > STREAM_BUFFER:
                break
            await asyncio.sleep(0.01)
        stream = streams[0]
        await asyncio.sleep(0.2)
        held = stream.received
        # filled to its bound, and beyond it by at most one read of the socket (asyncio reads 256 KiB)
        assert STREAM_BUFFER < held <= STREAM_BUFFER + 256 * 1024
        go.set()
        await asyncio.wait_for(taken.wait(), WAIT)
        await asyncio.sleep(0.2)
        assert stream.received == held  # more than half still waits: reading has not resumed
        resume.set()
        await asyncio.wait_for(paused_again.wait(), WAIT)  # it took a buffer's worth, then stopped again
        await asyncio.sleep(0.2)
        # reading resumed and stopped again at the bound: the second stop holds as the first did
        assert consumed[0] < stream.received <= consumed[0] + STREAM_BUFFER + 256 * 1024 < size
        resume_again.set()
        status, _, body = await asyncio.wait_for(read_answer(reader), WAIT)
        assert status == "HTTP/1.1 200 OK" and body == str(size).encode()
        writer.close()


@pytest.mark.asyncio
async def test_a_client_that_stops_reading_is_closed_after_the_idle_timeout() -> None:
    """Answers pile up unread: the server stops answering, and after ``idle_timeout`` with the client still
    not reading, closes; the client then finds what was written, fewer answers than it asked for, and the end."""
    big = b"y" * (1024 * 1024)

    async with serve(lambda req, local: Response(200, big), idle_timeout=0.3) as srv:
        reader, writer = await srv.connect()
        writer.write(b"GET / HTTP/1.1\r\n\r\n" * 20)
        await asyncio.sleep(1.0)
        raw = await asyncio.wait_for(reader.read(), WAIT)  # read to the end: a connection kept open times out
        assert 0 < len(statuses(raw)) < 20
        writer.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("first_piece", [b"", b"x" * 10])
async def test_an_upload_that_stalls_midway_is_closed_after_the_idle_timeout(first_piece: bytes) -> None:
    """A streaming body that stops arriving (the client is still connected) ends after ``idle_timeout``
    without a byte: the handler learns its body was cut short."""
    outcome: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    handler = draining(outcome)

    async with serve(handler, streaming=lambda method, path: True, idle_timeout=0.3) as srv:
        reader, writer = await srv.connect()
        writer.write(b"PUT /import HTTP/1.1\r\nContent-Length: 1000\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.1)
        writer.write(first_piece)  # the head alone, or a first piece of the body; then nothing
        assert await asyncio.wait_for(outcome, WAIT) == "lost"
        writer.close()


@pytest.mark.asyncio
async def test_a_kept_alive_connection_idle_for_less_than_the_idle_timeout_is_still_served() -> None:
    async with serve(header_timeout=0.2) as srv:  # swept every 0.05 s; idle_timeout stays 300 s
        reader, writer = await srv.connect()
        writer.write(b"GET /1 HTTP/1.1\r\n\r\n")
        assert (await asyncio.wait_for(read_answer(reader), WAIT))[0] == "HTTP/1.1 200 OK"
        await asyncio.sleep(0.5)  # ten sweeps, well within idle_timeout
        writer.write(b"GET /2 HTTP/1.1\r\n\r\n")
        assert (await asyncio.wait_for(read_answer(reader), WAIT))[2].startswith(b"GET /2")
        writer.close()


@pytest.mark.asyncio
async def test_answers_written_early_reach_each_waiting_client() -> None:
    """``answer_early`` (the event hub waking many ``event.from`` callers at once) writes the answer of the
    request being served before its handler returns: every caller gets its own answer, the same bytes
    when the answer is the same, kept alive, and the requests after it are answered in turn; a second
    answer for the same request is refused (False, nothing written), and a request that does not keep
    its connection has no ``answer_early`` (it is answered the normal way, then the connection closes)."""
    shared = render(Response(200, b"shared"), True)
    go = asyncio.Event()
    refused: list[bool] = []

    async def handler(req: Request, local: bool) -> Response:
        await go.wait()
        if not req.keep_alive:
            assert req.answer_early is None
            return Response(200, b"normal")
        assert req.answer_early is not None
        if req.path == "/own":
            assert req.answer_early(req, render(Response(200, b"own " + req.query.encode()), True))
            return ANSWERED
        before = req.answered
        assert req.answer_early(req, shared)
        assert (before, req.answered) == (False, True)
        refused.append(req.answer_early(req, render(Response(200, b"twice"), True)))
        return ANSWERED

    async with serve(handler) as srv:
        clients = [await srv.connect() for _ in range(3)]
        for _reader, writer in clients:
            writer.write(b"GET /shared HTTP/1.1\r\n\r\n")
        one_off = await srv.connect()
        one_off[1].write(b"GET /shared HTTP/1.1\r\nConnection: close\r\n\r\n")
        await asyncio.sleep(0.05)
        go.set()
        for reader, writer in clients:
            status, headers, body = await asyncio.wait_for(read_answer(reader), WAIT)
            assert (status, body, headers["connection"]) == ("HTTP/1.1 200 OK", b"shared", "keep-alive")
            writer.write(b"GET /own?x HTTP/1.1\r\n\r\nGET /own?y HTTP/1.1\r\n\r\n")  # pipelined, each early
            assert (await asyncio.wait_for(read_answer(reader), WAIT))[2] == b"own x"
            assert (await asyncio.wait_for(read_answer(reader), WAIT))[2] == b"own y"
            writer.close()
        status, headers, body = await asyncio.wait_for(read_answer(one_off[0]), WAIT)
        assert (body, headers["connection"]) == (b"normal", "close")
        assert await asyncio.wait_for(one_off[0].read(), WAIT) == b""  # closed after it
        one_off[1].close()
        assert refused == [False, False, False]


@pytest.mark.asyncio
async def test_an_upload_stalled_with_a_full_buffer_is_still_read_whole_after_the_close() -> None:
    """The client sent more than the stream's buffer holds (reading stopped), then nothing: after
    ``idle_timeout`` the connection closes, and the handler, reading only then, still gets every byte
    that arrived before it learns the body was cut short (nothing is read from the closed connection)."""
    outcome: asyncio.Future[tuple[int, int, str]] = asyncio.get_running_loop().create_future()
    streams: list[BodyStream] = []

    async def handler(req: Request, local: bool) -> Response:
        assert req.stream is not None
        streams.append(req.stream)
        while not req.stream.lost:
            await asyncio.sleep(0.01)
        total = 0
        try:
            while piece := await req.stream.read():
                total += len(piece)
        except ConnectionError:
            outcome.set_result((total, req.stream.received, "lost"))
            return Response(500, b"")
        outcome.set_result((total, req.stream.received, "complete"))
        return Response(200, b"")

    async with serve(handler, streaming=lambda method, path: True, idle_timeout=0.3) as srv:
        reader, writer = await srv.connect()
        size = 2 * STREAM_BUFFER
        writer.write(f"PUT /import HTTP/1.1\r\nContent-Length: {4 * size}\r\n\r\n".encode() + b"b" * size)
        total, received, how = await asyncio.wait_for(outcome, WAIT)
        assert how == "lost" and total == received > STREAM_BUFFER
        try:  # closed without an answer (reset: the server left bytes unread)
            rest = await asyncio.wait_for(reader.read(), WAIT)
        except ConnectionResetError:
            rest = b""
        assert rest == b""
        writer.close()


@pytest.mark.asyncio
async def test_a_later_request_on_a_kept_alive_connection_must_also_arrive_within_the_header_timeout() -> None:
    """The header timeout runs from each request's first byte, not only the connection's first request:
    an idle timeout far longer does not let a later request's head trickle in."""
    async with serve(header_timeout=0.2, idle_timeout=60.0) as srv:
        reader, writer = await srv.connect()
        writer.write(b"GET /1 HTTP/1.1\r\n\r\n")
        assert (await asyncio.wait_for(read_answer(reader), WAIT))[0] == "HTTP/1.1 200 OK"
        writer.write(b"GET /2 HTTP/1.1\r\nHost: x\r\n")  # never finished
        raw = await asyncio.wait_for(reader.read(), WAIT)
        assert statuses(raw) == ["HTTP/1.1 408 Request Timeout"]
        writer.close()


@pytest.mark.asyncio
async def test_reading_stops_at_max_pending_requests_and_resumes_once_they_are_answered() -> None:
    """Pipelined requests past ``max_pending`` stop the reading of the connection; once they are answered
    the connection is read again, so the client's next requests are served on it."""

    async def slow(req: Request, local: bool) -> Response:
        await asyncio.sleep(0.01)
        return Response(200, req.path.encode())

    async with serve(slow, max_pending=2) as srv:
        reader, writer = await srv.connect()
        for batch in (("/1", "/2", "/3", "/4"), ("/5",), ("/6", "/7", "/8")):
            writer.write(b"".join(f"GET {p} HTTP/1.1\r\n\r\n".encode() for p in batch))
            for path in batch:
                assert (await asyncio.wait_for(read_answer(reader), WAIT))[2] == path.encode()
        writer.close()


class Owner:
    """What a BodyStream tells its connection: stop reading (True) or read again (False)."""

    def __init__(self) -> None:
        self.holds: list[bool] = []

    def hold_stream(self, hold: bool) -> None:
        self.holds.append(hold)


@pytest.mark.asyncio
async def test_a_body_stream_holds_past_its_buffer_and_reads_again_at_half() -> None:
    """Reading stops once more than ``STREAM_BUFFER`` bytes wait for the handler, and starts again once
    no more than half of it waits (docs/http.md), to the byte."""
    owner = Owner()
    stream = BodyStream(owner, None)  # type: ignore[arg-type]
    half = STREAM_BUFFER // 2
    stream.feed(b"a" * (half + 1))
    stream.feed(b"b" * (half - 1))
    assert owner.holds == []  # exactly the buffer's worth waits: still read
    stream.feed(b"c")
    assert owner.holds == [True] and stream.received == STREAM_BUFFER + 1
    assert await stream.read() == b"a" * (half + 1)  # exactly half waits now
    assert owner.holds == [True, False]
    stream.feed(b"d" * (half + 2))  # over the buffer by two bytes
    assert owner.holds == [True, False, True]
    assert await stream.read() == b"b" * (half - 1)  # half and three bytes wait: still held
    assert await stream.read() == b"c"
    assert owner.holds == [True, False, True]
    stream.end()
    assert await stream.read() == b"d" * (half + 2) and await stream.read() == b""
    assert owner.holds == [True, False, True, False]


class FloodTunnel(Tunnel):
    """A tunnel that sends far more than the client reads at once, and notes when it must wait."""

    SIZE = 8 * 1024 * 1024

    def __init__(self) -> None:
        super().__init__()
        self.paused = asyncio.Event()
        self.resumed = asyncio.Event()

    def start(self, transport: asyncio.Transport, initial: bytes) -> None:
        self.transport = transport
        transport.write(b"z" * self.SIZE)

    def pause(self) -> None:
        self.paused.set()

    def resume(self) -> None:
        self.resumed.set()


@pytest.mark.asyncio
async def test_a_tunnel_is_told_when_its_client_stops_and_starts_reading() -> None:
    """A console tunnel whose client falls behind stops reading the console (the tunnel is told), starts
    again once the client caught up, and carries what the client types all along (this connection's
    reading used to stop with the client's and never start again: keystrokes after a big screen update
    were lost)."""
    tunnel = FloodTunnel()

    async with serve(lambda req, local: Response(200, b"", upgrade=tunnel)) as srv:
        reader, writer = await srv.connect()
        writer.write(b"CONNECT /console HTTP/1.1\r\nHost: x\r\n\r\n")
        await asyncio.wait_for(tunnel.paused.wait(), WAIT)  # the client has not read: the tunnel must wait
        assert not tunnel.resumed.is_set()
        assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT) == b"HTTP/1.1 200 OK\r\n\r\n"
        assert len(await asyncio.wait_for(reader.readexactly(FloodTunnel.SIZE), WAIT)) == FloodTunnel.SIZE
        await asyncio.wait_for(tunnel.resumed.wait(), WAIT)
        writer.write(b"typed")  # what the client types after the flood still reaches the tunnel
        assert await asyncio.wait_for(reader.readexactly(5), WAIT) == b"TYPED"
        writer.close()
        await asyncio.wait_for(tunnel.closed, WAIT)


@pytest.mark.asyncio
async def test_requests_waiting_past_max_pending_stop_the_reading_every_time() -> None:
    """While a call waits, a client that keeps pipelining cannot make the server hold more than
    ``max_pending`` requests (and one read of the socket): reading stops, so the client's sending
    stops too -- after an earlier stop and restart on the same connection as on the first.
    Socket buffers are pinned small, so what the kernels hold is small beside what the client has."""
    release = asyncio.Event()

    async def handler(req: Request, local: bool) -> Response:
        if req.path == "/block":
            await release.wait()
        return Response(200, req.path.encode())

    loop = asyncio.get_running_loop()
    async with serve(handler, max_pending=2) as srv:
        assert srv.server is not None
        srv.server.sockets[0].setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", srv.port))
        await loop.sock_sendall(sock, b"GET /1 HTTP/1.1\r\n\r\n" * 3)  # past max_pending: stopped, then read again
        got = b""
        while got.count(b"HTTP/1.1 200 OK") < 3:
            got += await asyncio.wait_for(loop.sock_recv(sock, 65536), WAIT)
        body = b"q" * (100 * 1024)
        flood = b"GET /block HTTP/1.1\r\n\r\n" + post("/x", body) * 60
        sent, idle = 0, 0
        while sent < len(flood) and idle < 20:  # until the server has stopped reading for a good while
            try:
                n = sock.send(flood[sent : sent + 65536])
            except BlockingIOError:
                idle += 1
                await asyncio.sleep(0.02)
                continue
            sent, idle = sent + n, 0
        assert sent < len(flood) // 2, (sent, len(flood))
        sock.close()
        await asyncio.sleep(0.05)  # the server sees the close (and drops what waits) before the call ends
        release.set()
        await asyncio.sleep(0.05)
