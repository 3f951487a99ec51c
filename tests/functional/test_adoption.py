"""A daemon killed with running VMs adopts their domains when it restarts; lost domains are reported.

The simulator keeps its domains in ``<state>/sim/domains.sqlite`` as a hypervisor keeps running
guests while its toolstack restarts. After SIGKILL and a restart on the same state directory the
VMs must still be Running with the same domids and answer lifecycle calls; a VM whose domain
vanished meanwhile is marked Halted with a ``message`` saying why.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI

from tests.functional.simstate import assert_consistent, assert_host_memory, driver_domains, forget_domain
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

DAEMON_ARGS = ["--driver-option", "guest-delay=0.05", "--shutdown-timeout", "5"]


@contextlib.contextmanager
def sdk(daemon: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
    try:
        yield session.xenapi
    finally:
        with contextlib.suppress(XenAPI.Failure, OSError):
            session.xenapi.session.logout()


def new_vm(api: Any, name: str) -> str:
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    vm: str = api.VM.clone(template, name)
    api.VM.provision(vm)
    return vm


@pytest.fixture
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xeniaadopt")


def test_running_vms_survive_sigkill(state: Path) -> None:
    daemon = DaemonProcess(state_dir=state, extra_args=DAEMON_ARGS).start()
    try:
        with sdk(daemon) as api:
            vms = [new_vm(api, f"adopt-{i}") for i in range(3)]
            for vm in vms:
                api.VM.start(vm, False, False)
            paused = new_vm(api, "adopt-paused")
            api.VM.start(paused, True, False)
            before = {vm: api.VM.get_record(vm) for vm in [*vms, paused]}
        daemon.kill()
        assert len(driver_domains(state)) == 4  # the domains outlive the daemon
        daemon.start()
        with sdk(daemon) as api:
            for vm, old in before.items():
                rec = assert_consistent(api, vm, state)
                assert rec["power_state"] == old["power_state"]
                assert rec["domid"] == old["domid"]
                assert rec["resident_on"] == old["resident_on"]
                assert api.VM_metrics.get_memory_actual(rec["metrics"]) == api.VM_metrics.get_memory_actual(
                    old["metrics"]
                )
            assert api.message.get_all_records() == {}  # nothing was lost, nothing to report
            # the adopted domains answer: pause/unpause, a clean shutdown the guest acts on, hard ones
            first, second, third = vms
            api.VM.pause(first)
            assert assert_consistent(api, first, state)["power_state"] == "Paused"
            api.VM.unpause(first)
            api.VM.unpause(paused)
            api.VM.clean_shutdown(second)
            api.VM.hard_reboot(third)
            assert int(api.VM.get_domid(third)) > int(before[third]["domid"])
            api.VM.hard_shutdown(paused)
            expected = {first: "Running", second: "Halted", third: "Running", paused: "Halted"}
            for vm, power in expected.items():
                assert assert_consistent(api, vm, state)["power_state"] == power
    finally:
        daemon.cleanup()


def test_vanished_domain_is_halted_with_a_message(state: Path) -> None:
    daemon = DaemonProcess(state_dir=state, extra_args=DAEMON_ARGS).start()
    try:
        with sdk(daemon) as api:
            lost, kept = new_vm(api, "lost"), new_vm(api, "kept")
            for vm in (lost, kept):
                api.VM.start(vm, False, False)
            lost_uuid = api.VM.get_uuid(lost)
            kept_domid = api.VM.get_domid(kept)
        daemon.kill()
        forget_domain(state, lost_uuid)  # the domain died while no toolstack watched
        daemon.start()
        with sdk(daemon) as api:
            rec = assert_consistent(api, lost, state)
            assert rec["power_state"] == "Halted"
            assert rec["resident_on"] == "OpaqueRef:NULL"
            assert not any(api.VBD.get_currently_attached(vbd) for vbd in rec["VBDs"])
            messages = list(api.message.get_all_records().values())
            assert len(messages) == 1
            message = messages[0]
            assert message["name"] == "VM_DOMAIN_LOST"
            assert message["cls"] == "VM"
            assert message["obj_uuid"] == lost_uuid
            assert "lost" in message["body"] and "Halted" in message["body"]
            # the other VM was adopted untouched, and the lost one starts again
            kept_rec = assert_consistent(api, kept, state)
            assert (kept_rec["power_state"], kept_rec["domid"]) == ("Running", kept_domid)
            api.VM.start(lost, False, False)
            assert assert_consistent(api, lost, state)["power_state"] == "Running"
            assert_host_memory(api, state)
        # a second restart reports nothing new; under a driver that cannot pause, no VM it adopts
        # offers to (allowed_operations recomputed, though no record changed while it was down)
        daemon.stop()
        daemon.extra_args = [*DAEMON_ARGS, "--driver-option", "disable=pause"]
        daemon.start()
        with sdk(daemon) as api:
            assert len(api.message.get_all()) == 1
            for vm in (lost, kept):
                rec = api.VM.get_record(vm)
                assert rec["power_state"] == "Running"
                assert "pause" not in rec["allowed_operations"] and "hard_shutdown" in rec["allowed_operations"]
    finally:
        daemon.cleanup()
