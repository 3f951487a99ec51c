"""What the web console stands on, as HTTP clients see it: its files under ``GET /`` on HTTP and HTTPS,
and ``GET /console/ws`` answering as xapi's ``/console`` does before the WebSocket handshake."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.http.test_tls import TlsDaemon, unverified
from tests.qemu.test_qemu_api import install
from xenia.api.webui import default_dir
from xenia.testing.daemon import ROOT_PASSWORD


@pytest.fixture(scope="module")
def tls_daemon() -> Iterator[TlsDaemon]:
    assert (default_dir() / "index.html").is_file(), "the web console is not built: run `make web`"
    with TlsDaemon() as d:
        yield d


@pytest.fixture(scope="module")
def api(tls_daemon: TlsDaemon) -> Iterator[Any]:
    session = XenAPI.Session(tls_daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "web-endpoints")
    session.xenapi.xenia.user_add("ws-reader", "ws-reader-pw", "read-only")
    yield session
    session.xenapi.session.logout()


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, str, bytes]:
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.getheader("Content-Type") or "", resp.read()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_console_is_served_at_root(tls_daemon: TlsDaemon, scheme: str) -> None:
    conn = (http.client.HTTPConnection("127.0.0.1", tls_daemon.port, timeout=30) if scheme == "http"
            else http.client.HTTPSConnection("127.0.0.1", tls_daemon.tls_port, timeout=30, context=unverified()))  # fmt: skip
    status, kind, body = get(conn, "/")
    assert status == 200 and kind.startswith("text/html")
    assert b'src="/assets/main.js"' in body  # the page loads its script from the daemon, no CDN
    assert b"http://" not in body and b"https://" not in body
    status, kind, body = get(conn, "/assets/main.js")
    assert status == 200 and kind.startswith("text/javascript") and len(body) > 1000
    status, _, _ = get(conn, "/assets/main.css")
    assert status == 200


@pytest.mark.parametrize("path", ["/no-such-file", "/../pyproject.toml", "/assets/../../pyproject.toml", "/%2e%2e/README.md"])
def test_nothing_outside_the_console_is_served(tls_daemon: TlsDaemon, path: str) -> None:
    with socket.create_connection(("127.0.0.1", tls_daemon.port), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 404 "), head


def refused(url: str) -> int:
    with pytest.raises(InvalidStatus) as info:
        connect(url, open_timeout=30).close()
    status: int = info.value.response.status_code
    return status


def test_console_websocket_checks_as_xapi_console(tls_daemon: TlsDaemon, api: Any) -> None:
    x = api.xenapi
    vm = install(x, "ws-vm", None)
    x.VM.start(vm, False, False)
    rfb = next(c for c in x.VM.get_consoles(vm) if x.console.get_protocol(c) == "rfb")
    base = f"ws://127.0.0.1:{tls_daemon.port}/console/ws"
    assert refused(f"{base}?ref={rfb}") == 401  # no session
    assert refused(f"{base}?ref={rfb}&session_id=OpaqueRef:nonsense") == 401
    reader = XenAPI.Session(tls_daemon.url)
    reader.xenapi.login_with_password("ws-reader", "ws-reader-pw", "2.0", "web-endpoints")
    assert refused(f"{base}?ref={rfb}&session_id={reader._session}") == 403  # below vm-operator (connect_console)
    sid = api._session
    assert refused(f"{base}?ref=OpaqueRef:nonsense&session_id={sid}") == 500  # neither a VM nor a console
    assert refused(f"{base}?session_id={sid}") == 500  # no ref or uuid
    # the simulator's consoles have no server behind them: xapi's 404, and the daemon keeps serving
    assert refused(f"{base}?ref={rfb}&session_id={sid}") == 404
    x.VM.hard_shutdown(vm)
    assert refused(f"{base}?ref={vm}&session_id={sid}") == 500  # not running here
    # a plain GET (no upgrade) is a bad request, not a tunnel
    status, _, _ = get(http.client.HTTPConnection("127.0.0.1", tls_daemon.port, timeout=30), f"/console/ws?ref={rfb}&session_id={sid}")
    assert status == 400
    assert x.VM.get_power_state(vm) == "Halted"
