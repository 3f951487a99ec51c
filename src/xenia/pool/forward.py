"""Calls from one pool member to another: what runs on a host is done by that host's daemon.

``VM.start_on`` a host that is not this one (and ``VM.start`` placed on another host) is the same
XenAPI call made on the chosen member, as xapi's master forwards it to the slave.  A member proves
it belongs to the pool with the pool secret (kept in etcd beside the db, never in an object clients
can read), and gets a root session on the other member from its ``/pool/session`` route.  Each
member publishes the URL of its API in etcd when it starts listening.

Both ends wait for their copy of the db to catch up with etcd: the called member before it runs the
call (it must see what the calling member just wrote, a VM made a template no more, say), and the
calling member before it answers its client (which next reads what the called member wrote).
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from typing import Any

from xenia.api.http import Request, Response
from xenia.api.sessions import POOL_ORIGINATOR, SessionManager
from xenia.client.aio import AsyncSession
from xenia.client.errors import Failure
from xenia.datamodel.errors import ApiError
from xenia.db.etcd import EtcdBackend

SECRET_HEADER = "x-xenia-pool-secret"
SESSION_PATH = "/pool/session"


class PoolLink:
    def __init__(self, backend: EtcdBackend, sessions: SessionManager, host: str) -> None:
        self.backend = backend
        self.sessions = sessions
        self.host = host
        self.secret = backend.meta_once("pool-secret", secrets.token_hex(32))
        self._peers: dict[str, tuple[str, AsyncSession]] = {}

    def publish(self, url: str) -> None:
        self.backend.set_meta(f"api-url/{self.host}", url)

    async def session_route(self, req: Request, local: bool) -> Response:
        """A root session for a member that shows the pool secret (403 for anybody else)."""
        if req.method != "POST" or not hmac.compare_digest(req.headers.get(SECRET_HEADER, "").encode(),
                                                           self.secret.encode()):  # fmt: skip
            return Response(403, b"forbidden\n", "text/plain")
        ref = await self.sessions.login("root", "", POOL_ORIGINATOR, local=True)
        return Response(200, ref.encode(), "text/plain")

    async def call(self, host: str, method: str, *params: Any) -> Any:
        """``method`` on ``host``'s daemon; its XenAPI errors come back as they are."""
        peer = await self._peer(host)
        try:
            try:
                return await peer.call(method, peer.handle, *params)
            except Failure as e:
                if e.code == "SESSION_INVALID":  # the member restarted: a new session, once
                    self._peers.pop(host, None)
                    peer = await self._peer(host)
                    return await peer.call(method, peer.handle, *params)
                raise ApiError(*e.details) from None
            finally:
                # what the other member wrote is read here next: wait for the watch to bring it
                await self.backend.caught_up()
        except OSError as e:
            self._peers.pop(host, None)
            raise ApiError("HOST_OFFLINE", host) from e

    async def _peer(self, host: str) -> AsyncSession:
        url = await asyncio.to_thread(self.backend.get_meta, f"api-url/{host}")
        known = self._peers.get(host)
        if known is not None and known[0] == url:
            return known[1]
        if url is None:
            raise ApiError("HOST_OFFLINE", host)
        session = AsyncSession(url, timeout=600.0)
        try:
            session.handle = await self._session_from(url)
        except OSError as e:
            raise ApiError("HOST_OFFLINE", host) from e
        self._peers[host] = (url, session)
        return session

    async def _session_from(self, url: str) -> str:
        host, _, port = url.split("://", 1)[1].rstrip("/").rpartition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            writer.write(f"POST {SESSION_PATH} HTTP/1.1\r\nHost: {host}\r\n{SECRET_HEADER}: {self.secret}\r\n"
                         "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())  # fmt: skip
            answer = await reader.read()
        finally:
            writer.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise ApiError("INTERNAL_ERROR", f"the pool member at {url} refused this member: {head[:40]!r}")
        return body.decode().strip()

    async def close(self) -> None:
        for _url, session in self._peers.values():
            await session.close()
        self._peers.clear()
