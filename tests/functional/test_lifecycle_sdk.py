"""A VM's whole life through the official SDK on the simulator, with xapi's errors for wrong states."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

NULL = "OpaqueRef:NULL"


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05", "--shutdown-timeout", "5"]) as d:
        yield d


@pytest.fixture
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "lifecycle-tests")
    yield session.xenapi
    session.xenapi.session.logout()


def install(api: Any, name: str, profile: str = "pv") -> str:
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    vm = api.VM.clone(template, name)
    api.VM.provision(vm)
    api.VM.add_to_other_config(vm, "xenia-sim-guest", profile)
    return str(vm)


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def uninstall(api: Any, vm: str) -> None:
    if api.VM.get_power_state(vm) != "Halted":
        api.VM.hard_shutdown(vm)
    disks = [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"]
    api.VM.destroy(vm)
    for vdi in disks:
        api.VDI.destroy(vdi)


@pytest.mark.parametrize("template", ["Generic Linux BIOS", "Other install media"])
def test_provision_makes_the_clone_a_vm(api: Any, template: str) -> None:
    """clone -> provision -> start is how xe vm-install and Ansible make a VM: xapi's provision
    sets is_a_template false as its first step, with or without disks to create."""
    vm = api.VM.clone(api.VM.get_by_name_label(template)[0], f"installed from {template}")
    assert api.VM.get_is_a_template(vm) is True
    api.VM.provision(vm)
    assert api.VM.get_is_a_template(vm) is False
    assert "start" in api.VM.get_allowed_operations(vm)
    api.VM.start(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    assert error(api.VM.provision, vm)[0] == "VM_BAD_POWER_STATE"
    uninstall(api, vm)


def test_whole_life(api: Any) -> None:
    vm = install(api, "life")
    assert api.VM.get_power_state(vm) == "Halted"
    assert "start" in api.VM.get_allowed_operations(vm)
    assert len(api.VM.get_VBDs(vm)) == 1  # provisioned from the template's disks

    api.VM.start(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    domid = int(api.VM.get_domid(vm))
    assert domid > 0
    host = api.host.get_all()[0]
    assert api.VM.get_resident_on(vm) == host
    assert vm in api.host.get_resident_VMs(host)
    metrics = api.VM.get_metrics(vm)
    assert int(api.VM_metrics.get_memory_actual(metrics)) == int(api.VM.get_memory_dynamic_max(vm))
    assert "suspend" in api.VM.get_allowed_operations(vm)
    assert error(api.VM.start, vm, False, False) == ["VM_BAD_POWER_STATE", vm, "halted", "running"]
    assert error(api.VM.unpause, vm) == ["VM_BAD_POWER_STATE", vm, "paused", "running"]

    api.VM.pause(vm)
    assert api.VM.get_power_state(vm) == "Paused"
    assert error(api.VM.suspend, vm) == ["VM_BAD_POWER_STATE", vm, "running", "paused"]
    api.VM.unpause(vm)
    assert api.VM.get_power_state(vm) == "Running"

    api.VM.suspend(vm)
    assert api.VM.get_power_state(vm) == "Suspended"
    suspend_vdi = api.VM.get_suspend_VDI(vm)
    assert api.VDI.get_type(suspend_vdi) == "suspend"
    assert int(api.VM.get_domid(vm)) == -1
    api.VM.resume(vm, False, False)
    assert api.VM.get_power_state(vm) == "Running"
    assert api.VM.get_suspend_VDI(vm) == NULL
    assert suspend_vdi not in api.VDI.get_all()

    before = int(api.VM.get_domid(vm))
    api.VM.clean_reboot(vm)
    assert api.VM.get_power_state(vm) == "Running"
    assert int(api.VM.get_domid(vm)) > before  # a reboot makes a new domain

    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    iso = api.VDI.create({"name_label": "tools.iso", "SR": sr, "virtual_size": "1048576", "type": "user",
                          "sharable": False, "read_only": True, "other_config": {}})  # fmt: skip
    cd = api.VBD.create({"VM": vm, "VDI": NULL, "userdevice": "3", "bootable": False, "mode": "RO", "type": "CD",
                         "empty": True, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
    api.VBD.plug(cd)
    assert error(api.VBD.eject, cd) == ["VBD_IS_EMPTY", cd]
    api.VBD.insert(cd, iso)
    assert api.VBD.get_VDI(cd) == iso and api.VBD.get_empty(cd) is False
    assert error(api.VBD.insert, cd, iso) == ["VBD_NOT_EMPTY", cd]
    disk = [b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"][0]
    assert error(api.VBD.insert, disk, iso) == ["VBD_NOT_REMOVABLE_MEDIA", disk]
    api.VBD.eject(cd)
    assert api.VBD.get_empty(cd) is True

    api.VM.clean_shutdown(vm)
    assert api.VM.get_power_state(vm) == "Halted"
    assert int(api.VM.get_domid(vm)) == -1
    assert api.VM.get_resident_on(vm) == NULL
    assert all(api.VBD.get_currently_attached(b) is False for b in api.VM.get_VBDs(vm))
    assert error(api.VM.clean_shutdown, vm) == ["VM_BAD_POWER_STATE", vm, "running", "halted"]
    api.VBD.destroy(cd)
    api.VDI.destroy(iso)
    uninstall(api, vm)
    assert vm not in api.VM.get_all()


def test_guest_without_drivers_needs_force(api: Any) -> None:
    vm = install(api, "stubborn", profile="no-drivers")
    api.VM.start(vm, False, False)
    assert error(api.VM.clean_shutdown, vm) == ["VM_MISSING_PV_DRIVERS", vm]
    assert api.VM.get_power_state(vm) == "Running"
    api.VM.shutdown(vm)  # clean if possible, else hard (xapi's VM.shutdown)
    assert api.VM.get_power_state(vm) == "Halted"
    uninstall(api, vm)


def test_templates_and_dom0_refuse_lifecycle(api: Any) -> None:
    template = api.VM.get_by_name_label("Other install media")[0]
    assert error(api.VM.start, template, False, False) == ["VM_IS_TEMPLATE", template, "start"]
    dom0 = [v for v, r in api.VM.get_all_records().items() if r["is_control_domain"]][0]
    # xapi (xapi_vm_lifecycle.ml, check_operation_error): the power state first, then the control domain
    assert error(api.VM.hard_shutdown, dom0) == ["OPERATION_NOT_ALLOWED", "This operation is not allowed on a control domain"]
    assert error(api.VM.destroy, dom0) == ["VM_BAD_POWER_STATE", dom0, "halted, suspended", "running"]
    assert error(api.VM.set_VCPUs_number_live, dom0, "1") == ["OPERATION_NOT_ALLOWED",
                                                                "This operation is not allowed on a control domain"]
    assert error(api.VM.power_state_reset, dom0) == ["CANNOT_RESET_CONTROL_DOMAIN", dom0]


def test_host_memory_is_accounted(api: Any) -> None:
    host_metrics = api.host.get_metrics(api.host.get_all()[0])
    free_before = int(api.host_metrics.get_memory_free(host_metrics))
    vm = install(api, "accounted")
    api.VM.start(vm, True, False)  # paused still holds its memory
    assert api.VM.get_power_state(vm) == "Paused"
    used = int(api.VM.get_memory_dynamic_max(vm))
    assert int(api.host_metrics.get_memory_free(host_metrics)) == free_before - used
    api.VM.hard_shutdown(vm)
    assert int(api.host_metrics.get_memory_free(host_metrics)) == free_before
    uninstall(api, vm)
    huge = install(api, "huge")
    total = int(api.host_metrics.get_memory_total(host_metrics))
    api.VM.set_memory_limits(huge, str(1024**2), str(2 * total), str(2 * total), str(2 * total))
    details = error(api.VM.start, huge, False, False)
    assert details == ["HOST_NOT_ENOUGH_FREE_MEMORY", str(2 * total), str(free_before)]
    assert api.VM.get_power_state(huge) == "Halted"
    assert error(api.VM.set_memory_limits, huge, "1", "2", "3", "1")[0] == "MEMORY_CONSTRAINT_VIOLATION"
    uninstall(api, huge)


def test_async_start_reports_progress_and_result(api: Any) -> None:
    vm = install(api, "async")
    task = api.Async.VM.start(vm, False, False)
    for _ in range(400):
        if api.task.get_status(task) != "pending":
            break
        time.sleep(0.02)
    rec = api.task.get_record(task)
    assert rec["status"] == "success"
    assert float(rec["progress"]) == 1.0
    assert api.VM.get_power_state(vm) == "Running"
    uninstall(api, vm)


def test_guest_crash_follows_actions_after_crash(api: Any) -> None:
    vm = install(api, "crashy", profile="crash")
    api.VM.add_to_other_config(vm, "xenia-sim-crash-after", "0.1")
    api.VM.set_actions_after_crash(vm, "destroy")
    api.VM.start(vm, False, False)
    for _ in range(400):
        if api.VM.get_power_state(vm) == "Halted":
            break
        time.sleep(0.02)
    assert api.VM.get_power_state(vm) == "Halted"
    names = [m["name"] for m in api.message.get_all_records().values() if m["obj_uuid"] == api.VM.get_uuid(vm)]
    assert "VM_CRASHED" in names
    uninstall(api, vm)
