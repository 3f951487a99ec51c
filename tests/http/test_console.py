"""Console objects of running VMs and xapi's CONNECT /console handler, on the simulator.

The simulator's consoles have no server behind them (404 once everything else
is right); the RFB stream through the tunnel is tested on QEMU in
tests/qemu/test_qemu_console.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from tests.functional.test_lifecycle_sdk import install, uninstall
from tests.functional.test_rbac import add_user
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess, free_port

from .wire import Answer, Reader, connect


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05"]) as d:
        yield d


@pytest.fixture(scope="module")
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "console-tests")
    yield session.xenapi
    session.xenapi.session.logout()


def connect_console(daemon: DaemonProcess, query: str, cookie: str = "") -> Answer:
    with connect(daemon) as s:
        extra = f"Cookie: {cookie}\r\n" if cookie else ""
        s.sendall(f"CONNECT /console?{query} HTTP/1.0\r\n{extra}\r\n".encode())
        answer = Reader(s).answer()
        assert answer is not None
        return answer


def test_running_vm_has_rfb_and_vt100_consoles_until_it_halts(api: Any, sim: DaemonProcess) -> None:
    vm = install(api, "with-consoles")
    try:
        assert api.VM.get_consoles(vm) == []
        api.VM.start(vm, False, False)
        consoles = {api.console.get_protocol(c): api.console.get_record(c) for c in api.VM.get_consoles(vm)}
        assert set(consoles) == {"rfb", "vt100"}
        for rec in consoles.values():
            assert rec["VM"] == vm
            # xapi: <scheme>://<host address>/console?uuid=<the console's uuid> (xenia adds its port)
            assert re.fullmatch(rf"http://127\.0\.0\.1:{sim.port}/console\?uuid={rec['uuid']}", rec["location"])
        api.VM.hard_shutdown(vm)
        assert api.VM.get_consoles(vm) == []
        assert not [c for c in api.console.get_all_records().values() if c["VM"] == vm]
    finally:
        uninstall(api, vm)


def test_connect_console_answers_as_xapi(api: Any, sim: DaemonProcess) -> None:
    vm = install(api, "console-target")
    try:
        api.VM.start(vm, False, False)
        rfb = next(c for c in api.VM.get_consoles(vm) if api.console.get_protocol(c) == "rfb")
        xapi = XenAPI.Session(sim.url)
        xapi.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "console-tests")
        sid = xapi._session
        # no session, a bad one: 401 with a Basic realm
        answer = connect_console(sim, f"ref={rfb}")
        assert answer.status == 401 and answer.headers["www-authenticate"].startswith("Basic")
        assert connect_console(sim, f"ref={rfb}&session_id=OpaqueRef:nonsense").status == 401
        # a read-only user lacks the connect_console permission (vm-operator and above): 403
        add_user(sim, "console-reader", "read-only")
        reader = XenAPI.Session(sim.url)
        reader.xenapi.login_with_password("console-reader", "console-reader-pw", "2.0", "console-tests")
        assert connect_console(sim, f"ref={rfb}&session_id={reader._session}").status == 403
        # no ref or uuid, something that is no console: 500
        assert connect_console(sim, f"session_id={sid}").status == 500
        assert connect_console(sim, f"ref=OpaqueRef:none&session_id={sid}").status == 500
        # the simulator's console has no server behind it: 404, by ref, by the VM's uuid, by the cookie
        assert connect_console(sim, f"ref={rfb}&session_id={sid}").status == 404
        assert connect_console(sim, f"uuid={api.VM.get_uuid(vm)}&session_id={sid}").status == 404
        assert connect_console(sim, f"uuid={api.console.get_uuid(rfb)}", cookie=f"session_id={sid}").status == 404
        api.VM.hard_shutdown(vm)
        # the VM is no longer running: its console is gone, the VM itself is not running here
        assert connect_console(sim, f"ref={vm}&session_id={sid}").status == 500
        xapi.xenapi.session.logout()
        reader.xenapi.session.logout()
    finally:
        uninstall(api, vm)


def test_adopted_vm_keeps_its_consoles_at_the_daemons_new_address(tmp_path_factory: pytest.TempPathFactory) -> None:
    daemon = DaemonProcess(state_dir=tmp_path_factory.mktemp("xeniaconsole"),
                           extra_args=["--driver-option", "guest-delay=0.05"]).start()  # fmt: skip
    try:
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "console-tests")
        vm = install(session.xenapi, "adopted")
        session.xenapi.VM.start(vm, False, False)
        before = {session.xenapi.console.get_protocol(c): c for c in session.xenapi.VM.get_consoles(vm)}
        daemon.kill()  # the domain outlives the daemon
        daemon.port = free_port()  # which comes back listening elsewhere
        daemon.start()
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "console-tests")
        assert session.xenapi.VM.get_power_state(vm) == "Running"
        after = {session.xenapi.console.get_protocol(c): c for c in session.xenapi.VM.get_consoles(vm)}
        assert after == before  # the same objects
        for console in after.values():
            uuid = session.xenapi.console.get_uuid(console)
            assert session.xenapi.console.get_location(console) == f"http://127.0.0.1:{daemon.port}/console?uuid={uuid}"
    finally:
        daemon.cleanup()
