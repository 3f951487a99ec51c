"""The web console's consoles: ``GET /console/ws?ref=...&session_id=...`` as a WebSocket to a console server.

A browser cannot send ``CONNECT``; it opens WebSockets.  This is xapi's
``/console`` handler (:mod:`xenia.api.console`) with the same checks and the
same answers before the handshake (401 without a valid session, 403 below
vm-operator, 500 for an unknown or stopped console, 404 when its server cannot
be reached), and after it the same byte stream, carried in binary WebSocket
messages both ways: RFB for noVNC when ``ref`` names an ``rfb`` console or a
VM, the serial console for xterm.js when it names a ``vt100`` console.

The WebSocket protocol is the ``websockets`` library's sans-I/O
``ServerProtocol`` running on the daemon's own HTTP connection (handshake
checks, framing, masking, ping/pong and close), not a second server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from urllib.parse import parse_qs

from websockets.exceptions import InvalidState
from websockets.frames import Frame, Opcode
from websockets.http11 import Request as WsRequest
from websockets.server import ServerProtocol

from xenia.api.console import ConsoleHandler, ConsoleTunnel
from xenia.api.http import Request, Response, error_page

log = logging.getLogger(__name__)

#: the largest message a browser may send (keystrokes, pointer events, clipboard text)
MAX_MESSAGE = 1 << 20


class WebSocketTunnel(ConsoleTunnel):
    """A :class:`ConsoleTunnel` whose client side speaks WebSocket frames instead of raw bytes."""

    def __init__(self, protocol: ServerProtocol) -> None:
        super().__init__()
        self.ws = protocol

    def _flush(self) -> None:
        client = self.client
        for chunk in self.ws.data_to_send():
            if client is None:
                return
            if chunk:
                client.write(chunk)
            else:  # the protocol's end of stream: the close handshake is done
                client.close()
                self.client = client = None

    def start(self, transport: asyncio.Transport, initial: bytes) -> None:
        held = bytes(self._to_client)
        self._to_client.clear()
        self.client = transport
        if held:
            self.ws.send_binary(held)
        self._flush()
        if self.server is None:
            self._close(1011, "console server gone")
        elif initial:
            self.data(initial)

    def data(self, data: bytes) -> None:
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Frame) and event.opcode in (Opcode.BINARY, Opcode.TEXT) and self.server is not None:
                self.server.write(event.data)
        self._flush()
        if self.ws.close_expected() and self.server is not None:
            self.server.close()

    def from_server(self, data: bytes) -> None:
        if self.client is None:
            self._to_client += data
            return
        self.ws.send_binary(data)
        self._flush()

    def server_lost(self) -> None:
        self.server = None
        self._close(1000, "console closed")

    def _close(self, code: int, reason: str) -> None:
        if self.client is None:
            return
        try:
            self.ws.send_close(code, reason)
        except InvalidState:  # already closing
            pass
        self._flush()


class WebSocketConsoleHandler(ConsoleHandler):
    """The ``GET /console/ws`` route: the ``CONNECT /console`` checks, then a WebSocket handshake."""

    def __call__(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        if req.headers.get("upgrade", "").lower() != "websocket":
            return error_page(400, "a WebSocket upgrade is expected here")
        params = {k: v[0] for k, v in parse_qs(req.query).items()}
        if not local:
            refused = self._check_session(req, params)
            if refused is not None:
                return refused
        protocol = ServerProtocol(max_size=MAX_MESSAGE)
        # the protocol parses the handshake itself (its parser then goes on to frames): give it the request's head
        target = req.path + ("?" + req.query if req.query else "")
        head = "".join(f"{k}: {v}\r\n" for k, v in req.headers.items())
        protocol.receive_data(f"GET {target} HTTP/1.1\r\n{head}\r\n".encode("latin-1"))
        events = protocol.events_received()
        if len(events) != 1 or not isinstance(events[0], WsRequest):
            return error_page(400, f"not a WebSocket handshake: {protocol.handshake_exc}")
        answer = protocol.accept(events[0])
        if answer.status_code != 101:
            return Response(answer.status_code, bytes(answer.body), "text/plain", close=True)
        try:
            console = self._console_of_request(params)
        except LookupError as e:
            log.info("console request refused: %s", e)
            return error_page(500, str(e))
        protocol.send_response(answer)
        protocol.data_to_send()  # the handshake's bytes: the HTTP layer writes the 101 itself
        return self._upgrade(console, protocol, list(answer.headers.raw_items()))

    async def _upgrade(self, console: str, protocol: ServerProtocol, headers: list[tuple[str, str]]) -> Response:
        resp = await self._connect(console, WebSocketTunnel(protocol))
        if resp.upgrade is None:
            return resp
        return Response(101, b"", headers=headers, upgrade=resp.upgrade)
