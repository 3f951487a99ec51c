"""The asyncio client: the same calls as :class:`xenia.client.Session`, awaited.

Each call takes an idle connection from a small pool (or opens one), so
concurrent calls on one session — say an ``event.from`` that blocks for 30 s
and ordinary getters beside it — each get their own connection.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator, Generator
from typing import Any

from xenia.client._proxy import Proxy
from xenia.client.errors import ConnectionFailed, Failure
from xenia.client.protocol import Endpoint, HttpResponse, ResponseParser, decode_reply, encode_request, parse_url
from xenia.client.settings import ConnectionSettings, default_url
from xenia.client.sync import ProgressCallback, tls_context
from xenia.client.tasks import (
    Call,
    EventBatch,
    EventRecord,
    Progress,
    Sleep,
    Step,
    TaskRecord,
    follow_task,
    task_outcome,
)

_Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class AsyncSession:
    """An asyncio connection pool to a XenAPI server and, after login, one session.

    ``await session.xenapi.VM.get_all()`` reads as with the sync client.
    """

    def __init__(self, url: str | None = None, timeout: float = 600.0, *, verify_tls: bool = True,
                 max_idle: int = 4) -> None:  # fmt: skip
        self.url = url or os.environ.get("XENIA_URL") or default_url()
        self.endpoint: Endpoint = parse_url(self.url)
        self.timeout = timeout
        self.verify_tls = verify_tls
        self.handle: str | None = None
        self._ids = itertools.count(1)
        self._idle: list[_Conn] = []
        self._max_idle = max_idle
        self._methods: frozenset[str] | None = None
        self.xenapi = Proxy(self.call_with_session)

    @classmethod
    def from_settings(cls, settings: ConnectionSettings) -> AsyncSession:
        return cls(settings.url, settings.timeout, verify_tls=settings.verify_tls)

    @property
    def is_local(self) -> bool:
        return self.endpoint.is_local

    # ------------------------------------------------------------------ transport

    async def _open(self) -> _Conn:
        ep = self.endpoint
        if ep.unix_path is not None:
            return await asyncio.open_unix_connection(ep.unix_path)
        ctx = tls_context(self.verify_tls) if ep.tls else None
        return await asyncio.open_connection(ep.host, ep.port, ssl=ctx, server_hostname=ep.host if ctx else None)

    @staticmethod
    def _discard(conn: _Conn) -> None:
        conn[1].close()

    async def _exchange(self, conn: _Conn, request: bytes, parser: ResponseParser) -> HttpResponse:
        reader, writer = conn
        writer.write(request)
        await writer.drain()
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                if not parser.started:
                    raise ConnectionResetError("connection closed by the server")
                return parser.eof()
            resp = parser.feed(chunk)
            if resp is not None:
                return resp

    async def _roundtrip(self, request: bytes) -> HttpResponse:
        for attempt in (1, 2):
            reused = bool(self._idle)
            parser = ResponseParser()
            conn: _Conn | None = None
            try:
                async with asyncio.timeout(self.timeout):
                    conn = self._idle.pop() if self._idle else await self._open()
                    resp = await self._exchange(conn, request, parser)
            except (OSError, TimeoutError) as e:
                if conn is not None:
                    self._discard(conn)
                if reused and not parser.started and attempt == 1:
                    continue
                raise ConnectionFailed(self.url, e) from e
            except BaseException:  # cancelled mid-call: the connection is in an unknown state
                if conn is not None:
                    self._discard(conn)
                raise
            if resp.close or len(self._idle) >= self._max_idle:
                self._discard(conn)
            else:
                self._idle.append(conn)
            return resp
        raise AssertionError("unreachable")

    async def call(self, method: str, *params: Any) -> Any:
        call_id = next(self._ids)
        resp = await self._roundtrip(encode_request(self.endpoint, method, list(params), call_id))
        return decode_reply(resp, call_id)

    async def call_with_session(self, method: str, *params: Any) -> Any:
        if method.startswith(("session.login", "login", "session.slave_local", "slave_local")):
            name = method if method.startswith("session.") else f"session.{method}"
            self.handle = await self.call(name, *params)
            return self.handle
        if method in ("logout", "session.logout"):
            await self.logout()
            return ""
        return await self.call(method, self.handle, *params)

    # ------------------------------------------------------------------ session

    async def login(self, user: str = "root", password: str = "", originator: str = "xenia-client") -> str:
        handle: str = await self.call("session.login_with_password", user, password, "2.0", originator)
        self.handle = handle
        return handle

    async def logout(self) -> None:
        if self.handle is not None:
            try:
                await self.call("session.logout", self.handle)
            finally:
                self.handle = None

    def close_connections(self) -> None:
        while self._idle:
            self._discard(self._idle.pop())

    async def close(self) -> None:
        try:
            await self.logout()
        finally:
            self.close_connections()

    async def __aenter__(self) -> AsyncSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ helpers

    async def list_methods(self) -> frozenset[str]:
        if self._methods is None:
            self._methods = frozenset(await self.call("system.listMethods"))
        return self._methods

    async def has_method(self, name: str) -> bool:
        return name in await self.list_methods()

    async def run(self, steps: Generator[Step, Any, Any], on_progress: ProgressCallback | None = None) -> Any:
        """Drive a sans-I/O step generator (see :mod:`xenia.client.tasks`) with asyncio."""
        reply: Any = None
        error: Failure | None = None
        try:
            while True:
                step = steps.throw(error) if error is not None else steps.send(reply)
                reply, error = None, None
                if isinstance(step, Call):
                    try:
                        reply = await self.call_with_session(step.method, *step.params)
                    except Failure as e:
                        error = e
                elif isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                elif isinstance(step, Progress) and on_progress is not None:
                    on_progress(step.fraction, step.status)
        except StopIteration as stop:
            return stop.value

    async def wait_task(self, task: str, on_progress: ProgressCallback | None = None) -> TaskRecord:
        record: TaskRecord = await self.run(follow_task(task), on_progress)
        return record

    async def task_result(self, task: str, on_progress: ProgressCallback | None = None, *,
                          destroy: bool = True) -> Any:  # fmt: skip
        record = await self.wait_task(task, on_progress)
        if destroy:
            try:
                await self.call_with_session("task.destroy", task)
            except Failure:
                pass
        return task_outcome(task, record)

    async def event_from(self, classes: list[str], token: str, timeout: float) -> EventBatch:
        batch: EventBatch = await self.call_with_session("event.from", classes, token, timeout)
        return batch

    async def events(self, classes: list[str], timeout: float = 30.0, token: str = "") -> AsyncIterator[EventRecord]:
        while True:
            batch = await self.event_from(classes, token, timeout)
            token = batch["token"]
            for event in batch["events"]:
                yield event


async def connect_async(url: str | None = None, user: str | None = None, password: str | None = None,
                        settings: ConnectionSettings | None = None) -> AsyncSession:  # fmt: skip
    """A logged-in asyncio session; missing settings come from the environment and config file."""
    from xenia.client.settings import resolve_settings

    settings = settings or resolve_settings(url=url, user=user, password=password)
    session = AsyncSession.from_settings(settings)
    try:
        await session.login(settings.user, settings.password, settings.originator)
    except BaseException:
        session.close_connections()
        raise
    return session


__all__ = ["AsyncSession", "connect_async"]
