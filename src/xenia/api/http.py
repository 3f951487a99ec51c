"""HTTP/1.1 for the API: a small sans-I/O request parser and an asyncio protocol.

Only what XenAPI clients use: POST with a Content-Length (or chunked) body,
keep-alive, pipelined requests answered in order, OPTIONS for CORS pre-flight.
Limits follow xapi: RPC bodies over 300 KiB are refused.  A client that goes
away mid-request costs nothing but its buffer; a call already running finishes
(so the db stays consistent) and its answer is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

MAX_BODY = 300 * 1024
MAX_HEAD = 64 * 1024


@dataclass(slots=True)
class Request:
    method: str
    path: str
    version: str
    headers: dict[str, str]
    body: bytes = b""
    #: the raw query string (after ``?``), for GET handlers
    query: str = ""
    #: the client's IP address (TCP; empty on a unix socket), for per-address login limits
    peer: str = ""

    @property
    def keep_alive(self) -> bool:
        conn = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return conn == "keep-alive"
        return conn != "close"


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain"
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False


class HttpError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(status, reason)


_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Request Entity Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class RequestParser:
    """Feed bytes in, take complete requests out.  Raises HttpError on malformed input."""

    def __init__(self, max_body: int = MAX_BODY) -> None:
        self.buf = bytearray()
        self.max_body = max_body
        self._head: Request | None = None
        self._need = 0
        self._chunked = False

    def feed(self, data: bytes) -> list[Request]:
        self.buf += data
        out: list[Request] = []
        while True:
            req = self._next()
            if req is None:
                return out
            out.append(req)

    def _next(self) -> Request | None:
        if self._head is None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > MAX_HEAD:
                    raise HttpError(431, "request head too large")
                return None
            self._head = self._parse_head(bytes(self.buf[:end]))
            del self.buf[: end + 4]
        if self._chunked:
            return self._next_chunked()
        if len(self.buf) < self._need:
            return None
        req = self._head
        req.body = bytes(self.buf[: self._need])
        del self.buf[: self._need]
        self._head = None
        return req

    def _parse_head(self, head: bytes) -> Request:
        try:
            text = head.decode("latin-1")
            line, *lines = text.split("\r\n")
            method, path, version = line.split(" ")
        except ValueError:
            raise HttpError(400, "bad request line") from None
        if not version.startswith("HTTP/1."):
            raise HttpError(400, "unsupported HTTP version")
        headers: dict[str, str] = {}
        for h in lines:
            name, sep, value = h.partition(":")
            if not sep:
                raise HttpError(400, "bad header line")
            headers[name.strip().lower()] = value.strip()
        self._chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if self._chunked:
            self._need = 0
        else:
            try:
                self._need = int(headers.get("content-length", "0"))
            except ValueError:
                raise HttpError(400, "bad content-length") from None
            if self._need < 0:
                raise HttpError(400, "bad content-length")
            if self._need > self.max_body:
                raise HttpError(413, "request body too large")
        target, _, query = path.partition("?")
        return Request(method, target, version, headers, query=query)

    def _next_chunked(self) -> Request | None:
        assert self._head is not None
        body = bytearray()
        pos = 0
        while True:
            eol = self.buf.find(b"\r\n", pos)
            if eol < 0:
                return None
            try:
                size = int(bytes(self.buf[pos:eol]).split(b";")[0], 16)
            except ValueError:
                raise HttpError(400, "bad chunk size") from None
            if len(body) + size > self.max_body:
                raise HttpError(413, "request body too large")
            start = eol + 2
            if size == 0:
                trailer_end = self.buf.find(b"\r\n", start)
                if trailer_end < 0:
                    return None
                del self.buf[: trailer_end + 2]
                req = self._head
                req.body = bytes(body)
                self._head = None
                self._chunked = False
                return req
            if len(self.buf) < start + size + 2:
                return None
            body += self.buf[start : start + size]
            pos = start + size + 2


def render(resp: Response, keep_alive: bool) -> bytes:
    reason = _REASONS.get(resp.status, "Unknown")
    head = [
        f"HTTP/1.1 {resp.status} {reason}",
        f"Content-Length: {len(resp.body)}",
        f"Content-Type: {resp.content_type}",
        "Access-Control-Allow-Origin: *",
        "Access-Control-Allow-Headers: X-Requested-With, Content-Type",
    ]
    head.extend(f"{k}: {v}" for k, v in resp.headers)
    head.append("Connection: keep-alive" if keep_alive and not resp.close else "Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + resp.body


def error_page(status: int, reason: str) -> Response:
    body = f"<html><body><h1>HTTP {status}</h1><p>{reason}</p></body></html>".encode()
    return Response(status, body, "text/html", close=True)


Handler = Callable[[Request, bool], "Response | Awaitable[Response]"]


class HttpProtocol(asyncio.Protocol):
    """One connection: parse requests and answer them one at a time, in order.

    A request whose handler is synchronous is answered inside ``data_received``
    (no task, no queue); one that must wait runs as a task, and requests that
    arrive meanwhile wait their turn.
    """

    def __init__(self, handler: Handler, local: bool) -> None:
        self.handler = handler
        self.local = local
        self.parser = RequestParser()
        self.transport: asyncio.Transport | None = None
        self.pending: deque[Request] = deque()
        self.busy = False
        self.fatal: Response | None = None
        self.peer = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports do not subclass asyncio's
        peername = transport.get_extra_info("peername")
        self.peer = str(peername[0]) if isinstance(peername, tuple) and peername else ""

    def data_received(self, data: bytes) -> None:
        try:
            self.pending.extend(self.parser.feed(data))
        except HttpError as e:
            self.fatal = error_page(e.status, e.reason)
            if self.transport is not None:
                self.transport.pause_reading()
        if not self.busy:
            self._pump()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.pending.clear()

    def _pump(self) -> None:
        while self.pending and self.transport is not None:
            req = self.pending.popleft()
            req.peer = self.peer
            try:
                resp = self.handler(req, self.local)
            except Exception:
                log.exception("HTTP handler failed")
                resp = error_page(500, "internal error")
            if not isinstance(resp, Response):
                self.busy = True
                asyncio.get_running_loop().create_task(self._finish(req, resp))
                return
            if not self._send(req, resp):
                return
        if not self.pending and self.fatal is not None and self.transport is not None:
            self.transport.write(render(self.fatal, False))
            self.transport.close()

    async def _finish(self, req: Request, pending: Awaitable[Response]) -> None:
        try:
            resp = await pending
        except Exception:
            log.exception("HTTP handler failed")
            resp = error_page(500, "internal error")
        self.busy = False
        if self.transport is None:
            return  # the client left; its call ran to completion, the answer goes nowhere
        if self._send(req, resp):
            self._pump()

    def _send(self, req: Request, resp: Response) -> bool:
        """Write one answer; False when the connection is closing after it."""
        transport = self.transport
        if transport is None:
            return False
        keep = req.keep_alive and not resp.close
        transport.write(render(resp, keep))
        if not keep:
            transport.close()
            self.transport = None
            return False
        return True
