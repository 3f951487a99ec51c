"""``host.https_only``: whether the plain-HTTP listener is open, and closing or opening it while serving.

xapi's ``host.set_https_only`` closes or opens port 80 in the host's firewall and keeps HTTPS
on 443.  xenia's plain listener is its ``--listen`` address, so ``set_https_only true`` stops
accepting there (connections already made are served to their end, as a firewall rule for new
connections leaves them) and ``false`` listens there again.  The choice is kept in the state
directory (``https-only``), so a restart keeps the listener closed; ``--listen ""`` closes it
from the command line.  Closing needs a TLS listener to be left (else only the local socket
would remain) and opening needs a plain address: otherwise ``OPERATION_NOT_ALLOWED``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from xenia.api.server import ApiServer
from xenia.datamodel.errors import ApiError

MARKER = "https-only"


class PlainListener:
    """The plain-HTTP TCP listener (``--listen``), which the API may close and open again."""

    def __init__(self, api: ApiServer, state_dir: Path, address: str | None, has_tls: bool) -> None:
        self.api = api
        self.marker = state_dir / MARKER
        self.host, _, port = (address or "").rpartition(":")
        self.port = int(port) if address else 0
        self.address = address
        self.has_tls = has_tls
        self.server: asyncio.Server | None = None
        self._lock = asyncio.Lock()

    @property
    def https_only(self) -> bool:
        """What ``host.https_only`` says: no plain listener while TLS serves."""
        return self.server is None and self.has_tls

    async def start(self) -> int | None:
        """Listen unless there is no address, or the API closed plain HTTP before (and TLS serves)."""
        if not self.address or (self.has_tls and self.marker.exists()):
            return None
        self.server = await self.api.tcp_server(self.host or "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]  # the same port when opened again
        return self.port

    async def set_https_only(self, value: bool) -> None:
        async with self._lock:
            if value == self.https_only:
                return
            if value:
                if not self.has_tls:
                    raise ApiError(
                        "OPERATION_NOT_ALLOWED", "no TLS listener would be left (start xenia with --tls-listen)"
                    )
                assert self.server is not None
                await self.api.stop_server(self.server)
                self.server = None
                self.marker.touch()
            else:
                if not self.address:
                    raise ApiError("OPERATION_NOT_ALLOWED", "no plain HTTP address to open (start xenia with --listen)")
                self.marker.unlink(missing_ok=True)
                await self.start()
