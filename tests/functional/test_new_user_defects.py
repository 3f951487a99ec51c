"""Defects a new user met (issue 10, item 7), each through the official SDK against a real daemon.

- ``allowed_operations`` lists only what works: operations xenia has no message for
  (export, metadata_export) never, and driver-dependent ones (live vCPUs, ballooning)
  only where the driver can; the ones listed then succeed.
- A CD tray the guest locked answers xapi's VBD_TRAY_LOCKED [vbd].
- A clean shutdown the guest has been asked for cannot be cancelled (task.cancel answers
  OPERATION_NOT_ALLOWED and the task succeeds); cancelled before the request, the VM keeps running.
- ``--task-step-delay`` slows every step of lifecycle operations too, so they can be cancelled mid-way.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

GiB, MiB = 1 << 30, 1 << 20


def session(daemon: DaemonProcess) -> Any:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "new-user")
    return s


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def new_vm(api: Any, name: str, **other_config: str) -> str:
    vm: str = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], name)
    api.VM.provision(vm)
    for key, value in other_config.items():
        api.VM.add_to_other_config(vm, key, value)
    api.VM.set_VCPUs_max(vm, "4")
    return vm


def finished(api: Any, task: str) -> dict[str, Any]:
    for _ in range(3000):
        rec: dict[str, Any] = api.task.get_record(task)
        if rec["status"] not in ("pending", "cancelling"):
            return rec
        time.sleep(0.01)
    raise AssertionError("the task never finished")


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05"]) as d:
        yield d


def test_allowed_operations_of_a_running_vm_all_work(sim: DaemonProcess) -> None:
    api = session(sim).xenapi
    vm = new_vm(api, "listed")
    api.VM.start(vm, False, False)
    # as xapi's strict check: live vCPU changes are listed once the guest's agent has reported
    deadline = time.monotonic() + 60
    while "changing_VCPUs_live" not in api.VM.get_allowed_operations(vm):
        assert time.monotonic() < deadline, "the simulated guest's agent never reported"
        time.sleep(0.02)
    allowed = set(api.VM.get_allowed_operations(vm))
    assert not allowed & {"export", "metadata_export"}  # no message serves them
    assert {"changing_dynamic_range", "changing_VCPUs_live"} <= allowed  # the simulator can do both
    api.VM.set_VCPUs_number_live(vm, "3")
    assert api.VM.get_VCPUs_at_startup(vm) == "3"
    assert api.VM_metrics.get_VCPUs_number(api.VM.get_metrics(vm)) == "3"
    assert error(api.VM.set_VCPUs_number_live, vm, "5") == [
        "INVALID_VALUE", "VCPU values must satisfy: 0 < VCPUs ≤ VCPUs_max", "5"]  # fmt: skip
    static_max = int(api.VM.get_memory_static_max(vm))
    api.VM.set_memory_dynamic_range(vm, str(static_max // 2), str(static_max // 2))
    assert int(api.VM.get_memory_dynamic_max(vm)) == static_max // 2
    api.VM.hard_shutdown(vm)
    api.VM.destroy(vm)


def test_a_driver_without_ballooning_or_hotplug_does_not_list_them() -> None:
    with DaemonProcess(extra_args=["--driver-option", "disable=balloon,vcpu_hotplug,suspend"]) as d:
        api = session(d).xenapi
        vm = new_vm(api, "fixed")
        assert "changing_dynamic_range" in api.VM.get_allowed_operations(vm)  # halted: a db change
        api.VM.start(vm, False, False)
        allowed = api.VM.get_allowed_operations(vm)
        assert "changing_dynamic_range" not in allowed and "changing_VCPUs_live" not in allowed
        assert "checkpoint" not in allowed and "suspend" not in allowed
        assert error(api.VM.set_VCPUs_number_live, vm, "2")[0] == "OPERATION_NOT_ALLOWED"


def test_a_locked_tray_answers_vbd_tray_locked(sim: DaemonProcess) -> None:
    api = session(sim).xenapi
    iso_sr = api.SR.get_by_name_label("ISO library")[0]
    iso_dir = sim.state_dir / "sr" / "iso"
    (iso_dir / "locked.iso").write_bytes(b"\0" * 4096)
    api.SR.scan(iso_sr)
    disc = next(v for v in api.SR.get_VDIs(iso_sr) if api.VDI.get_name_label(v) == "locked.iso")
    vm = new_vm(api, "mounted", **{"xenia-sim-cd-locked": "true"})
    cd = api.VBD.create({"VM": vm, "VDI": disc, "userdevice": "3", "bootable": False, "mode": "RO", "type": "CD",
                         "unpluggable": True, "empty": False, "other_config": {}, "qos_algorithm_type": "",
                         "qos_algorithm_params": {}})  # fmt: skip
    api.VM.start(vm, False, False)
    assert error(api.VBD.eject, cd) == ["VBD_TRAY_LOCKED", cd]
    assert api.VBD.get_VDI(cd) == disc and api.VBD.get_empty(cd) is False
    api.VM.hard_shutdown(vm)
    api.VBD.eject(cd)  # halted: a db change, nothing holds the tray
    api.VM.destroy(vm)
    (iso_dir / "locked.iso").unlink()


def test_a_requested_clean_shutdown_cannot_be_cancelled() -> None:
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=3"]) as d:
        api = session(d).xenapi
        vm = new_vm(api, "asked")
        api.VM.start(vm, False, False)
        for _ in range(1000):  # wait until the guest reports it can be asked (its agent runs)
            gm = api.VM.get_guest_metrics(vm)
            if gm != "OpaqueRef:NULL" and "feature-poweroff" in api.VM_guest_metrics.get_other(gm):
                break
            time.sleep(0.01)
        task = api.Async.VM.clean_shutdown(vm)
        for _ in range(1000):  # the request has been sent once the first step is done
            if float(api.task.get_progress(task)) > 0:
                break
            time.sleep(0.01)
        details = error(api.task.cancel, task)
        assert details[0] == "OPERATION_NOT_ALLOWED"
        rec = finished(api, task)
        assert rec["status"] == "success"
        assert api.VM.get_power_state(vm) == "Halted"


def test_step_delay_slows_lifecycle_steps_so_a_start_can_be_cancelled() -> None:
    with DaemonProcess(extra_args=["--task-step-delay", "0.5"]) as d:
        api = session(d).xenapi
        vm = new_vm(api, "slow")
        task = api.Async.VM.start(vm, False, False)
        api.task.cancel(task)
        rec = finished(api, task)
        assert rec["status"] == "cancelled" and rec["error_info"] == ["TASK_CANCELLED", task]
        assert api.VM.get_power_state(vm) == "Halted"
        # a clean shutdown cancelled before its request leaves the guest running
        api.VM.start(vm, False, False)
        task = api.Async.VM.clean_shutdown(vm)
        api.task.cancel(task)
        assert finished(api, task)["status"] == "cancelled"
        assert api.VM.get_power_state(vm) == "Running"


def test_checkpoint_keeps_the_vm_running_and_the_snapshot_suspended(sim: DaemonProcess) -> None:
    """xapi: a checkpoint is a snapshot with the memory image; the VM carries on."""
    api = session(sim).xenapi
    vm = new_vm(api, "checkpointed")
    assert error(api.VM.checkpoint, vm, "too early") == ["VM_BAD_POWER_STATE", vm, "paused, suspended, running",
                                                         "halted"]  # fmt: skip
    api.VM.start(vm, False, False)
    assert "checkpoint" in api.VM.get_allowed_operations(vm)
    cp = api.VM.checkpoint(vm, "with memory")
    assert api.VM.get_power_state(vm) == "Running"
    rec = api.VM.get_record(cp)
    assert rec["is_a_snapshot"] is True and rec["snapshot_of"] == vm and rec["power_state"] == "Suspended"
    image = rec["suspend_VDI"]
    assert api.VDI.get_type(image) == "suspend"
    assert cp in api.VM.get_snapshots(vm)
    # xapi_vm_clone: a clone of a checkpoint stays Suspended, with its own copy of the image
    twin = api.VM.clone(cp, "from the checkpoint")
    assert api.VM.get_power_state(twin) == "Suspended" and api.VM.get_is_a_snapshot(twin) is False
    assert api.VM.get_suspend_VDI(twin) not in ("OpaqueRef:NULL", image)
    assert api.VDI.get_type(api.VM.get_suspend_VDI(twin)) == "suspend"
    # reverting to a checkpoint gives the VM back suspended, with a copy of the memory image
    api.VM.hard_shutdown(vm)
    api.VM.revert(cp)
    assert api.VM.get_power_state(vm) == "Suspended"
    assert api.VM.get_suspend_VDI(vm) not in ("OpaqueRef:NULL", image)
    api.VM.resume(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    # a suspended VM's checkpoint copies its image; the VM still resumes from its own
    api.VM.suspend(vm)
    second = api.VM.checkpoint(vm, "of a suspended VM")
    assert api.VM.get_power_state(second) == "Suspended"
    assert api.VM.get_suspend_VDI(second) != api.VM.get_suspend_VDI(vm)
    api.VM.resume(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    api.VM.hard_shutdown(vm)
