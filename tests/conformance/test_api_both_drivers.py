"""API-level lifecycle, fault and adoption scenarios, run the same way on every driver.

The rest of this directory checks drivers through their Python interface; these tests go through
``xenia serve --driver <name>`` and the official SDK, as a client does, once per driver. The
expected ``allowed_operations`` come from xapi's rules (``tests/xapi_lifecycle.py``), the error
codes from xapi's checks. One daemon per driver for the module, firmware-only VMs (no guest OS is
needed for any of this), a handful of scenarios: the QEMU side costs a few seconds of QEMU starts.

What differs between drivers is only how a domain is made to vanish behind the toolstack's back:
the simulator's domain row is deleted, a QEMU process is SIGKILLed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from tests.functional.simstate import assert_allowed_operations, forget_domain
from xenia.drivers.qemu.process import pid_alive, process_matches, read_pid
from xenia.drivers.qemu.record import DomainRecord
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

NULL = "OpaqueRef:NULL"
MiB = 1024 * 1024
DRIVER_ARGS = {
    "sim": ["--driver-option", "guest-delay=0.05", "--shutdown-timeout", "5"],
    "qemu": ["--driver", "qemu", "--shutdown-timeout", "5"],
}


def _qemu_pids(state_dir: Path) -> dict[str, int]:
    """VM uuid -> pid of its live QEMU (checked to be the process whose argv names that VM)."""
    pids = {}
    for pidfile in (state_dir / "qemu").glob("d*/qemu.pid"):
        pid = read_pid(pidfile)
        try:
            vm_uuid = DomainRecord.load(pidfile.parent / "domain.json").spec.vm_uuid
        except (OSError, ValueError, KeyError):
            continue
        if pid is not None and pid_alive(pid) and process_matches(pid, vm_uuid):
            pids[vm_uuid] = pid
    return pids


def _reap(state_dir: Path) -> None:
    for pid in _qemu_pids(state_dir).values():
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module", params=sorted(DRIVER_ARGS))
def driver_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def daemon(driver_name: str) -> Iterator[DaemonProcess]:
    d = DaemonProcess(extra_args=DRIVER_ARGS[driver_name]).start()
    try:
        yield d
    finally:
        d.stop()
        _reap(d.state_dir)
        d.cleanup()


@contextlib.contextmanager
def sdk(d: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(d.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "both-drivers")
    try:
        yield session.xenapi
    finally:
        with contextlib.suppress(XenAPI.Failure, OSError):
            session.xenapi.session.logout()


def install(api: Any, name: str, memory: int = 64 * MiB) -> str:
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    vm = str(api.VM.clone(template, name))
    api.VM.provision(vm)
    api.VM.set_memory_limits(vm, str(memory), str(memory), str(memory), str(memory))
    return vm


def error(fn: Callable[..., Any], *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def check(api: Any, vm: str, power: str) -> dict[str, Any]:
    """The VM is in ``power``, its domid and memory agree, nothing is in progress, and
    ``allowed_operations`` is what xapi would list."""
    rec: dict[str, Any] = api.VM.get_record(vm)
    assert rec["power_state"] == power
    running = power in ("Running", "Paused")
    assert (int(rec["domid"]) >= 0) == running
    assert (int(api.VM_metrics.get_memory_actual(rec["metrics"])) > 0) == running
    assert (rec["suspend_VDI"] != NULL) == (power == "Suspended")
    assert rec["current_operations"] == {}
    assert_allowed_operations(api, vm)
    return rec


def test_lifecycle_walk_follows_xapi(daemon: DaemonProcess) -> None:
    """Every power transition xapi offers, each state checked against xapi's rules; a new domain
    (a new domid) on start, hard_reboot and resume, as xapi's xenopsd gives."""
    with sdk(daemon) as api:
        vm = install(api, "walk")
        check(api, vm, "Halted")
        api.VM.start(vm, True, False)
        first = int(check(api, vm, "Paused")["domid"])
        api.VM.unpause(vm)
        check(api, vm, "Running")
        api.VM.pause(vm)
        check(api, vm, "Paused")
        api.VM.unpause(vm)
        api.VM.hard_reboot(vm)
        rebooted = int(check(api, vm, "Running")["domid"])
        assert rebooted != first
        api.VM.suspend(vm)
        suspend_vdi = check(api, vm, "Suspended")["suspend_VDI"]
        api.VM.resume(vm, False, False)
        assert int(check(api, vm, "Running")["domid"]) not in (first, rebooted)
        assert error(api.VDI.get_uuid, suspend_vdi)[0] == "HANDLE_INVALID"  # the image went with resume
        api.VM.hard_shutdown(vm)
        check(api, vm, "Halted")
        api.VM.destroy(vm)


