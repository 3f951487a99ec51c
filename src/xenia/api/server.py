"""The API server: routes HTTP requests to the codecs and the dispatcher.

Routing is xapi's (``http_svr.ml``): per HTTP method, the handler registered
for the longest prefix of the request's path answers, so XML-RPC, registered
on ``POST /``, answers every POST path no other handler claims (Xen
Orchestra's client posts to ``/xmlrpc``).  A method with no handler at all gets
501, a path no prefix matches 403, as xapi's default callback.  Other parts
add their handlers with :meth:`ApiServer.route` (``GET /rrd_updates``,
``PUT /import``, ``CONNECT /console`` ...).

The same routes are served on TCP, on TLS and on the local unix socket, where
callers are root without a password.  Malformed bodies get xapi's HTTP 500;
everything that parses gets an envelope, success or failure.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable, Hashable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from xenia.api.codec import jsonrpc, sliced, xmlrpc
from xenia.api.dispatch import Dispatcher, Reply
from xenia.api.events import EARLY_ANSWER
from xenia.api.http import (
    ANSWERED,
    STREAMING_METHODS,
    Connections,
    Handler,
    HttpLimits,
    HttpProtocol,
    Request,
    Response,
    error_page,
    render,
)
from xenia.api.webui import WebFiles
from xenia.datamodel.meta import Type
from xenia.util.foreground import Foreground

log = logging.getLogger(__name__)

_XML = "text/xml"
_JSON = "application/json"


def _json_response(call: jsonrpc.JsonCall, reply: Reply) -> Response:
    if reply.ok:
        return Response(200, jsonrpc.success(call, reply.value), _JSON)
    assert reply.error is not None
    return Response(200, jsonrpc.failure(call, reply.error), _JSON)


# The methods xapi has handlers for (``Http.method_t``): a path none of them claims is 403 (its default
# callback), any other method 501, whether or not xenia has registered a handler for the method yet.
_XAPI_METHODS = frozenset({"GET", "POST", "PUT", "CONNECT", "OPTIONS"})


async def _ready(reply: Reply) -> Reply:
    return reply


async def _gather(pieces: Iterator[bytes], foreground: Foreground) -> list[bytes]:
    """The pieces of an answer encoded in slices, letting the event loop serve other calls between
    slices; kept apart (the HTTP layer writes them with ``writelines``) since joining 70 MB stalls too.
    Counted in ``foreground`` meanwhile: background work waits (:mod:`xenia.util.foreground`)."""
    out: list[bytes] = []
    foreground.enter()
    try:
        for piece in pieces:
            out.append(piece)
            await asyncio.sleep(0)
    finally:
        foreground.leave()
    return out


class Router:
    """(method, path prefix) -> handler; the longest matching prefix wins, as in xapi's radix tree."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[str, Handler]]] = {}
        #: (method, prefix) of the routes whose bodies stream (see :class:`xenia.api.http.BodyStream`)
        self.streaming: set[tuple[str, str]] = set()

    def add(self, method: str, prefix: str, handler: Handler, streaming: bool = False) -> None:
        if streaming and method.encode() not in STREAMING_METHODS:
            raise ValueError(f"a streaming route is a GET or a PUT, not {method}")
        (self.streaming.add if streaming else self.streaming.discard)((method, prefix))
        routes = [r for r in self.routes.get(method, []) if r[0] != prefix]
        routes.append((prefix, handler))
        routes.sort(key=lambda r: len(r[0]), reverse=True)
        self.routes[method] = routes

    def streams(self, method: str, path: str) -> bool:
        """Whether the route that will answer this request reads its body as a stream."""
        if not self.streaming:
            return False
        for prefix, _ in self.routes.get(method, ()):
            if path.startswith(prefix):
                return (method, prefix) in self.streaming
        return False

    def handle(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        routes = self.routes.get(req.method)
        if routes is None:
            if req.method in _XAPI_METHODS:
                return error_page(403, "access to the requested resource is forbidden")
            return error_page(501, "method not implemented")
        path = req.path
        for prefix, handler in routes:
            if path.startswith(prefix):
                return handler(req, local)
        return error_page(403, "access to the requested resource is forbidden")


class ApiServer:
    def __init__(
        self, dispatcher: Dispatcher, limits: HttpLimits | None = None, foreground: Foreground | None = None
    ) -> None:
        self.dispatcher = dispatcher
        #: the big answers being encoded, which background work gives way to
        self.foreground = foreground if foreground is not None else Foreground()
        self.servers: list[asyncio.Server] = []
        self.limits = limits or HttpLimits()
        self.tcp_connections = Connections(self.limits, self.foreground)  # plain and TLS listeners share the limits
        self.unix_connections = Connections(self.limits, self.foreground)
        self.router = Router()
        self.handle = self.router.handle
        self.route("POST", "/", self._xmlrpc)  # and every POST path no other handler claims
        self.route("POST", "/json", self._jsonrpc)
        self.route("POST", "/jsonrpc", self._jsonrpc)
        self.route("OPTIONS", "/", self._options)
        self.route("GET", "/", WebFiles())  # the web console (issue 17), xapi's file handler under GET /

    def route(self, method: str, prefix: str, handler: Handler, streaming: bool = False) -> None:
        """Serve ``method`` requests whose path starts with ``prefix`` (the longest registered prefix wins);
        ``streaming``: the handler reads the body from ``Request.stream`` as it arrives, with no size limit."""
        self.router.add(method, prefix, handler, streaming)

    @staticmethod
    def _options(req: Request, local: bool) -> Response:
        """CORS pre-flight, as xapi's ``respond_to_options``."""
        asked = req.headers.get("access-control-request-headers")
        allow = f"{asked}, X-Requested-With" if asked else "X-Requested-With"
        return Response(200, b"", "text/plain", [("Access-Control-Allow-Headers", allow),
                                                 ("Access-Control-Allow-Methods", "POST, OPTIONS")])  # fmt: skip

    def _xmlrpc(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        try:
            method, params, bad_utf8 = xmlrpc.parse_call(req.body)
        except xmlrpc.ParseError as e:
            return error_page(500, f"Xmlrpc.Parse_error: {e}")
        reply = self.dispatcher.call_nowait(method, params, local=local, bad_utf8=bad_utf8, peer=req.peer)
        if isinstance(reply, Reply):
            if reply.ok and sliced.is_large(reply.value, reply.type):
                return self._xml_later(_ready(reply))
            return Response(200, self.dispatcher.encode_xml(reply), _XML)
        return self._xml_later(reply, req)

    async def _xml_later(self, pending: Awaitable[Reply], req: Request | None = None) -> Response:
        reply = await _reply_or_early_answer(pending, req, _XML, self._xml_answer)
        if reply is None:
            return ANSWERED
        if reply.ok and not reply.bare and reply.type is not None and sliced.is_large(reply.value, reply.type):
            chunks = await _gather(sliced.xml_success(self.dispatcher.encoders, reply.value, reply.type), self.foreground)
            return Response(200, b"", _XML, chunks=chunks)
        return Response(200, self.dispatcher.encode_xml(reply), _XML)

    def _jsonrpc(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        try:
            call = jsonrpc.parse_call(req.body)
        except jsonrpc.ParseError as e:
            return error_page(500, f"Jsonrpc.Malformed_method_request: {e}")
        reply = self.dispatcher.call_nowait(call.method, call.params, local=local, bad_utf8=call.bad_utf8,
                                            peer=req.peer)  # fmt: skip
        if isinstance(reply, Reply):
            if reply.ok and sliced.is_large(reply.value, reply.type):
                return self._json_later(call, _ready(reply))
            return _json_response(call, reply)
        return self._json_later(call, reply, req)

    async def _json_later(
        self, call: jsonrpc.JsonCall, pending: Awaitable[Reply], req: Request | None = None
    ) -> Response:
        reply = await _reply_or_early_answer(pending, req, (call.v2, call.id), partial(self._json_answer, call))
        if reply is None:
            return ANSWERED
        if reply.ok and reply.type is not None and sliced.is_large(reply.value, reply.type):
            chunks = await _gather(sliced.json_success(call, reply.value, reply.type), self.foreground)
            return Response(200, b"", _JSON, chunks=chunks)
        if reply.ok and reply.type is not None and (encode := self.dispatcher.json_encoders.get(reply.type)):
            return Response(200, jsonrpc.success(call, encode(reply.value)), _JSON)
        return _json_response(call, reply)

    def _json_answer(self, call: jsonrpc.JsonCall, value: Any, t: Type) -> Response:
        """The JSON-RPC answer of ``value`` (a batch a wake-up hands to many watchers: its encoding is
        made once, by the type's encoder, and spliced into each caller's envelope)."""
        encode = self.dispatcher.json_encoders.get(t)
        return Response(200, jsonrpc.success(call, encode(value) if encode is not None else value), _JSON)

    def _xml_answer(self, value: Any, t: Type) -> Response:
        """The XML-RPC answer of ``value``: it has no envelope of its own (no id), so every XML-RPC
        watcher of one batch gets the same bytes."""
        return Response(200, self.dispatcher.encode_xml(Reply(True, value, t)), _XML)

    async def listen_tcp(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> int:
        """Listen on TCP (with TLS when given a context); returns the bound port."""
        server = await self.tcp_server(host, port, tls)
        bound: int = server.sockets[0].getsockname()[1]
        return bound

    async def tcp_server(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> asyncio.Server:
        """Listen on TCP; the server, for a caller that stops this listener alone (:meth:`stop_server`)."""
        loop = asyncio.get_running_loop()
        conns = self.tcp_connections
        server = await loop.create_server(lambda: HttpProtocol(self.handle, False, conns, self.router.streams), host, port,
                                          backlog=1024, ssl=tls, ssl_handshake_timeout=self.limits.header_timeout if tls else None)  # fmt: skip
        self.servers.append(server)
        return server

    async def stop_server(self, server: asyncio.Server) -> None:
        """Stop accepting on one listener; connections it already accepted go on being served."""
        server.close()
        if server in self.servers:
            self.servers.remove(server)

    async def listen_unix(self, path: Path) -> None:
        loop = asyncio.get_running_loop()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        conns = self.unix_connections
        server = await loop.create_unix_server(
            lambda: HttpProtocol(self.handle, True, conns, self.router.streams), str(path), backlog=1024
        )
        path.chmod(0o600)
        self.servers.append(server)

    async def close(self) -> None:
        for server in self.servers:
            server.close()
        for server in self.servers:
            await server.wait_closed()
        self.servers.clear()
        self.tcp_connections.close()
        self.unix_connections.close()


class _EarlyAnswer:
    """How the event hub writes an ``event.from`` answer at the wake-up (:class:`xenia.api.events.EarlyAnswer`):
    rendered once per envelope by ``respond``, written ahead of the call's return on its connection
    (``send`` goes straight to the connection's ``answer_early``, which marks the request answered)."""

    __slots__ = ("envelope", "respond", "send")

    def __init__(self, req: Request, write: Callable[[Request, bytes], bool], envelope: Hashable,
                 respond: Callable[[Any, Type], Response]) -> None:  # fmt: skip
        self.envelope = envelope
        self.respond = respond
        self.send: Callable[[bytes], bool] = partial(write, req)

    def render(self, value: Any, t: Type, /) -> bytes:
        return render(self.respond(value, t), True)


async def _reply_or_early_answer(pending: Awaitable[Reply], req: Request | None, envelope: Hashable,
                                 respond: Callable[[Any, Type], Response]) -> Reply | None:  # fmt: skip
    """Await a call's reply; meanwhile the event hub may write the answer itself at the wake-up
    (:data:`EARLY_ANSWER`, with ``respond`` making it): None then, nothing is left to write.
    Answers of one batch with equal ``envelope`` are the same bytes (JSON-RPC: version and id)."""
    write = req.answer_early if req is not None else None
    if req is None or write is None:  # not a connection that can take it (not kept alive)
        return await pending
    token = EARLY_ANSWER.set(_EarlyAnswer(req, write, envelope, respond))
    try:
        reply = await pending
    finally:
        EARLY_ANSWER.reset(token)
    return None if req.answered else reply
