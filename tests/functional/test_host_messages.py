"""host messages through the official SDK, answered as xapi answers them on a pool of one host.

``xapi_host.ml``: with no other enabled host, every VM running here prevents evacuation with
NO_HOSTS_AVAILABLE [vm]; ``evacuate`` raises that error, ``assert_can_evacuate`` wraps them in
CANNOT_EVACUATE_HOST; a disabled host takes no new VM; deprecated calls answer as xapi does.
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
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "host-messages")
    yield session.xenapi
    session.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


@pytest.fixture
def host(api: Any) -> str:
    ref: str = api.host.get_all()[0]
    return ref


def test_evacuating_a_pool_of_one(api: Any, host: str) -> None:
    assert api.host.get_vms_which_prevent_evacuation(host) == {}
    api.host.assert_can_evacuate(host)
    api.host.evacuate(host, "OpaqueRef:NULL", "0")  # nothing runs: nothing to move
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "stays")
    api.VM.provision(vm)
    api.VM.start(vm, False, False)
    assert api.host.get_vms_which_prevent_evacuation(host) == {vm: ["NO_HOSTS_AVAILABLE", vm]}
    assert error(api.host.assert_can_evacuate, host) == ["CANNOT_EVACUATE_HOST", f"NO_HOSTS_AVAILABLE,{vm}"]
    assert error(api.host.evacuate, host, "OpaqueRef:NULL", "0") == ["NO_HOSTS_AVAILABLE", vm]
    api.VM.hard_shutdown(vm)
    api.VM.destroy(vm)


def test_a_disabled_host_starts_nothing(api: Any, host: str) -> None:
    vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "waits")
    api.VM.provision(vm)
    api.host.disable(host)
    try:
        assert api.host.get_enabled(host) is False
        assert error(api.VM.start, vm, False, False) == ["NO_HOSTS_AVAILABLE"]
        assert error(api.VM.start_on, vm, host, False, False) == ["HOST_DISABLED", host]
        assert error(api.VM.pause, vm)[0] == "VM_BAD_POWER_STATE"  # the VM's own checks come first
    finally:
        api.host.enable(host)
    assert api.host.get_enabled(host) is True
    api.VM.start(vm, False, False)
    api.VM.hard_shutdown(vm)
    api.VM.destroy(vm)


def test_memory_and_interfaces(api: Any, host: str) -> None:
    free = int(api.host.compute_free_memory(host))
    assert 0 < free <= int(api.host_metrics.get_memory_total(api.host.get_metrics(host)))
    assert api.host.compute_memory_overhead(host) == api.host.get_memory_overhead(host)
    pif = api.host.get_management_interface(host)
    assert api.PIF.get_management(pif) is True and api.PIF.get_host(pif) == host
    assert api.host.get_uncooperative_resident_VMs(host) == []
    assert api.host.has_extension(host, "Test.test_extension") is False


def test_settings(api: Any, host: str) -> None:
    api.host.set_multipathing(host, True)
    assert api.host.get_multipathing(host) is True
    assert api.host.get_other_config(host)["multipathing"] == "true"
    api.host.set_multipathing(host, False)
    api.host.set_ssl_legacy(host, False)
    assert error(api.host.set_ssl_legacy, host, True) == [
        "VALUE_NOT_SUPPORTED", "value", "true", "Legacy SSL support has been removed"]  # fmt: skip
    assert error(api.host.set_sched_gran, host, "core") == ["OPERATION_NOT_ALLOWED", "Disabled by xapi.conf"]


@pytest.mark.parametrize("call, expected", [("get_log", "get_log"), ("dmesg_clear", "dmesg_clear")])
def test_calls_xapi_does_not_implement(api: Any, host: str, call: str, expected: str) -> None:
    assert error(getattr(api.host, call), host) == ["NOT_IMPLEMENTED", expected]


def test_list_methods_as_xapi(api: Any) -> None:
    assert error(api.host.list_methods) == ["NOT_IMPLEMENTED", "list_method"]


def test_the_management_pif(api: Any, host: str) -> None:
    """xapi: a physical PIF cannot be destroyed (PIF_IS_PHYSICAL), the management one not forgotten
    nor given another address type (PIF_IS_MANAGEMENT_IFACE)."""
    pif = api.host.get_management_interface(host)
    assert api.PIF.get_VLAN(pif) == "-1" and api.PIF.get_physical(pif) is True
    assert error(api.PIF.destroy, pif) == ["PIF_IS_PHYSICAL"]
    assert error(api.PIF.forget, pif) == ["PIF_IS_MANAGEMENT_IFACE", pif]
    assert error(api.PIF.set_primary_address_type, pif, "IPv6") == ["PIF_IS_MANAGEMENT_IFACE", pif]
    api.PIF.set_disallow_unplug(pif, True)
    assert api.PIF.get_disallow_unplug(pif) is True
    api.PIF.set_disallow_unplug(pif, False)
    assert pif in api.PIF.get_all()


def test_db_forget_drops_a_pif_record_without_checks() -> None:
    """xapi's ``PIF.db_forget`` is ``Db.PIF.destroy``: even the management PIF's record goes."""
    with DaemonProcess() as d:
        session = XenAPI.Session(d.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "pif-forget")
        api = session.xenapi
        host = api.host.get_all()[0]
        pif = api.host.get_management_interface(host)
        api.PIF.db_forget(pif)
        assert pif not in api.PIF.get_all()
        assert error(api.host.get_management_interface, host)[0] == "INTERNAL_ERROR"


def test_shutdown_agent_stops_the_daemon_and_vms_carry_on() -> None:
    with DaemonProcess() as d:
        session = XenAPI.Session(d.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "shutdown-agent")
        api = session.xenapi
        vm = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], "outlives")
        api.VM.provision(vm)
        api.VM.start(vm, False, False)
        api.host.shutdown_agent()
        assert d.proc is not None
        assert d.proc.wait(timeout=60) == 0  # a clean stop, as on SIGTERM
        d.start()  # the same state: the VM was adopted, still running
        session = XenAPI.Session(d.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "shutdown-agent")
        assert session.xenapi.VM.get_power_state(vm) == "Running"
