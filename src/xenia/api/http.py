"""HTTP/1.1 for the API: llhttp parses (through ``httptools``), an asyncio protocol answers.

The parser is llhttp, the one Node.js and uvicorn use, rather than a hand-written
one: the hand-written parser this replaced accepted a signed chunk size and spun
the event loop forever on a 58-byte request (issue 9).  What this module adds
around the parser is what a server exposed to any client needs:

- pipelined requests answered one at a time, in order, on a kept-alive connection,
  and still answered after the client half-closes (then the connection closes);
- bounds on what one connection can make the daemon hold: a request head of
  ``MAX_HEAD`` bytes (431), an RPC body of 300 KiB as xapi (413, chunked bodies
  too), ``max_pending`` parsed requests waiting (reading stops until they are
  answered), and the transport's write buffer (``pause_writing`` stops both
  answering and reading until the client reads);
- time limits: a request must arrive whole within ``header_timeout`` of its
  first byte (408, then close), a connection with nothing to do closes after
  ``idle_timeout``, and so does one whose client stopped reading its answers;
- connection limits, in total and per client address: beyond them a new
  connection gets 503 and is closed, never silence;
- streaming routes (``ApiServer.route(..., streaming=True)``: xapi's import and export, docs/export.md)
  get their request body as a :class:`BodyStream` read as it arrives, with no size limit and reading
  paused while ``STREAM_BUFFER`` bytes wait for the handler; their answer may be an async iterator of
  pieces (``Response.stream``), written as the client reads them (``pause_writing`` holds the writer);
- ``CONNECT`` (xapi's console) hands the raw connection to the handler after
  the 200, and so does a ``GET`` with ``Upgrade:`` after the 101 (the web
  console's WebSockets): see :class:`Upgrade`.

A client that goes away mid-request costs nothing but its buffer; a call
already running finishes (so the db stays consistent) and its answer is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import httptools

from xenia.util.foreground import Foreground

log = logging.getLogger(__name__)

MAX_BODY = 300 * 1024
MAX_HEAD = 64 * 1024
#: a streaming request body: reading stops while this much waits for its handler
STREAM_BUFFER = 1024 * 1024
#: the methods a streaming route may have (xapi's import/export routes are GET and PUT)
STREAMING_METHODS = frozenset({b"GET", b"PUT"})
_INF = math.inf


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Bounds on one listener's connections; the defaults follow xapi where it has one."""

    header_timeout: float = 60.0  # xapi's header_total_timeout_tcp
    idle_timeout: float = 300.0
    max_pending: int = 64
    #: xapi has 800 threads for TCP; a connection costs xenia a few KiB, not a thread, and the
    #: open-file limit is raised at start (see daemon._fit_to_fd_limit where it cannot be)
    max_connections: int = 4096
    #: half the total: one address (a NAT, a busy client with 1 000 long-polls) cannot take it all
    max_connections_per_address: int = 2048


@dataclass(slots=True)
class Request:
    method: str
    path: str
    version: str
    headers: dict[str, str]
    body: bytes = b""
    query: str = ""
    keep_alive: bool = True
    #: the client's IP address (TCP; empty on a unix socket), for per-address login limits
    peer: str = ""
    #: a streaming route's body, read as it arrives (``body`` then stays empty)
    stream: BodyStream | None = None
    #: while an asynchronous handler runs on a kept-alive connection: writes its whole answer, rendered
    #: (``render(resp, True)``), ahead of its return (see :meth:`HttpProtocol.answer_early`); the
    #: handler then returns :data:`ANSWERED`
    answer_early: Callable[[Request, bytes], bool] | None = None
    #: its answer was written by ``answer_early``
    answered: bool = False


