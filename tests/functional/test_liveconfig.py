"""Live and persistent configuration on the simulator (issue 14), through the official SDK.

What xapi's own messages must do comes from xapi: ``set_memory_dynamic_max``/``_min`` are
``set_memory_dynamic_range`` with the other bound unchanged (message_forwarding.ml), so on a running
VM they move the balloon; the static range changes only while halted; ``wait_memory_target_live``
returns once ``memory_actual`` is within 1 MiB of the target.  The ``xenia.vm_set`` / ``xenia.vm_drift``
extensions are xenia's (docs/liveconfig.md): a scope, what was applied where, and the drift states.
The simulated guest balloons as its ``other_config`` says (docs/drivers.md): a floor it will not go
below, a rate it moves at.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

MiB = 1 << 20


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    # a simulated guest moves its balloon at once or at its rate: standing still for 1 s is stopping
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05", "--balloon-stall", "1",
                                   "--memory-target-timeout", "2"]) as d:
        yield d


@pytest.fixture(scope="module")
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "liveconfig")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def until(what: str, check: Callable[[], Any]) -> Any:
    """Poll until ``check()`` is truthy (a generous deadline only to end a hung test, never a timing claim)."""
    deadline = time.monotonic() + 120
    while not (value := check()):
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)
    return value


@pytest.fixture
def running(api: Any) -> Iterator[Callable[..., str]]:
    made: list[str] = []

    def make(**other_config: str) -> str:
        vm: str = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "live")
        api.VM.provision(vm)
        api.VM.set_VCPUs_max(vm, "4")
        api.VM.set_memory_limits(vm, str(256 * MiB), str(1024 * MiB), str(256 * MiB), str(1024 * MiB))
        for key, value in other_config.items():
            api.VM.add_to_other_config(vm, key, value)
        api.VM.start(vm, False, False)
        until("running", lambda: "changing_dynamic_range" in api.VM.get_allowed_operations(vm))
        made.append(vm)
        return vm

    yield make
    for vm in made:
        if api.VM.get_power_state(vm) != "Halted":
            api.VM.hard_shutdown(vm)
        api.VM.destroy(vm)


def actual(api: Any, vm: str) -> int:
    return int(api.VM_metrics.get_memory_actual(api.VM.get_metrics(vm)))


def store_read(sim: DaemonProcess, path: str) -> str:
    """A key of the daemon's store, read with Debian's ``xenstore-read`` as a dom0 tool would."""
    env = {**os.environ, "XENSTORED_PATH": str(sim.state_dir / "xenstored.sock")}
    return subprocess.run(["xenstore-read", path], env=env, capture_output=True, text=True, timeout=30,
                          check=True).stdout.strip()  # fmt: skip


def test_dynamic_max_on_a_running_vm_balloons(api: Any, sim: DaemonProcess, running: Callable[..., str]) -> None:
    vm = running()
    assert actual(api, vm) == 1024 * MiB
    api.VM.set_memory_dynamic_max(vm, str(512 * MiB))
    assert api.VM.get_memory_dynamic_max(vm) == str(512 * MiB)
    # as Xen's toolstack: the balloon driver's target, in KiB
    assert store_read(sim, f"/local/domain/{api.VM.get_domid(vm)}/memory/target") == str(512 * 1024)
    api.VM.wait_memory_target_live(vm)
    assert actual(api, vm) == 512 * MiB
    api.VM.set_memory_dynamic_min(vm, str(384 * MiB))  # the balloon stays at dynamic_max
    assert api.VM.get_memory_dynamic_min(vm) == str(384 * MiB)
    assert error(api.VM.set_memory_dynamic_min, vm, str(600 * MiB))[0] == "MEMORY_CONSTRAINT_VIOLATION"
    api.VM.set_memory_dynamic_max(vm, str(768 * MiB))  # and up again
    until("ballooned up", lambda: actual(api, vm) == 768 * MiB)
    until("no drift", lambda: api.xenia.vm_drift(vm) == {})
    assert api.VM.get_requires_reboot(vm) is False


@pytest.mark.parametrize(("guest", "stops_at"), [
    ({"xenia-sim-balloon-floor": str(640 * MiB)}, 640 * MiB),  # gives what it can, not all that was asked
    ({"xenia-sim-guest": "no-drivers"}, 1024 * MiB),  # ignores the request
])  # fmt: skip
def test_a_guest_that_stops_short_ends_partial_with_a_message(api: Any, running: Callable[..., str],
                                                              guest: dict[str, str], stops_at: int) -> None:  # fmt: skip
    vm = running(**guest)
    api.VM.set_memory_dynamic_range(vm, str(256 * MiB), str(256 * MiB))
    token = api.event.inject("VM", vm)  # events after this one
    report = until("partial", lambda: api.xenia.vm_drift(vm).get("memory_dynamic_max", {}).get("state") == "partial"
                   and api.xenia.vm_drift(vm))  # fmt: skip
    assert report["memory_dynamic_max"] == {"persistent": str(256 * MiB), "live": str(stops_at),
                                            "target": str(256 * MiB), "state": "partial"}  # fmt: skip
    assert actual(api, vm) == stops_at
    uuid = api.VM.get_uuid(vm)
    assert any(m["name"] == "XENIA_LIVE_CHANGE_PARTIAL" and m["obj_uuid"] == uuid
               for m in api.message.get_all_records().values())  # fmt: skip
    batch = getattr(api.event, "from")(["vm"], token, 1.0)
    assert any(e["ref"] == vm for e in batch["events"])  # the drift moving is a change of the VM
    # xapi's answer to a wait for a target the guest never reaches: the error names the task
    task = api.Async.VM.wait_memory_target_live(vm)
    until("the wait to end", lambda: api.task.get_status(task) != "pending")
    assert api.task.get_error_info(task) == ["VM_MEMORY_TARGET_WAIT_TIMEOUT", task]


def test_a_slow_balloon_is_applying(api: Any, running: Callable[..., str]) -> None:
    vm = running(**{"xenia-sim-balloon-rate": str(MiB)})  # 1 MiB/s: 512 MiB take minutes
    answer = api.xenia.vm_set(vm, "memory_dynamic_max", str(512 * MiB), "both")
    assert answer == {"persistent": "changed", "live": "applying"}
    report = api.xenia.vm_drift(vm)
    assert report["memory_dynamic_max"]["state"] == "applying"
    assert int(report["memory_dynamic_max"]["target"]) == 512 * MiB


def test_a_static_change_is_pending_reboot_until_the_reboot(api: Any, running: Callable[..., str]) -> None:
    vm = running()
    # xapi's own setter refuses the static range on a running VM, as xapi does
    assert error(api.VM.set_memory_static_max, vm, str(2048 * MiB))[0] == "VM_BAD_POWER_STATE"
    assert api.xenia.vm_set(vm, "memory_static_max", str(2048 * MiB), "both") == {
        "persistent": "changed", "live": "pending_reboot"}  # fmt: skip
    assert api.VM.get_requires_reboot(vm) is True
    assert api.xenia.vm_drift(vm) == {"memory_static_max": {
        "persistent": str(2048 * MiB), "live": str(1024 * MiB), "state": "pending_reboot"}}  # fmt: skip
    # a persistent field changed with xapi's own setter is pending too
    api.VM.set_PV_args(vm, "console=ttyS0")
    assert api.xenia.vm_drift(vm)["PV_args"] == {"persistent": "console=ttyS0", "live": "", "state": "pending_reboot"}
    side = api.xenia.vm_live_config(vm)
    assert side["memory_static_max"] == {"persistent": str(2048 * MiB), "live": str(1024 * MiB), "scope": "persistent"}
    assert side["VCPUs_at_startup"] == {"persistent": "1", "live": "1", "scope": "live"}
    api.VM.hard_reboot(vm)
    assert api.xenia.vm_drift(vm) == {}
    assert api.VM.get_requires_reboot(vm) is False
    assert api.xenia.vm_live_config(vm)["memory_static_max"]["live"] == str(2048 * MiB)


def test_live_only_and_persistent_only_vcpus(api: Any, running: Callable[..., str]) -> None:
    vm = running()
    metrics = api.VM.get_metrics(vm)
    assert api.xenia.vm_set(vm, "VCPUs_at_startup", "3", "live") == {"persistent": "unchanged", "live": "applied"}
    assert api.VM.get_VCPUs_at_startup(vm) == "1"
    assert api.VM_metrics.get_VCPUs_number(metrics) == "3"
    assert api.xenia.vm_drift(vm) == {"VCPUs_at_startup": {"persistent": "1", "live": "3", "state": "live_only"}}
    assert api.VM.get_requires_reboot(vm) is False  # nothing waits for a reboot: the live change is lost there
    api.VM.hard_reboot(vm)
    until("rebooted", lambda: api.VM_metrics.get_VCPUs_number(api.VM.get_metrics(vm)) == "1")
    assert api.xenia.vm_drift(vm) == {}
    assert api.xenia.vm_set(vm, "VCPUs_at_startup", "2", "persistent") == {
        "persistent": "changed", "live": "pending_reboot"}  # fmt: skip
    assert api.VM.get_requires_reboot(vm) is True
    assert api.xenia.vm_drift(vm)["VCPUs_at_startup"]["state"] == "pending_reboot"
    api.VM.hard_reboot(vm)
    until("rebooted with 2", lambda: api.VM_metrics.get_VCPUs_number(api.VM.get_metrics(vm)) == "2")
    assert api.VM.get_requires_reboot(vm) is False


def test_a_live_only_balloon_is_lost_at_reboot(api: Any, running: Callable[..., str]) -> None:
    vm = running()
    assert api.xenia.vm_set(vm, "memory_dynamic_max", str(512 * MiB), "live")["persistent"] == "unchanged"
    until("ballooned", lambda: actual(api, vm) == 512 * MiB)
    until("live only", lambda: api.xenia.vm_drift(vm).get("memory_dynamic_max", {}).get("state") == "live_only")
    assert api.VM.get_memory_dynamic_max(vm) == str(1024 * MiB)
    api.VM.hard_reboot(vm)
    until("back to the persistent value", lambda: actual(api, vm) == 1024 * MiB)
    assert api.xenia.vm_drift(vm) == {}


def test_a_locked_tray_is_refused_by_the_guest(api: Any, sim: DaemonProcess, running: Callable[..., str]) -> None:
    iso_sr = api.SR.get_by_name_label("ISO library")[0]
    (sim.state_dir / "sr" / "iso" / "live.iso").write_bytes(b"\0" * 4096)
    api.SR.scan(iso_sr)
    disc = next(v for v in api.SR.get_VDIs(iso_sr) if api.VDI.get_name_label(v) == "live.iso")
    vm: str = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "tray")
    api.VM.provision(vm)
    api.VM.add_to_other_config(vm, "xenia-sim-cd-locked", "true")
    cd = api.VBD.create({"VM": vm, "VDI": disc, "userdevice": "3", "bootable": False, "mode": "RO", "type": "CD",
                         "unpluggable": True, "empty": False, "other_config": {}, "qos_algorithm_type": "",
                         "qos_algorithm_params": {}})  # fmt: skip
    api.VM.start(vm, False, False)
    try:
        assert error(api.VBD.eject, cd) == ["VBD_TRAY_LOCKED", cd]
        assert api.xenia.vm_drift(vm) == {"VBD 3": {"persistent": "empty", "live": api.VDI.get_uuid(disc),
                                                    "state": "refused_by_guest"}}  # fmt: skip
        uuid = api.VM.get_uuid(vm)
        assert any(m["name"] == "XENIA_LIVE_CHANGE_REFUSED" and m["obj_uuid"] == uuid
                   for m in api.message.get_all_records().values())  # fmt: skip
    finally:
        api.VM.hard_shutdown(vm)
        api.VM.destroy(vm)


def test_bad_scoped_requests_are_refused_and_change_nothing(api: Any, running: Callable[..., str]) -> None:
    vm = running()
    before = api.VM.get_record(vm)
    assert error(api.xenia.vm_set, vm, "name_label", "x", "both") == ["INVALID_VALUE", "field", "name_label"]
    assert error(api.xenia.vm_set, vm, "VCPUs_max", "4", "sometimes") == ["INVALID_VALUE", "scope", "sometimes"]
    assert error(api.xenia.vm_set, vm, "VCPUs_max", "four", "both") == ["INVALID_VALUE", "VCPUs_max", "four"]
    assert error(api.xenia.vm_set, vm, "memory_static_max", str(MiB), "live")[0] == "OPERATION_NOT_ALLOWED"
    assert error(api.xenia.vm_set, vm, "memory_dynamic_max", str(4096 * MiB), "both")[0] == (
        "MEMORY_CONSTRAINT_VIOLATION")  # fmt: skip
    assert error(api.xenia.vm_set, vm, "VCPUs_at_startup", "9", "live")[0] == "INVALID_VALUE"
    after = api.VM.get_record(vm)
    assert {k: after[k] for k in before if k != "allowed_operations"} == {
        k: before[k] for k in before if k != "allowed_operations"}  # fmt: skip
    assert api.xenia.vm_drift(vm) == {}


def test_a_device_made_on_a_running_vm_waits_for_its_plug(api: Any, running: Callable[..., str]) -> None:
    vm = running()
    vif = api.VIF.create({"device": "3", "network": api.network.get_all()[0], "VM": vm, "MAC": "", "MTU": "1500",
                          "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    api.VM.set_memory_dynamic_max(vm, str(512 * MiB))  # the guest acts: xenia reads the domain afresh
    api.VM.wait_memory_target_live(vm)
    until("the balloon noted", lambda: actual(api, vm) == 512 * MiB)
    assert api.VIF.get_currently_attached(vif) is False  # as xapi: VIF.create does not plug
    api.VIF.plug(vif)
    assert api.VIF.get_currently_attached(vif) is True
    api.VIF.unplug(vif)
    api.VM.set_memory_dynamic_max(vm, str(768 * MiB))
    until("the balloon noted", lambda: actual(api, vm) == 768 * MiB)
    assert api.VIF.get_currently_attached(vif) is False
