"""xapi's console handler: ``CONNECT /console?ref=...&session_id=...`` tunnels to a VM's console server.

As xapi's ``console.ml`` (what XenCenter and Xen Orchestra use): the request
names a console object or a VM (its ``rfb`` console) by ``ref=`` or ``uuid=``;
the session comes from the ``session_id`` query parameter or cookie (callers on
the local socket are root, as xapi's).  Answers follow xapi:

- no session, or one that is not valid: 401 (``WWW-Authenticate: Basic``);
- a session below vm-operator (xapi's ``connect_console`` permission): 403;
- no ``ref``/``uuid``, an unknown object, a VM not running here: 500;
- a console whose server cannot be reached: 404;
- otherwise ``200 OK`` and from then on the raw byte stream of the console
  server (RFB from QEMU's VNC server, or the serial console) both ways.

The tunnel honours flow control in both directions: a side that stops reading
stops the other side being read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from urllib.parse import parse_qs

from xenia.api.context import App
from xenia.api.http import Request, Response, error_page
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Role
from xenia.drivers.errors import DriverError

log = logging.getLogger(__name__)

#: how long the server of a console may take to accept the tunnel's connection
CONNECT_TIMEOUT = 10.0


class ConsoleTunnel:
    """Bytes between an HTTP client (after the 200) and a console server: an ``http.Upgrade``."""

    def __init__(self) -> None:
        self.client: asyncio.Transport | None = None
        self.server: asyncio.Transport | None = None
        self._to_client = bytearray()  # what the server said before the client's side was handed over

    # the client's side (HttpProtocol calls these)

    def start(self, transport: asyncio.Transport, initial: bytes) -> None:
        self.client = transport
        if self._to_client:
            transport.write(bytes(self._to_client))
            self._to_client.clear()
        if initial and self.server is not None:
            self.server.write(initial)
        if self.server is None:  # the server went away meanwhile
            transport.close()

    def data(self, data: bytes) -> None:
        if self.server is not None:
            self.server.write(data)

    def pause(self) -> None:
        if self.server is not None:
            self.server.pause_reading()

    def resume(self) -> None:
        if self.server is not None:
            self.server.resume_reading()

    def lost(self) -> None:
        self.client = None
        if self.server is not None:
            self.server.close()

    # the server's side (_ServerSide calls these)

    def from_server(self, data: bytes) -> None:
        if self.client is not None:
            self.client.write(data)
        else:
            self._to_client += data

    def server_lost(self) -> None:
        self.server = None
        if self.client is not None:
            self.client.close()


class _ServerSide(asyncio.Protocol):
    def __init__(self, tunnel: ConsoleTunnel) -> None:
        self.tunnel = tunnel

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.tunnel.server = transport  # type: ignore[assignment]  # uvloop's transports do not subclass asyncio's

    def data_received(self, data: bytes) -> None:
        self.tunnel.from_server(data)

    def pause_writing(self) -> None:
        if self.tunnel.client is not None:
            self.tunnel.client.pause_reading()

    def resume_writing(self) -> None:
        if self.tunnel.client is not None:
            self.tunnel.client.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.tunnel.server_lost()


def _unauthorised() -> Response:
    resp = error_page(401, "unauthorised: please check your credentials and retry")
    resp.headers.append(("WWW-Authenticate", 'Basic realm="connect_console"'))
    return resp


class ConsoleHandler:
    """The ``CONNECT /console`` route."""

    def __init__(self, app: App) -> None:
        self.app = app

    def __call__(self, req: Request, local: bool) -> Response | Awaitable[Response]:
        params = {k: v[0] for k, v in parse_qs(req.query).items()}
        if not local:
            refused = self._check_session(req, params)
            if refused is not None:
                return refused
        try:
            console = self._console_of_request(params)
        except LookupError as e:
            log.info("console request refused: %s", e)
            return error_page(500, str(e))
        return self._connect(console, ConsoleTunnel())

    def _check_session(self, req: Request, params: dict[str, str]) -> Response | None:
        session_ref = params.get("session_id") or _cookie(req, "session_id")
        if not session_ref:
            return _unauthorised()
        try:
            session = self.app.sessions.check(session_ref)
        except ApiError:
            return _unauthorised()
        if not session.superuser and session.role < Role.VM_OPERATOR:
            return error_page(403, "access to the requested resource is forbidden")
        return None

    def _console_of_request(self, params: dict[str, str]) -> str:
        """The console object the request names (a VM stands for its rfb console), checked to be running here."""
        db = self.app.db
        if "uuid" in params:
            uuid = params["uuid"]
            ref = db.table("VM").by_uuid.get(uuid) or db.table("console").by_uuid.get(uuid)
        elif "ref" in params:
            ref = params["ref"]
        else:
            raise LookupError("the request for a console lacks a 'ref' or 'uuid' parameter")
        if ref is not None and db.exists("VM", ref):
            rfb = [c for c in db.referrers("console", "VM", ref) if db.get("console", c)["protocol"] == "rfb"]
            if not rfb:
                raise LookupError(f"VM {ref} has no VNC console")
            ref = rfb[0]
        if ref is None or not db.exists("console", ref):
            raise LookupError(f"{params.get('ref') or params.get('uuid')} is neither a VM nor a console")
        vm = db.get("console", ref)["VM"]
        rec = db.get("VM", vm)
        if rec["power_state"] != "Running" or rec["resident_on"] != self.app.host_ref:
            raise LookupError(f"VM {vm} (console {ref}) is not running on this host")
        return ref

    async def _connect(self, console: str, tunnel: ConsoleTunnel) -> Response:
        """Connect ``tunnel`` to the console's server: a 200 that hands it the client, or the error page."""
        db = self.app.db
        rec = db.get("console", console)
        vm_uuid = db.get("VM", rec["VM"])["uuid"]
        try:
            infos = await self.app.services["ops"].driver.console.consoles(vm_uuid)
        except DriverError as e:
            log.info("console of VM %s: %s", vm_uuid, e)
            infos = []
        location = next((i.location for i in infos if i.protocol.value == rec["protocol"]), None)
        loop = asyncio.get_running_loop()
        try:
            if location is None:
                raise OSError("the domain has no such console")
            kind, _, address = location.partition(":")
            if kind == "unix":
                connecting = loop.create_unix_connection(lambda: _ServerSide(tunnel), address)
            elif kind == "tcp":
                host, _, port = address.rpartition(":")
                connecting = loop.create_connection(lambda: _ServerSide(tunnel), host, int(port))
            else:
                raise OSError(f"no server behind console location {location}")
            async with asyncio.timeout(CONNECT_TIMEOUT):
                await connecting
        except (OSError, ValueError, TimeoutError) as e:
            log.info("console %s of VM %s: %s", rec["protocol"], vm_uuid, e)
            return error_page(404, "the console's server cannot be reached")
        return Response(200, b"", headers=[("Connection", "keep-alive"), ("Cache-Control", "no-cache, no-store")],
                        upgrade=tunnel)  # fmt: skip


def _cookie(req: Request, name: str) -> str | None:
    for part in req.headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None