class BodyStream:
    """A request body handed to its handler piece by piece, so a disk-sized upload is never held whole.

    The connection feeds it; past ``STREAM_BUFFER`` bytes waiting, the connection stops reading
    until the handler has taken half of them (backpressure reaches the client through TCP).
    """

    def __init__(self, owner: HttpProtocol, length: int | None) -> None:
        self._owner = owner
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._waiter: asyncio.Future[None] | None = None
        self.length = length  # the Content-Length, if the client sent one
        self.received = 0
        self.complete = False
        self.lost = False

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def feed(self, data: bytes) -> None:
        self._chunks.append(data)
        self._buffered += len(data)
        self.received += len(data)
        if self._buffered > STREAM_BUFFER:
            self._owner.hold_stream(True)
        self._wake()

    def end(self) -> None:
        self.complete = True
        self._wake()

    def abort(self) -> None:
        self.lost = True
        self._wake()

    async def read(self) -> bytes:
        """The next piece of the body; ``b""`` at its end; ConnectionError if the client went away."""
        while not self._chunks:
            if self.complete:
                return b""
            if self.lost:
                raise ConnectionError("the client went away before the end of its request body")
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        data = self._chunks.popleft()
        self._buffered -= len(data)
        if self._buffered <= STREAM_BUFFER // 2:
            self._owner.hold_stream(False)
        return data


class Upgrade(Protocol):
    """What a handler returns (in ``Response.upgrade``) to take the connection over after its answer.

    ``start`` gets the transport once the answer's head is written, with the
    bytes the client sent after its request; then every byte the client sends
    goes to ``data``.  ``pause``/``resume`` mirror the client's reading (the
    transport's write buffer), ``lost`` tells the connection is gone.
    """

    def start(self, transport: asyncio.Transport, initial: bytes) -> None: ...
    def data(self, data: bytes) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def lost(self) -> None: ...


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain"
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False
    upgrade: Upgrade | None = None
    #: a big body in pieces (``body`` then unused): written with ``writelines``, never joined, so a
    #: 70 MB answer is not copied on the event loop (see :mod:`xenia.api.codec.sliced`)
    chunks: list[bytes] | None = None
    #: a body produced while it is sent (streaming routes): with ``stream_length`` it goes out with a
    #: Content-Length, else chunked; the next piece is asked for only once the client read the last
    stream: AsyncIterator[bytes] | None = None
    stream_length: int | None = None

    @property
    def length(self) -> int:
        return len(self.body) if self.chunks is None else sum(map(len, self.chunks))


#: what a handler returns when ``Request.answer_early`` has written its answer: nothing more to write
ANSWERED = Response(200, b"")


class HttpError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(status, reason)


