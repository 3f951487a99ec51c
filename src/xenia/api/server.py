"""The API server: routes HTTP requests to the codecs and the dispatcher.

``POST /`` and ``POST /RPC2`` speak XML-RPC, ``POST /jsonrpc`` JSON-RPC; the
same routes are served on TCP and on the local unix socket, where callers are
root without a password.  Malformed bodies get xapi's HTTP 500; everything that
parses gets an envelope, success or failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from pathlib import Path

from xenia.api.codec import jsonrpc, xmlrpc
from xenia.api.dispatch import Dispatcher, Reply
from xenia.api.http import Handler, HttpProtocol, Request, Response, error_page

log = logging.getLogger(__name__)

_XML = "text/xml"
_JSON = "application/json"


def _json_response(call: jsonrpc.JsonCall, reply: Reply) -> Response:
    if reply.ok:
        return Response(200, jsonrpc.success(call, reply.value), _JSON)
    assert reply.error is not None
    return Response(200, jsonrpc.failure(call, reply.error), _JSON)


class ApiServer:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.servers: list[asyncio.Server] = []
        #: GET handlers outside the API (the metrics' /rrd_updates, /metrics, ...), if attached
        self.get_handler: Handler | None = None

    def handle(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        """Answer a request, synchronously when its handler is (the common case for getters)."""
        if req.method == "POST":
            if req.path in ("/", "/RPC2"):
                return self._xmlrpc(req, local)
            if req.path in ("/jsonrpc", "/json"):
                return self._jsonrpc(req, local)
            return error_page(404, "not found")
        if req.method == "OPTIONS":
            return Response(200, b"", "text/plain", [("Access-Control-Allow-Methods", "POST, OPTIONS")])
        if req.method == "GET" and req.path == "/":
            return Response(200, b"xenia: XenAPI on POST / (XML-RPC) and POST /jsonrpc (JSON-RPC)\n")
        if req.method == "GET" and self.get_handler is not None:
            return self.get_handler(req, local)
        return error_page(405 if req.path in ("/", "/RPC2", "/jsonrpc") else 404, "not found")

    def _xmlrpc(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        try:
            method, params, bad_utf8 = xmlrpc.parse_call(req.body)
        except xmlrpc.ParseError as e:
            return error_page(500, f"Xmlrpc.Parse_error: {e}")
        reply = self.dispatcher.call_nowait(method, params, local=local, bad_utf8=bad_utf8, peer=req.peer)
        if isinstance(reply, Reply):
            return Response(200, self.dispatcher.encode_xml(reply), _XML)
        return self._xml_later(reply)

    async def _xml_later(self, pending: Awaitable[Reply]) -> Response:
        return Response(200, self.dispatcher.encode_xml(await pending), _XML)

    def _jsonrpc(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        try:
            call = jsonrpc.parse_call(req.body)
        except jsonrpc.ParseError as e:
            return error_page(500, f"Jsonrpc.Malformed_method_request: {e}")
        reply = self.dispatcher.call_nowait(call.method, call.params, local=local, bad_utf8=call.bad_utf8,
                                            peer=req.peer)  # fmt: skip
        if isinstance(reply, Reply):
            return _json_response(call, reply)
        return self._json_later(call, reply)

    async def _json_later(self, call: jsonrpc.JsonCall, pending: Awaitable[Reply]) -> Response:
        return _json_response(call, await pending)

    async def listen_tcp(self, host: str, port: int) -> int:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: HttpProtocol(self.handle, local=False), host, port, backlog=1024)
        self.servers.append(server)
        sock = server.sockets[0]
        bound: int = sock.getsockname()[1]
        return bound

    async def listen_unix(self, path: Path) -> None:
        loop = asyncio.get_running_loop()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        server = await loop.create_unix_server(lambda: HttpProtocol(self.handle, local=True), str(path), backlog=1024)
        path.chmod(0o600)
        self.servers.append(server)

    async def close(self) -> None:
        for server in self.servers:
            server.close()
        for server in self.servers:
            await server.wait_closed()
        self.servers.clear()
