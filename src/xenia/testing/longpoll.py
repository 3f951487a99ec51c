"""A minimal asyncio JSON-RPC client: one keep-alive connection per instance, many in one process.

Threads and the XenAPI SDK cannot hold a thousand ``event.from`` calls open at
once on a small machine; this can.  Used by the event tests and ``bench/events.py``.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import orjson


class RpcFailure(Exception):
    def __init__(self, details: list[str]) -> None:
        self.details = details
        super().__init__(details)


class AioRpc:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.session = ""
        self._ids = itertools.count(1)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self) -> AioRpc:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def login(self, user: str, password: str, originator: str = "aiorpc") -> str:
        self.session = await self.call("session.login_with_password", user, password, "2.0", originator)
        return self.session

    async def call(self, method: str, *params: Any) -> Any:
        assert self._reader is not None and self._writer is not None
        body = orjson.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": next(self._ids)})
        head = f"POST /jsonrpc HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
        self._writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        status = await self._reader.readline()
        length = 0
        while True:
            line = await self._reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self._reader.readexactly(length)
        if not status.startswith(b"HTTP/1.1 200"):
            raise RpcFailure(["HTTP_ERROR", status.decode().strip()])
        doc = orjson.loads(data)
        if "error" in doc:
            raise RpcFailure([doc["error"]["message"], *doc["error"].get("data", [])])
        return doc["result"]

    async def xenapi(self, method: str, *params: Any) -> Any:
        """A call with the session first."""
        return await self.call(method, self.session, *params)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except OSError:
                pass
            self._writer = None
