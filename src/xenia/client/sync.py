"""The blocking client: one connection (kept alive) and, after login, one session."""

from __future__ import annotations

import itertools
import os
import socket
import ssl
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from xenia.client._proxy import Proxy
from xenia.client.errors import ConnectionFailed, Failure
from xenia.client.protocol import Endpoint, HttpResponse, ResponseParser, decode_reply, encode_request, parse_url
from xenia.client.settings import ConnectionSettings, default_url
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

#: called with (fraction 0..1, task status) while a task runs
ProgressCallback = Callable[[float, str], None]


def tls_context(verify: bool) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Session:
    """A connection to a XenAPI server speaking JSON-RPC, and the session it logs in.

    ``Session()`` with no URL uses ``$XENIA_URL`` or the local socket.  Calls
    are made with :meth:`call` (raw: the caller passes the session ref) or
    through ``session.xenapi.Class.message(args)``, which prepends the session
    as the XenAPI SDK does.  XenAPI errors raise :class:`Failure`; an
    unreachable server raises :class:`ConnectionFailed` (an ``OSError``).
    """

    def __init__(self, url: str | None = None, timeout: float = 600.0, *, verify_tls: bool = True) -> None:
        self.url = url or os.environ.get("XENIA_URL") or default_url()
        self.endpoint: Endpoint = parse_url(self.url)
        self.timeout = timeout
        self.verify_tls = verify_tls
        #: the session ref after login, else None
        self.handle: str | None = None
        self._ids = itertools.count(1)
        self._sock: socket.socket | None = None
        self._methods: frozenset[str] | None = None
        self.xenapi = Proxy(self.call_with_session)

    @classmethod
    def from_settings(cls, settings: ConnectionSettings) -> Session:
        return cls(settings.url, settings.timeout, verify_tls=settings.verify_tls)

    @property
    def is_local(self) -> bool:
        """True on the daemon's unix socket, where the caller is root without a password."""
        return self.endpoint.is_local

    # ------------------------------------------------------------------ transport

    def _open(self) -> socket.socket:
        ep = self.endpoint
        if ep.unix_path is not None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(ep.unix_path)
            except BaseException:
                sock.close()
                raise
            return sock
        sock = socket.create_connection((ep.host, ep.port), timeout=self.timeout)
        if ep.tls:
            try:
                return tls_context(self.verify_tls).wrap_socket(sock, server_hostname=ep.host)
            except BaseException:
                sock.close()
                raise
        return sock

    def open_socket(self) -> socket.socket:
        """A new connection to the server (unix socket, TCP or TLS as the URL says), for HTTP beside
        the API: the import/export routes (:mod:`xenia.cli.transfer`)."""
        return self._open()

    def _roundtrip(self, request: bytes) -> HttpResponse:
        """Send one request and read its response; retry once if a kept-alive connection went stale."""
        for attempt in (1, 2):
            reused = self._sock is not None
            parser = ResponseParser()
            try:
                if self._sock is None:
                    self._sock = self._open()
                sock = self._sock
                sock.sendall(request)
                resp = None
                while resp is None:
                    chunk = sock.recv(65536)
                    if not chunk:
                        if reused and not parser.started:
                            raise ConnectionResetError("kept-alive connection closed by the server")
                        resp = parser.eof()
                    else:
                        resp = parser.feed(chunk)
            except OSError as e:
                self.close_connection()
                if reused and not parser.started and attempt == 1:
                    continue  # the server closed an idle connection: the request was never read
                raise ConnectionFailed(self.url, e) from e
            if resp.close:
                self.close_connection()
            return resp
        raise AssertionError("unreachable")

    def call(self, method: str, *params: Any) -> Any:
        """Call ``method`` with exactly these params (pass the session ref yourself)."""
        call_id = next(self._ids)
        resp = self._roundtrip(encode_request(self.endpoint, method, list(params), call_id))
        return decode_reply(resp, call_id)

    def call_with_session(self, method: str, *params: Any) -> Any:
        """Call ``method`` with the session ref first; login and logout names are handled as the SDK does."""
        if method.startswith(("session.login", "login", "session.slave_local", "slave_local")):
            name = method if method.startswith("session.") else f"session.{method}"
            self.handle = self.call(name, *params)
            return self.handle
        if method in ("logout", "session.logout"):
            self.logout()
            return ""
        return self.call(method, self.handle, *params)

    # ------------------------------------------------------------------ session

    def login(self, user: str = "root", password: str = "", originator: str = "xenia-client") -> str:
        handle: str = self.call("session.login_with_password", user, password, "2.0", originator)
        self.handle = handle
        return handle

    def logout(self) -> None:
        if self.handle is not None:
            try:
                self.call("session.logout", self.handle)
            finally:
                self.handle = None

    def close_connection(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def close(self) -> None:
        """Log out (if logged in) and close the connection."""
        try:
            self.logout()
        finally:
            self.close_connection()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers

    def list_methods(self) -> frozenset[str]:
        """The server's wire names (``system.listMethods``), fetched once."""
        if self._methods is None:
            self._methods = frozenset(self.call("system.listMethods"))
        return self._methods

    def has_method(self, name: str) -> bool:
        return name in self.list_methods()

    def run(self, steps: Generator[Step, Any, Any], on_progress: ProgressCallback | None = None) -> Any:
        """Drive a sans-I/O step generator (see :mod:`xenia.client.tasks`) with blocking I/O."""
        reply: Any = None
        error: Failure | None = None
        try:
            while True:
                step = steps.throw(error) if error is not None else steps.send(reply)
                reply, error = None, None
                if isinstance(step, Call):
                    try:
                        reply = self.call_with_session(step.method, *step.params)
                    except Failure as e:
                        error = e
                elif isinstance(step, Sleep):
                    time.sleep(step.seconds)
                elif isinstance(step, Progress) and on_progress is not None:
                    on_progress(step.fraction, step.status)
        except StopIteration as stop:
            return stop.value

    def wait_task(self, task: str, on_progress: ProgressCallback | None = None) -> TaskRecord:
        """Block until the task finishes; return its final record."""
        record: TaskRecord = self.run(follow_task(task), on_progress)
        return record

    def task_result(self, task: str, on_progress: ProgressCallback | None = None, *, destroy: bool = True) -> Any:
        """Wait for a task, destroy it (if the server can), and return its result or raise its error."""
        record = self.wait_task(task, on_progress)
        if destroy:
            try:
                self.call_with_session("task.destroy", task)
            except Failure:
                pass  # no task.destroy on this server, or already gone: the server's GC will do it
        return task_outcome(task, record)

    def event_from(self, classes: list[str], token: str, timeout: float) -> EventBatch:
        batch: EventBatch = self.call_with_session("event.from", classes, token, timeout)
        return batch

    def events(self, classes: list[str], timeout: float = 30.0, token: str = "") -> Iterator[EventRecord]:
        """Every event on ``classes`` from ``token`` on ("" = an ``add`` for each existing object), forever."""
        while True:
            batch = self.event_from(classes, token, timeout)
            token = batch["token"]
            yield from batch["events"]


def connect(url: str | None = None, user: str | None = None, password: str | None = None,
            settings: ConnectionSettings | None = None) -> Session:  # fmt: skip
    """A logged-in session; missing settings come from the environment and config file (see settings)."""
    from xenia.client.settings import resolve_settings

    settings = settings or resolve_settings(url=url, user=user, password=password)
    session = Session.from_settings(settings)
    try:
        session.login(settings.user, settings.password, settings.originator)
    except BaseException:
        session.close_connection()
        raise
    return session


__all__ = ["ProgressCallback", "Session", "connect"]