def test_refused_operations_give_xapis_error_and_change_nothing(daemon: DaemonProcess) -> None:
    """Calls in the wrong power state or beyond the host's memory fail with xapi's codes, and the VM
    is as it was (then the right call still works)."""
    with sdk(daemon) as api:
        vm = install(api, "refused")
        assert error(api.VM.unpause, vm) == ["VM_BAD_POWER_STATE", vm, "paused", "halted"]
        assert error(api.VM.hard_shutdown, vm)[:2] == ["VM_BAD_POWER_STATE", vm]
        check(api, vm, "Halted")
        api.VM.start(vm, False, False)
        assert error(api.VM.start, vm, False, False) == ["VM_BAD_POWER_STATE", vm, "halted", "running"]
        assert error(api.VM.resume, vm, False, False) == ["VM_BAD_POWER_STATE", vm, "suspended", "running"]
        check(api, vm, "Running")
        api.VM.hard_shutdown(vm)
        host = api.host.get_all()[0]
        free = int(api.host.compute_free_memory(host))
        huge = str(free + 1024 * MiB)
        api.VM.set_memory_limits(vm, huge, huge, huge, huge)
        code, *_ = error(api.VM.start, vm, False, False)
        assert code == "HOST_NOT_ENOUGH_FREE_MEMORY"
        check(api, vm, "Halted")
        api.VM.set_memory_limits(vm, *[str(64 * MiB)] * 4)
        api.VM.start(vm, False, False)
        check(api, vm, "Running")
        api.VM.hard_shutdown(vm)
        api.VM.destroy(vm)


def test_sigkilled_daemon_adopts_its_domains_and_reports_a_lost_one(daemon: DaemonProcess, driver_name: str) -> None:
    """SIGKILL the daemon with a Running and a Paused VM; a third VM's domain vanishes while no
    toolstack watches. After a restart the first two are adopted (same domids, still answering),
    the third is Halted with a VM_DOMAIN_LOST message, and starts again."""
    with sdk(daemon) as api:
        running, paused, lost = (install(api, name) for name in ("kept-running", "kept-paused", "lost"))
        api.VM.start(running, False, False)
        api.VM.start(paused, True, False)
        api.VM.start(lost, False, False)
        before = {vm: api.VM.get_domid(vm) for vm in (running, paused)}
        lost_uuid = api.VM.get_uuid(lost)
        messages_before = set(api.message.get_all())
    daemon.kill()
    if driver_name == "sim":
        forget_domain(daemon.state_dir, lost_uuid)
    else:
        pid = _qemu_pids(daemon.state_dir)[lost_uuid]
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while pid_alive(pid):
            assert time.monotonic() < deadline, "the killed QEMU never went"
            time.sleep(0.05)
    daemon.start()
    with sdk(daemon) as api:
        assert int(check(api, running, "Running")["domid"]) == int(before[running])
        assert int(check(api, paused, "Paused")["domid"]) == int(before[paused])
        check(api, lost, "Halted")
        new = [api.message.get_record(m) for m in set(api.message.get_all()) - messages_before]
        assert [(m["name"], m["obj_uuid"]) for m in new] == [("VM_DOMAIN_LOST", lost_uuid)]
        api.VM.unpause(paused)
        api.VM.pause(running)
        check(api, running, "Paused")
        api.VM.start(lost, False, False)
        check(api, lost, "Running")
        for vm in (running, paused, lost):
            api.VM.hard_shutdown(vm)
            check(api, vm, "Halted")
            api.VM.destroy(vm)
