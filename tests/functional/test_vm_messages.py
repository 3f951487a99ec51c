"""VM messages clients call besides the lifecycle, through the official SDK, with xapi's answers.

Expected values come from xapi's ``xapi_vm.ml`` / ``xapi_vm_helpers.ml``: the device ranges of
CA-6525 (disks 0-254, NICs 0-15), the setters' checks and the errors of deprecated messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def api(daemon: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(daemon.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "vm-messages")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


@pytest.fixture
def vm(api: Any) -> Iterator[str]:
    ref: str = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], "messages")
    api.VM.provision(ref)
    yield ref
    if api.VM.get_power_state(ref) != "Halted":
        api.VM.hard_shutdown(ref)
    disks = [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(ref) if api.VBD.get_type(b) == "Disk"]
    api.VM.destroy(ref)
    for vdi in disks:
        api.VDI.destroy(vdi)


def test_allowed_vbd_devices_leave_out_the_used_ones(api: Any, vm: str) -> None:
    used = {api.VBD.get_userdevice(b) for b in api.VM.get_VBDs(vm)}
    allowed = api.VM.get_allowed_VBD_devices(vm)
    assert allowed == [str(n) for n in range(255) if str(n) not in used]
    cd = api.VBD.create({"VM": vm, "VDI": "OpaqueRef:NULL", "userdevice": "7", "bootable": False, "mode": "RO",
                         "type": "CD", "unpluggable": True, "empty": True, "other_config": {},
                         "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    assert "7" not in api.VM.get_allowed_VBD_devices(vm)
    api.VBD.destroy(cd)
    assert "7" in api.VM.get_allowed_VBD_devices(vm)


def test_allowed_vif_devices_are_0_to_15_less_the_used(api: Any, vm: str) -> None:
    used = {api.VIF.get_device(v) for v in api.VM.get_VIFs(vm)}
    assert api.VM.get_allowed_VIF_devices(vm) == [str(n) for n in range(16) if str(n) not in used]
    network = api.network.get_all()[0]
    vif = api.VIF.create({"device": "4", "network": network, "VM": vm, "MAC": "", "MTU": "1500",
                          "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    assert "4" not in api.VM.get_allowed_VIF_devices(vm)
    api.VIF.destroy(vif)


def test_boot_record_is_the_record(api: Any, vm: str) -> None:
    assert api.VM.get_boot_record(vm) == api.VM.get_record(vm)


def test_assert_operation_valid_says_why_not(api: Any, vm: str) -> None:
    api.VM.assert_operation_valid(vm, "start")
    assert error(api.VM.assert_operation_valid, vm, "pause") == ["VM_BAD_POWER_STATE", vm, "running", "halted"]
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    assert error(api.VM.assert_operation_valid, template, "start") == ["VM_IS_TEMPLATE", template, "start"]
    api.VM.update_allowed_operations(vm)
    assert "start" in api.VM.get_allowed_operations(vm)


def test_possible_hosts_and_boot_here(api: Any, vm: str) -> None:
    host = api.host.get_all()[0]
    assert api.VM.get_possible_hosts(vm) == [host]
    api.VM.assert_can_boot_here(vm, host)
    assert api.VM.get_cooperative(vm) is True


def test_boot_policy_and_domain_type_follow_each_other(api: Any, vm: str) -> None:
    api.VM.set_HVM_boot_policy(vm, "")
    assert api.VM.get_domain_type(vm) == "pv"
    api.VM.set_HVM_boot_policy(vm, "BIOS order")
    assert api.VM.get_domain_type(vm) == "hvm"
    api.VM.set_domain_type(vm, "pv")
    assert api.VM.get_HVM_boot_policy(vm) == ""
    assert error(api.VM.set_domain_type, vm, "unspecified") == ["INVALID_VALUE", "domain_type", "unspecified"]


@pytest.mark.parametrize("field", ["start_delay", "shutdown_delay", "order"])
def test_delays_and_order_are_non_negative(api: Any, vm: str, field: str) -> None:
    getattr(api.VM, f"set_{field}")(vm, "30")
    assert getattr(api.VM, f"get_{field}")(vm) == "30"
    assert error(getattr(api.VM, f"set_{field}"), vm, "-1") == [
        "INVALID_VALUE", f"{field} must be non-negative", "-1"]  # fmt: skip


def test_nvram(api: Any, vm: str) -> None:
    api.VM.set_NVRAM(vm, {"EFI-variables": "AAAA"})
    api.VM.add_to_NVRAM(vm, "EFI-variables-backend", "xapidb")
    assert api.VM.get_NVRAM(vm) == {"EFI-variables": "AAAA", "EFI-variables-backend": "xapidb"}
    assert error(api.VM.add_to_NVRAM, vm, "EFI-variables", "B")[0] == "MAP_DUPLICATE_KEY"
    api.VM.remove_from_NVRAM(vm, "EFI-variables")
    assert api.VM.get_NVRAM(vm) == {"EFI-variables-backend": "xapidb"}


def test_bios_strings_are_set_once(api: Any, vm: str) -> None:
    assert error(api.VM.set_bios_strings, vm, {"colour": "blue"}) == ["INVALID_VALUE", "colour", "Unknown key"]
    assert error(api.VM.set_bios_strings, vm, {"bios-vendor": ""}) == [
        "INVALID_VALUE", "bios-vendor", "Value provided is empty"]  # fmt: skip
    api.VM.set_bios_strings(vm, {"system-manufacturer": "ACME"})
    strings = api.VM.get_bios_strings(vm)
    assert strings["system-manufacturer"] == "ACME"
    assert strings["bios-vendor"] == "Xen" and strings["system-product-name"] == "HVM domU"  # xapi's generic ones
    assert error(api.VM.set_bios_strings, vm, {"bios-vendor": "x"}) == ["VM_BIOS_STRINGS_ALREADY_SET"]
    host = api.host.get_all()[0]
    assert error(api.VM.copy_bios_strings, vm, host) == ["VM_BIOS_STRINGS_ALREADY_SET"]


def test_copy_bios_strings_from_the_host(api: Any, vm: str) -> None:
    host = api.host.get_all()[0]
    api.VM.copy_bios_strings(vm, host)
    assert api.VM.get_bios_strings(vm) == api.host.get_bios_strings(host)
    assert api.VM.get_affinity(vm) == host


def test_halted_only_settings(api: Any, vm: str) -> None:
    api.VM.set_has_vendor_device(vm, True)
    assert api.VM.get_has_vendor_device(vm) is True
    api.VM.set_HVM_shadow_multiplier(vm, 2.0)
    assert api.VM.get_HVM_shadow_multiplier(vm) == 2.0
    assert error(api.VM.set_HVM_shadow_multiplier, vm, 0.5) == ["INVALID_VALUE", "multiplier", "0.5"]
    api.VM.start(vm, False, False)
    assert error(api.VM.set_has_vendor_device, vm, False) == ["VM_BAD_POWER_STATE", vm, "halted", "running"]
    assert error(api.VM.set_HVM_shadow_multiplier, vm, 1.0) == ["VM_BAD_POWER_STATE", vm, "halted", "running"]
    api.VM.set_memory_target_live(vm, "1073741824")  # deprecated: accepted, nothing changes


def test_suspend_vdi_only_identical_and_only_suspended(api: Any, vm: str) -> None:
    disk = next(api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
    assert error(api.VM.set_suspend_VDI, vm, disk) == ["VM_BAD_POWER_STATE", vm, "suspended", "halted"]
    api.VM.start(vm, False, False)
    api.VM.suspend(vm)
    image = api.VM.get_suspend_VDI(vm)
    api.VM.set_suspend_VDI(vm, image)  # the same image: nothing to do
    details = error(api.VM.set_suspend_VDI, vm, disk)
    assert details[0] == "SUSPEND_VDI_REPLACEMENT_IS_NOT_IDENTICAL"
    assert details[1].startswith(api.VDI.get_uuid(image) + " : ")
    assert api.VM.get_suspend_VDI(vm) == image


@pytest.mark.parametrize("call, args, expected", [
    ("send_sysrq", ("b",), ["NOT_IMPLEMENTED", "send_sysrq"]),
    ("send_trigger", ("nmi",), ["NOT_IMPLEMENTED", "send_trigger"]),
    ("add_to_VCPUs_params_live", ("weight", "1"), ["NOT_IMPLEMENTED", "add_to_VCPUs_params_live"]),
    ("query_services", (), ["NOT_IMPLEMENTED", "query_services"]),
    ("set_protection_policy", ("OpaqueRef:NULL",), ["MESSAGE_REMOVED"]),
])  # fmt: skip
def test_deprecated_messages_answer_as_xapi(api: Any, vm: str, call: str, args: tuple[str, ...],
                                            expected: list[str]) -> None:  # fmt: skip
    assert error(getattr(api.VM, call), vm, *args) == expected


def test_a_vm_on_local_storage_is_not_agile(api: Any, vm: str) -> None:
    """xapi's ``vm_assert_agile``: disks on an SR that is not shared tie the VM to its host."""
    disk = next(api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
    sr = api.VDI.get_SR(disk)
    assert api.SR.get_shared(sr) is False
    assert error(api.VM.assert_agile, vm) == ["HA_CONSTRAINT_VIOLATION_SR_NOT_SHARED", sr]
    api.SR.set_shared(sr, True)  # every host of this pool (the one) has it plugged
    try:
        api.VM.assert_agile(vm)
    finally:
        api.SR.set_shared(sr, False)


def test_memory_accounting(api: Any, vm: str) -> None:
    overhead = int(api.VM.compute_memory_overhead(vm))
    assert overhead == int(api.VM.get_memory_overhead(vm))
    mib = 1 << 20
    total = 3 * 1024 * mib + 12345
    best = int(api.VM.maximise_memory(vm, str(total), False))
    assert best % mib == 0 and best + overhead <= total < best + overhead + mib


def test_wait_memory_target_live(api: Any, vm: str) -> None:
    assert error(api.VM.wait_memory_target_live, vm) == ["VM_BAD_POWER_STATE", vm, "running, paused", "halted"]
    api.VM.start(vm, False, False)
    api.VM.wait_memory_target_live(vm)  # a simulated guest without a pending balloon is at its target
    metrics = api.VM.get_metrics(vm)
    assert abs(int(api.VM_metrics.get_memory_actual(metrics)) - int(api.VM.get_memory_target(vm))) <= 1 << 20


def test_snapshot_with_quiesce_was_removed(api: Any, vm: str) -> None:
    """xapi removed VSS support: VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED after the snapshot checks."""
    assert error(api.VM.snapshot_with_quiesce, vm, "q") == ["VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED", vm]
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    assert error(api.VM.snapshot_with_quiesce, template, "q")[0] == "VM_IS_TEMPLATE"