_REASONS = {
    101: "Switching Protocols",
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    411: "Length Required",
    413: "Request Entity Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}

_CORS = b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: X-Requested-With, Content-Type\r\n"


def render(resp: Response, keep_alive: bool) -> bytes:
    reason = _REASONS.get(resp.status, "Unknown")
    head = f"HTTP/1.1 {resp.status} {reason}\r\nContent-Length: {resp.length}\r\nContent-Type: {resp.content_type}\r\n"
    extra = "".join(f"{k}: {v}\r\n" for k, v in resp.headers) if resp.headers else ""
    conn = "Connection: keep-alive\r\n\r\n" if keep_alive and not resp.close else "Connection: close\r\n\r\n"
    return head.encode("latin-1") + _CORS + (extra + conn).encode("latin-1") + resp.body


def render_stream_head(resp: Response, keep_alive: bool) -> bytes:
    """The head of a streamed answer: its length when known, else chunked transfer coding."""
    reason = _REASONS.get(resp.status, "Unknown")
    size = f"Content-Length: {resp.stream_length}" if resp.stream_length is not None else "Transfer-Encoding: chunked"
    extra = "".join(f"{k}: {v}\r\n" for k, v in resp.headers)
    conn = "Connection: keep-alive" if keep_alive and not resp.close else "Connection: close"
    head = f"HTTP/1.1 {resp.status} {reason}\r\n{size}\r\nContent-Type: {resp.content_type}\r\n"
    return head.encode("latin-1") + _CORS + f"{extra}{conn}\r\n\r\n".encode("latin-1")


def render_upgrade(resp: Response) -> bytes:
    """The head of an answer after which the connection carries raw bytes (no length, no keep-alive)."""
    reason = _REASONS.get(resp.status, "Unknown")
    extra = "".join(f"{k}: {v}\r\n" for k, v in resp.headers)
    return f"HTTP/1.1 {resp.status} {reason}\r\n{extra}\r\n".encode("latin-1")


def error_page(status: int, reason: str) -> Response:
    body = f"<html><body><h1>HTTP {status}</h1><p>{reason}</p></body></html>".encode()
    return Response(status, body, "text/html", close=True)


Handler = Callable[[Request, bool], "Response | Awaitable[Response]"]


class Connections:
    """The open connections of one listener: admission against the limits, and the timeout sweep.

    One timer per listener walks the connections a few times per timeout,
    instead of a timer per connection re-armed on every request (the hot path
    only stores a deadline).
    """

    def __init__(self, limits: HttpLimits, foreground: Foreground | None = None) -> None:
        self.limits = limits
        #: counts the connections whose answers wait for the client to read them (background work
        #: gives way meanwhile: :mod:`xenia.util.foreground`)
        self.foreground = foreground
        self.open: set[HttpProtocol] = set()
        self.per_address: dict[str, int] = {}
        self.refused = 0
        self._timer: asyncio.TimerHandle | None = None
        self.interval = min(max(min(limits.header_timeout, limits.idle_timeout) / 4, 0.05), 1.0)

    def admit(self, conn: HttpProtocol, address: str) -> bool:
        limits = self.limits
        if len(self.open) >= limits.max_connections:
            return self._refuse(address, "in total")
        if address:
            count = self.per_address.get(address, 0)
            if count >= limits.max_connections_per_address:
                return self._refuse(address, "from this address")
            self.per_address[address] = count + 1
        self.open.add(conn)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.interval, self._sweep)
        return True

    def _refuse(self, address: str, which: str) -> bool:
        self.refused += 1
        if self.refused % 1000 == 1:  # a flood must not flood the log too
            log.warning("HTTP connection from %s refused (503): connection limit %s reached (%d refused so far)",
                        address or "the local socket", which, self.refused)  # fmt: skip
        return False

    def release(self, conn: HttpProtocol, address: str) -> None:
        if conn not in self.open:
            return
        self.open.discard(conn)
        if address:
            left = self.per_address.pop(address, 1) - 1
            if left > 0:
                self.per_address[address] = left

    def _sweep(self) -> None:
        self._timer = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        for conn in [c for c in self.open if c.deadline <= now]:
            conn.expire()
        if self.open:
            self._timer = loop.call_later(self.interval, self._sweep)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class HttpProtocol(asyncio.Protocol):
    """One connection: parse requests and answer them one at a time, in order.

    A request whose handler is synchronous is answered inside ``data_received``
    (no task, no queue); one that must wait runs as a task, and requests that
    arrive meanwhile wait their turn, at most ``max_pending`` of them before
    reading stops.  The parser's callbacks (``on_*``) build the request.
    """

    def __init__(self, handler: Handler, local: bool, connections: Connections,
                 streaming: Callable[[str, str], bool] | None = None) -> None:  # fmt: skip
        self.handler = handler
        self.streaming = streaming
        self._stream: BodyStream | None = None
        self._stream_held = False
        self._drained: asyncio.Future[None] | None = None
        self._streaming_out: asyncio.Task[None] | None = None  # held: the loop keeps only weak references
        self.local = local
        self.connections = connections
        self.limits = connections.limits
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.address = ""
        self.pending: deque[Request] = deque()
        self.busy = False
        self.reading = True
        self.writable = True
        self.fatal: Response | None = None
        self.deadline = _INF
        self.upgrade: Upgrade | None = None
        self._upgrade_buf = bytearray()
        self._upgraded = False  # the parser stopped at an upgrade (CONNECT, Upgrade:): no more requests
        self._eof = False  # the client half-closed: answer what it sent, then close
        self._in_foreground = False  # counted in connections.foreground while its answer is written
        self._tls = False
        self._error: HttpError | None = None
        # the request being parsed
        self._in_request = False
        self._url = b""
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._size = 0
        self._head_size = 0
        self._loop = asyncio.get_running_loop()
        #: the request whose asynchronous handler runs now, until its answer is written
        self._serving: Request | None = None

    # --- transport events

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self.address = peer[0] if isinstance(peer, tuple) and not self.local else ""
        if not self.connections.admit(self, self.address):
            transport.write(render(error_page(503, "too many connections"), False))  # type: ignore[attr-defined]
            transport.close()
            return
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports do not subclass asyncio's
        self._tls = transport.get_extra_info("sslcontext") is not None
        self.deadline = asyncio.get_running_loop().time() + self.limits.header_timeout

    def data_received(self, data: bytes) -> None:
        if self.fatal is not None:
            return
        if self._upgraded:
            if self.upgrade is not None:
                self.upgrade.data(data)
            else:  # the handler has not decided yet: hold the bytes for the tunnel, a bounded amount
                self._upgrade_buf += data
                if len(self._upgrade_buf) > MAX_BODY:
                    self._pause_reading()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as e:
            self._stop_parsing(data[e.args[0] :])
        except httptools.HttpParserError as e:
            err = self._error or HttpError(400, f"malformed request: {e}")
            self.fatal = error_page(err.status, err.reason)
            self._pause_reading()
        if len(self.pending) >= self.limits.max_pending:
            self._pause_reading()
        if not self.busy:
            self._pump()

    def eof_received(self) -> bool:
        """The client half-closed (``shutdown(SHUT_WR)``): it sends no more requests but still reads.

        The requests it sent are answered, in order, and then the connection closes (RFC 9112 §9.6):
        closing at once, asyncio's default, dropped every answer not written yet -- any call that
        awaits (a login, a big answer encoded in slices). A request cut short by the end is never
        answered. TLS cannot stay half-open and a tunnel (CONNECT) has its own end: those close now.
        """
        if self._tls or self._upgraded or self.transport is None:
            return False
        self._eof = True
        if self._stream is not None:  # an upload cut short: its handler learns now, not at the idle timeout
            self._stream.abort()
            self._stream = None
        if not self.busy:
            self._pump()  # nothing left to answer: it closes now; else once the last answer is out
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.pending.clear()
        self.connections.release(self, self.address)
        if self._stream is not None:
            self._stream.abort()
        self._wake_writer()
        if self.upgrade is not None:
            self.upgrade.lost()
        self._leave_foreground()

    def _leave_foreground(self) -> None:
        if self._in_foreground:
            self._in_foreground = False
            assert self.connections.foreground is not None
            self.connections.foreground.leave()

    def pause_writing(self) -> None:
        """The client does not read its answers: stop answering and reading until it does.

        A tunnel instead stops reading its other side; what the client types still goes through (the
        tunnel stops reading the client when its other side cannot take more), and nothing here would
        start reading the client again (resume_writing tells only the tunnel)."""
        self.writable = False
        self.deadline = asyncio.get_running_loop().time() + self.limits.idle_timeout
        if self.upgrade is not None:
            self.upgrade.pause()
        else:
            self._pause_reading()
            if self.connections.foreground is not None and not self._in_foreground:
                self._in_foreground = True  # a big answer on its way: written between background slices
                self.connections.foreground.enter()

    def resume_writing(self) -> None:
        self._leave_foreground()
        self.writable = True
        self.deadline = _INF
        self._wake_writer()
        if self.upgrade is not None:
            self.upgrade.resume()
        elif not self.busy:
            self._pump()

    def expire(self) -> None:
        """The sweep found this connection past its deadline: 408 if a request was arriving, then close."""
        transport = self.transport
        if transport is None:
            return
        if self._in_request and self.writable:
            transport.write(render(error_page(408, "request not received in time"), False))
        self.pending.clear()
        self.transport = None
        transport.close()

    # --- parser callbacks

    def on_message_begin(self) -> None:
        self._in_request = True
        self._url = b""
        self._headers = {}
        self._body = []
        self._size = 0
        self._head_size = 0
        if self.writable:
            self.deadline = self._loop.time() + self.limits.header_timeout

    def on_url(self, url: bytes) -> None:
        self._url += url
        self._count(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        length = self._headers.get("content-length")
        if self.streaming is not None and self.parser.get_method() in STREAMING_METHODS:  # RPC POSTs pass by
            method = self.parser.get_method().decode("latin-1")
            target = self._url.decode("latin-1")
            path, _, query = target.partition("?")
            if self.streaming(method, path):
                stream = self._stream = BodyStream(self, int(length) if length is not None else None)
                self.pending.append(Request(method, path, "HTTP/" + self.parser.get_http_version(), self._headers,
                                            b"", query, self.parser.should_keep_alive(), self.address, stream))  # fmt: skip
                self.deadline = self._loop.time() + self.limits.idle_timeout
                return
        if length is not None and len(length) > 5 and int(length) > MAX_BODY:  # llhttp checked it is digits
            self._fail(413, "request body too large")

    def on_body(self, body: bytes) -> None:
        if self._stream is not None:
            self._stream.feed(body)
            if self.writable:
                self.deadline = self._loop.time() + self.limits.idle_timeout
            return
        self._size += len(body)
        if self._size > MAX_BODY:
            self._fail(413, "request body too large")
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._stream is not None:  # its request went to the handler with its head
            self._stream.end()
            self._stream = None
            self._in_request = False
            self.deadline = _INF
            return
        parser = self.parser
        target = self._url.decode("latin-1")
        path, _, query = target.partition("?")
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        self.pending.append(
            Request(parser.get_method().decode("latin-1"), path, "HTTP/" + parser.get_http_version(),
                    self._headers, body, query, parser.should_keep_alive(), self.address)  # fmt: skip
        )
        self._in_request = False
        self.deadline = _INF

    def _count(self, n: int) -> None:
        self._head_size += n
        if self._head_size > MAX_HEAD:
            self._fail(431, "request head too large")

    def _fail(self, status: int, reason: str) -> None:
        self._error = HttpError(status, reason)
        raise self._error

    # --- answering

    def _pause_reading(self) -> None:
        if self.reading and self.transport is not None:
            self.reading = False
            self.transport.pause_reading()

    def hold_stream(self, hold: bool) -> None:
        """A streaming body's buffer is full (stop reading) or drained (read again)."""
        if hold == self._stream_held:
            return
        self._stream_held = hold
        if hold:
            self._pause_reading()
        elif not self.reading and self.writable and self.transport is not None and not self._upgraded:
            self.reading = True
            self.transport.resume_reading()

    def _wake_writer(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    async def _stream_out(self, req: Request, resp: Response, keep: bool) -> None:
        """Write a streamed answer piece by piece, waiting while the client does not read."""
        assert resp.stream is not None
        chunked = resp.stream_length is None
        pieces = resp.stream
        whole = False
        try:
            async for piece in pieces:
                while self.transport is not None and not self.writable:
                    self._drained = self._loop.create_future()
                    await self._drained
                transport = self.transport
                if transport is None or transport.is_closing():  # gone, or going (its connection_lost is queued)
                    break
                if piece:
                    transport.writelines([b"%x\r\n" % len(piece), piece, b"\r\n"] if chunked else [piece])
                await asyncio.sleep(0)  # a source that never waits (zeros) must not hold the loop
            else:
                whole = True
        except Exception:
            log.exception("HTTP streamed answer failed")
        finally:
            aclose = getattr(pieces, "aclose", None)
            if aclose is not None:
                await aclose()
        self.busy = False
        transport = self.transport
        if transport is None:
            return
        if whole and chunked:
            transport.write(b"0\r\n\r\n")
        if not (whole and keep):  # cut short, or not kept alive: the client sees the end by the close
            transport.close()
            self.transport = None
            return
        self._pump()

    def _stop_parsing(self, rest: bytes) -> None:
        """The parser stopped at an upgrade: a CONNECT tunnel follows, or (any other upgrade) nothing more."""
        self._upgraded = True
        self._upgrade_buf += rest
        if self.pending:
            self.pending[-1].keep_alive = False  # unless its handler takes the connection over: answer, then close

    def _pump(self) -> None:
        foreground = self.connections.foreground
        while self.pending and self.writable and self.transport is not None:
            req = self.pending.popleft()
            if foreground is not None:
                foreground.called()
            try:
                resp = self.handler(req, self.local)
            except Exception:
                log.exception("HTTP handler failed")
                resp = error_page(500, "internal error")
            if not isinstance(resp, Response):  # _finish tells foreground it is answered
                if foreground is not None:
                    foreground.worked()  # the answer's encoding starts next: background work waits for it
                self.busy = True
                self._serving = req
                if req.keep_alive:
                    req.answer_early = self.answer_early
                asyncio.get_running_loop().create_task(self._finish(req, resp))
                return
            if foreground is not None:
                foreground.answered()
            if not self._send(req, resp):
                return
        if self.transport is None or self.pending or not self.writable:
            return
        if self.fatal is not None:
            self.transport.write(render(self.fatal, False))
            self.transport.close()
            self.transport = None
            return
        if self._eof:  # the client half-closed and has every answer: close (after the buffer is flushed)
            self.transport.close()
            self.transport = None
            return
        if not self.reading and not self._upgraded and not self._stream_held:
            self.reading = True
            self.transport.resume_reading()
        if not self._in_request:
            self.deadline = self._loop.time() + self.limits.idle_timeout

    async def _finish(self, req: Request, pending: Awaitable[Response]) -> None:
        try:
            resp = await pending
        except Exception:
            log.exception("HTTP handler failed")
            resp = error_page(500, "internal error")
        finally:
            if self.connections.foreground is not None:
                self.connections.foreground.answered()
        self.busy = False
        self._serving = None
        if self.transport is None:
            return  # the client left; its call ran to completion, the answer goes nowhere
        if resp is ANSWERED or self._send(req, resp):
            self._pump()

    def answer_early(self, req: Request, data: bytes) -> bool:
        """Write the answer of the request being served now, before its handler returns: the event hub
        writes a thousand ``event.from`` answers from one callback, and each handler's task then only
        finishes (returning :data:`ANSWERED`).  ``data`` is the whole answer, rendered for a kept-alive
        connection: a plain one (no pieces, no stream, no upgrade), the same bytes for every caller
        that gets the same answer.  False (nothing written) when the connection is gone or this request
        was answered already; the handler then answers the normal way."""
        transport = self.transport
        if transport is None or req is not self._serving:
            return False
        self._serving = None
        req.answered = True
        transport.write(data)
        return True

    def _send(self, req: Request, resp: Response) -> bool:
        """Write one answer; False when the connection is closing (or taken over) after it."""
        transport = self.transport
        if transport is None:
            return False
        if resp.upgrade is not None and self._upgraded:  # CONNECT, or a GET with Upgrade: (WebSocket)
            transport.write(render_upgrade(resp))
            self.upgrade = resp.upgrade
            self.pending.clear()
            self.deadline = _INF
            initial, self._upgrade_buf = bytes(self._upgrade_buf), bytearray()
            if not self.reading:
                self.reading = True
                transport.resume_reading()
            resp.upgrade.start(transport, initial)
            return False
        keep = req.keep_alive and not resp.close
        if req.stream is not None and not req.stream.complete:
            keep = False  # answered before its body ended (an error): the rest is not read
        if resp.stream is not None:
            transport.write(render_stream_head(resp, keep))
            self.busy = True
            self._streaming_out = self._loop.create_task(self._stream_out(req, resp, keep))
            return False
        if resp.chunks is None:
            transport.write(render(resp, keep))
        else:  # the head (render of an empty body), then the pieces as they are
            transport.writelines([render(resp, keep), *resp.chunks])
        if not keep:
            transport.close()
            self.transport = None
            return False
        return True
