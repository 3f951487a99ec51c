"""vmctl's tests: every one gets a fresh simulated XenAPI server from xenia's pytest plugin."""

from __future__ import annotations

import pytest
import vmctl
import XenAPI


def test_a_new_vm_is_halted_with_the_templates_disk(xenapi_session):
    api = xenapi_session.xenapi
    vm = vmctl.create_vm(api, "web")
    assert api.VM.get_power_state(vm) == "Halted"
    assert len(vmctl.disks(api, vm)) == 1
    assert not api.VM.get_is_a_template(vm)


def test_each_test_starts_from_a_clean_server(xenapi_session):
    api = xenapi_session.xenapi
    assert api.VM.get_by_name_label("web") == []  # made by the test before, gone now


def test_a_vms_whole_life(xenapi_session):
    api = xenapi_session.xenapi
    vm = vmctl.create_vm(api, "life")
    assert vmctl.start(api, vm) and api.VM.get_power_state(vm) == "Running"
    assert not vmctl.start(api, vm)  # already running: nothing to do
    api.VM.pause(vm)
    assert vmctl.start(api, vm) and api.VM.get_power_state(vm) == "Running"
    api.VM.suspend(vm)
    assert api.VM.get_power_state(vm) == "Suspended"
    assert vmctl.start(api, vm) and api.VM.get_power_state(vm) == "Running"
    assert vmctl.stop(api, vm) == "clean"
    owned = vmctl.disks(api, vm)
    vmctl.delete(api, vm)
    with pytest.raises(XenAPI.Failure) as err:
        api.VDI.get_uuid(owned[0])
    assert err.value.details[0] == "HANDLE_INVALID"


def test_starting_a_running_vm_is_refused_with_xapis_error(xenapi_session):
    api = xenapi_session.xenapi
    vm = vmctl.create_vm(api, "twice")
    api.VM.start(vm, False, False)
    with pytest.raises(XenAPI.Failure) as err:
        api.VM.start(vm, False, False)
    assert err.value.details[:4] == ["VM_BAD_POWER_STATE", vm, "halted", "running"]


@pytest.mark.xenapi(vms=3)
def test_premade_vms(xenapi_session):
    api = xenapi_session.xenapi
    names = sorted(api.VM.get_name_label(vm) for vm in api.VM.get_all() if not api.VM.get_is_a_template(vm)
                   and not api.VM.get_is_control_domain(vm))
    assert names == ["vm-1", "vm-2", "vm-3"]


@pytest.mark.xenapi(vms=2, faults={"vm.create": "fail"})
def test_start_all_reports_a_failing_start_and_carries_on(xenapi_server, xenapi_session):
    api = xenapi_session.xenapi
    assert vmctl.start_all(api, ["vm-1", "vm-2"]) == {"vm-1": "INTERNAL_ERROR", "vm-2": "INTERNAL_ERROR"}
    assert api.VM.get_power_state(api.VM.get_by_name_label("vm-1")[0]) == "Halted"  # nothing half-started
    xenapi_server.clear_faults()
    assert vmctl.start_all(api, ["vm-1", "vm-2"]) == {}


@pytest.mark.xenapi(vms=1, power_state="Running", guest="no-drivers")
def test_stop_falls_back_to_hard_shutdown_when_the_guest_cannot_be_asked(xenapi_session):
    api = xenapi_session.xenapi
    vm = api.VM.get_by_name_label("vm-1")[0]
    assert vmctl.stop(api, vm) == "hard"
    assert api.VM.get_power_state(vm) == "Halted"


@pytest.mark.xenapi(vms=1, power_state="Running", faults={"vm.suspend.write": "delay:30"})
def test_a_slow_suspend_is_given_up_on_and_leaves_the_vm_running(xenapi_session):
    api = xenapi_session.xenapi
    vm = api.VM.get_by_name_label("vm-1")[0]
    task = api.Async.VM.suspend(vm)
    with pytest.raises(TimeoutError):
        vmctl.wait_task(api, task, timeout=0.2)
    assert api.task.get_status(task) == "pending"
    assert api.VM.get_power_state(vm) == "Running"


@pytest.mark.xenapi(vms=1)
def test_waiting_for_a_power_state_watches_events(xenapi_session):
    api = xenapi_session.xenapi
    vm = api.VM.get_by_name_label("vm-1")[0]
    task = api.Async.VM.start(vm, False, False)
    vmctl.wait_for_power_state(api, vm, "Running", timeout=10)
    vmctl.wait_task(api, task)  # succeeded (a failed task raises its XenAPI error)
    api.Async.VM.clean_shutdown(vm)
    vmctl.wait_for_power_state(api, vm, "Halted", timeout=10)


@pytest.mark.xenapi(api_version="2.16", templates=2)
def test_the_server_presents_the_api_version_and_templates_asked_for(xenapi_session):
    api = xenapi_session.xenapi
    assert vmctl.api_version(api) == "2.16"
    templates = [vm for vm in api.VM.get_all() if api.VM.get_is_a_template(vm)]
    assert len(templates) == 2
    with pytest.raises(LookupError):
        vmctl.create_vm(api, "x", template="Debian Bookworm 12")


def test_tools_that_take_a_url_and_credentials(xenapi_server):
    session = vmctl.connect(xenapi_server.url, xenapi_server.username, xenapi_server.password)
    assert session.xenapi.host.get_all()
    with pytest.raises(XenAPI.Failure) as err:
        vmctl.connect(xenapi_server.url, xenapi_server.username, "not-the-password")
    assert err.value.details[0] == "SESSION_AUTHENTICATION_FAILED"
