"""A Python client for xenia (and any XenAPI server), over JSON-RPC.

``connect()`` with no URL uses the local unix socket, where the caller is root
without a password.  ``session.xenapi.VM.get_all()`` reads as with the XenAPI
SDK; failures raise :class:`Failure` with xapi's error description.
"""

from __future__ import annotations

import http.client
import itertools
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import orjson

DEFAULT_SOCKET = Path("var/xapi.sock")


class Failure(Exception):
    """A XenAPI error: ``details`` is ``[CODE, params...]``."""

    def __init__(self, details: list[str]) -> None:
        self.details = details
        super().__init__(details)

    @property
    def code(self) -> str:
        return self.details[0] if self.details else ""


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.path)
        self.sock = sock


class _Proxy:
    def __init__(self, session: Session, name: str) -> None:
        self._session = session
        self._name = name

    def __getattr__(self, name: str) -> _Proxy:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Proxy(self._session, f"{self._name}.{name}" if self._name else name)

    def __call__(self, *params: Any) -> Any:
        return self._session.call_with_session(self._name, *params)


class Session:
    """One connection to a XenAPI server and, after login, one session."""

    def __init__(self, url: str | None = None, timeout: float = 600.0) -> None:
        self.url = url or os.environ.get("XENIA_URL") or str(DEFAULT_SOCKET)
        self.timeout = timeout
        self.handle: str | None = None
        self._ids = itertools.count(1)
        self._conn: http.client.HTTPConnection | None = None
        self.xenapi = _Proxy(self, "")

    @property
    def is_local(self) -> bool:
        return not self.url.startswith(("http://", "https://"))

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.is_local:
                self._conn = _UnixConnection(self.url, self.timeout)
            else:
                parsed = urlparse(self.url)
                cls = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
                self._conn = cls(parsed.hostname or "localhost", parsed.port, timeout=self.timeout)
        return self._conn

    def call(self, method: str, *params: Any) -> Any:
        body = orjson.dumps({"jsonrpc": "2.0", "method": method, "params": list(params), "id": next(self._ids)})
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.close_connection()
                if attempt == 2:
                    raise
        if resp.status != 200:
            raise Failure(["HTTP_ERROR", str(resp.status), data.decode(errors="replace")[:200]])
        doc = orjson.loads(data)
        if "error" in doc and doc["error"] is not None:
            err = doc["error"]
            raise Failure([err["message"], *err.get("data", [])])
        return doc.get("result")

    def call_with_session(self, method: str, *params: Any) -> Any:
        if method.startswith("session.login") or method.startswith("login"):
            name = method if method.startswith("session.") else f"session.{method}"
            self.handle = self.call(name, *params)
            return self.handle
        if method in ("logout", "session.logout"):
            self.logout()
            return ""
        return self.call(method, self.handle, *params)

    def login(self, user: str = "root", password: str = "", originator: str = "xenia-cli") -> str:
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
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        try:
            self.logout()
        finally:
            self.close_connection()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(url: str | None = None, user: str | None = None, password: str | None = None) -> Session:
    """A logged-in session: settings from the arguments, else XENIA_URL / XENIA_USER / XENIA_PASSWORD."""
    session = Session(url)
    session.login(user or os.environ.get("XENIA_USER", "root"), password or os.environ.get("XENIA_PASSWORD", ""))
    return session


__all__ = ["Failure", "Session", "connect"]
