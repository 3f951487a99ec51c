"""VIF, network, SR, VDI, PBD and VBD messages through the official SDK, with xapi's checks and errors.

Expected values follow ``xapi_vif.ml`` (address rules, VM_LACKS_FEATURE without the guest's
``feature-static-ip-setting``, locking constraints), ``xapi_network.ml`` (purposes, VIF_IN_USE),
``xapi_pbd.ml`` (VDI_IN_USE while a running VM uses the SR) and ``xapi_vbd.ml``.
"""

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
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05"]) as d:
        yield d


@pytest.fixture(scope="module")
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "device-messages")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


@pytest.fixture
def vm(api: Any) -> Iterator[str]:
    ref: str = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], "devices")
    api.VM.provision(ref)
    api.VIF.create({"device": "0", "network": api.network.get_all()[0], "VM": ref, "MAC": "", "MTU": "1500",
                    "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    yield ref
    if api.VM.get_power_state(ref) != "Halted":
        api.VM.hard_shutdown(ref)
    disks = [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(ref) if api.VBD.get_type(b) == "Disk"]
    api.VM.destroy(ref)
    for vdi in disks:
        api.VDI.destroy(vdi)


def eventually(predicate: Any) -> None:
    for _ in range(1000):
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("never happened")


def test_configure_ipv4_needs_a_guest_that_can_and_checks_addresses(api: Any, vm: str) -> None:
    vif = api.VM.get_VIFs(vm)[0]
    # halted: no guest metrics, so no guest feature (xapi: VM_LACKS_FEATURE)
    assert error(api.VIF.configure_ipv4, vif, "Static", "192.0.2.10/24", "192.0.2.1") == ["VM_LACKS_FEATURE", vm]
    assert error(api.VIF.configure_ipv4, vif, "Static", "192.0.2.10", "") == [
        "INVALID_CIDR_ADDRESS_SPECIFIED", "address"]  # fmt: skip
    assert error(api.VIF.configure_ipv4, vif, "Static", "192.0.2.10/24", "nope") == [
        "INVALID_IP_ADDRESS_SPECIFIED", "gateway"]  # fmt: skip
    assert error(api.VIF.configure_ipv6, vif, "Static", "192.0.2.10/24", "") == [
        "INVALID_CIDR_ADDRESS_SPECIFIED", "address"]  # fmt: skip
    api.VM.start(vm, False, False)
    eventually(lambda: api.VM.get_guest_metrics(vm) != NULL
               and "0/ip" in api.VM_guest_metrics.get_networks(api.VM.get_guest_metrics(vm)))  # fmt: skip
    api.VIF.configure_ipv4(vif, "Static", "192.0.2.10/24", "192.0.2.1")
    rec = api.VIF.get_record(vif)
    assert (rec["ipv4_configuration_mode"], rec["ipv4_addresses"], rec["ipv4_gateway"]) == (
        "Static", ["192.0.2.10/24"], "192.0.2.1")  # fmt: skip
    # the simulated guest agent applies it and reports the new address, as a script waiting for it sees
    eventually(lambda: api.VM_guest_metrics.get_networks(api.VM.get_guest_metrics(vm)).get("0/ip") == "192.0.2.10")
    api.VIF.configure_ipv6(vif, "Static", "2001:db8::10/64", "")
    assert api.VIF.get_ipv6_addresses(vif) == ["2001:db8::10/64"]


def test_locking_mode_and_allowed_addresses(api: Any, vm: str) -> None:
    vif = api.VM.get_VIFs(vm)[0]
    api.VIF.set_ipv4_allowed(vif, ["192.0.2.5", "192.0.2.5", "198.51.100.0/24"])
    assert api.VIF.get_ipv4_allowed(vif) == ["192.0.2.5", "198.51.100.0/24"]
    api.VIF.add_ipv4_allowed(vif, "203.0.113.9")
    assert error(api.VIF.add_ipv4_allowed, vif, "not-an-address") == ["INVALID_IP_ADDRESS_SPECIFIED", "ipv4_allowed"]
    assert error(api.VIF.add_ipv6_allowed, vif, "192.0.2.1") == ["INVALID_IP_ADDRESS_SPECIFIED", "ipv6_allowed"]
    api.VIF.remove_ipv4_allowed(vif, "192.0.2.5")
    assert api.VIF.get_ipv4_allowed(vif) == ["198.51.100.0/24", "203.0.113.9"]
    api.VIF.set_ipv6_allowed(vif, ["2001:db8::1"])
    api.VIF.remove_ipv6_allowed(vif, "2001:db8::1")
    assert api.VIF.get_ipv6_allowed(vif) == []
    api.VIF.set_locking_mode(vif, "locked")
    assert api.VIF.get_locking_mode(vif) == "locked"
    api.VM.start(vm, False, False)
    eventually(lambda: api.VM.get_guest_metrics(vm) != NULL)
    assert error(api.VIF.configure_ipv4, vif, "Static", "192.0.2.77/24", "") == [
        "ADDRESS_VIOLATES_LOCKING_CONSTRAINT", "192.0.2.77/24"]  # fmt: skip
    api.VIF.configure_ipv4(vif, "Static", "203.0.113.9/24", "")


def test_move_a_vif_to_another_network(api: Any, vm: str) -> None:
    vif = api.VM.get_VIFs(vm)[0]
    other = api.network.create({"name_label": "second", "name_description": "", "MTU": "1500", "other_config": {},
                                "bridge": "xenbr9", "managed": True, "tags": []})  # fmt: skip
    api.VIF.move(vif, other)
    assert api.VIF.get_network(vif) == other
    api.VM.start(vm, False, False)
    first = api.network.get_by_name_label(api.network.get_name_label(api.network.get_all()[0]))[0]
    api.VIF.move(vif, first)
    assert api.VIF.get_network(vif) == first and api.VIF.get_currently_attached(vif) is True
    # a network's default locking mode cannot change under a plugged VIF
    assert error(api.network.set_default_locking_mode, first, "disabled") == ["VIF_IN_USE", first, vif]
    api.network.set_default_locking_mode(other, "disabled")
    assert api.network.get_default_locking_mode(other) == "disabled"
    api.VM.hard_shutdown(vm)
    api.network.destroy(other)


def test_network_purposes(api: Any) -> None:
    network = api.network.get_all()[0]
    api.network.add_purpose(network, "nbd")
    api.network.add_purpose(network, "nbd")  # already there: nothing changes
    assert api.network.get_purpose(network) == ["nbd"]
    assert error(api.network.add_purpose, network, "insecure_nbd") == [
        "NETWORK_INCOMPATIBLE_PURPOSES", "insecure_nbd", "nbd"]  # fmt: skip
    api.network.remove_purpose(network, "nbd")
    assert api.network.get_purpose(network) == []


def test_disks_and_srs_can_be_renamed(api: Any, vm: str) -> None:
    vdi = next(api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
    api.VDI.set_name_label(vdi, "system disk")
    api.VDI.set_name_description(vdi, "root filesystem")
    assert (api.VDI.get_name_label(vdi), api.VDI.get_name_description(vdi)) == ("system disk", "root filesystem")
    sr = api.VDI.get_SR(vdi)
    old = api.SR.get_name_label(sr)
    api.SR.set_name_label(sr, "fast disks")
    api.SR.set_name_description(sr, "NVMe")
    assert api.SR.get_by_name_label("fast disks") == [sr]
    assert api.SR.get_name_description(sr) == "NVMe"
    api.SR.set_name_label(sr, old)
    api.VDI.set_sharable(vdi, True)
    assert api.VDI.get_sharable(vdi) is True
    api.VDI.set_sharable(vdi, False)


def test_pbd_unplug_refused_while_a_running_vm_uses_the_sr(api: Any, vm: str) -> None:
    vdi = next(api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
    pbd = api.SR.get_PBDs(api.VDI.get_SR(vdi))[0]
    api.VM.start(vm, False, False)
    assert error(api.PBD.unplug, pbd) == ["VDI_IN_USE", vdi]
    assert api.PBD.get_currently_attached(pbd) is True
    api.VM.hard_shutdown(vm)
    api.PBD.unplug(pbd)
    assert api.PBD.get_currently_attached(pbd) is False
    api.PBD.plug(pbd)
    assert api.PBD.get_currently_attached(pbd) is True


def test_vbd_mode_only_while_halted_and_attachable(api: Any, vm: str) -> None:
    vbd = next(b for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
    api.VBD.assert_attachable(vbd)
    api.VBD.set_mode(vbd, "RO")
    assert api.VBD.get_mode(vbd) == "RO"
    api.VBD.set_mode(vbd, "RW")
    vdi = api.VBD.get_VDI(vbd)
    api.VDI.set_read_only(vdi, True)
    assert error(api.VBD.assert_attachable, vbd) == ["VDI_READONLY", vdi]
    api.VDI.set_read_only(vdi, False)
    api.VM.start(vm, False, False)
    assert error(api.VBD.set_mode, vbd, "RO") == ["VM_BAD_POWER_STATE", vm, "halted", "running"]


def test_plain_storage_settings(api: Any, vm: str) -> None:
    vdi = next(api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk")
    api.VDI.set_allow_caching(vdi, True)
    assert api.VDI.get_allow_caching(vdi) is True
    api.VDI.set_allow_caching(vdi, False)
    sr = api.VDI.get_SR(vdi)
    size = api.SR.get_physical_size(sr)
    api.SR.set_physical_size(sr, "12345")
    assert api.SR.get_physical_size(sr) == "12345"
    api.SR.set_physical_size(sr, size)
    pbd = api.SR.get_PBDs(sr)[0]
    config = api.PBD.get_device_config(pbd)
    api.PBD.set_device_config(pbd, {**config, "note": "kept"})
    assert api.PBD.get_device_config(pbd)["note"] == "kept"
    api.PBD.set_device_config(pbd, config)

