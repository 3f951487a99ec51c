"""xapi's console tunnel on a real QEMU: CONNECT /console gives the VM's VNC server's RFB stream."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

from .test_qemu_api import install, qemu_daemon, reap, uninstall


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    d = qemu_daemon().start()
    try:
        yield d
    finally:
        d.stop()
        reap(d.state_dir)
        d.cleanup()


def tunnel(d: DaemonProcess, query: str) -> tuple[socket.socket, bytes]:
    """CONNECT over plain HTTP; the socket and what followed the answer's head."""
    s = socket.create_connection(("127.0.0.1", d.port), timeout=60)
    s.sendall(f"CONNECT /console?{query} HTTP/1.0\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        assert chunk, f"closed before the answer's head: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 200 OK", head
    return s, rest


def read_exactly(s: socket.socket, have: bytes, n: int) -> bytes:
    while len(have) < n:
        chunk = s.recv(4096)
        assert chunk, f"closed after {have!r}"
        have += chunk
    return have


def test_rfb_stream_through_the_console_tunnel(daemon: DaemonProcess) -> None:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "console-tests")
    api, sid = session.xenapi, session._session
    vm = install(api, "vnc-guest", None)  # firmware alone: QEMU's VNC server is there from the start
    try:
        api.VM.start(vm, False, False)
        consoles = {api.console.get_protocol(c): c for c in api.VM.get_consoles(vm)}
        assert set(consoles) == {"rfb", "vt100"}
        rfb = consoles["rfb"]
        for query in (f"ref={rfb}&session_id={sid}", f"uuid={api.console.get_uuid(rfb)}&session_id={sid}",
                      f"ref={vm}&session_id={sid}"):  # fmt: skip
            s, rest = tunnel(daemon, query)
            with s:
                greeting = read_exactly(s, rest, 12)
                assert greeting[:12] in (b"RFB 003.008\n", b"RFB 003.007\n", b"RFB 003.003\n"), greeting
                # both ways: our version, then the server's list of security types (RFB 3.8: count, types)
                s.sendall(b"RFB 003.008\n")
                security = read_exactly(s, greeting[12:], 2)
                assert security[0] >= 1 and 1 in security[1 : 1 + security[0]]  # "None" (QEMU without a password)
        s, rest = tunnel(daemon, f"ref={rfb}&session_id={sid}")
        with s:
            read_exactly(s, rest, 12)
            api.VM.hard_shutdown(vm)
            while s.recv(4096):  # the server went away with QEMU: the tunnel closes
                pass
        assert api.VM.get_consoles(vm) == []
    finally:
        if api.VM.get_power_state(vm) != "Halted":
            api.VM.hard_shutdown(vm)
        uninstall(api, vm)
        session.xenapi.session.logout()
