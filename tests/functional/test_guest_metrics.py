"""Guest agents report through the store and xenia reads it into VM_guest_metrics, as xapi does.

The mapping of store keys to fields is xapi's (``xapi_guest_agent.ml``): ``data/os_*`` to
``os_version``, ``attr/PVAddons/*`` to ``PV_drivers_version`` (``micro`` -1 when missing),
``attr/vif/<n>/ipv4/<i>`` and the older ``attr/eth<n>/ip`` to ``networks``.  A script waits for
a guest's address the way xapi's examples do: it reads ``networks`` until ``0/ip`` appears.
"""

from __future__ import annotations

import os
import subprocess
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


@pytest.fixture
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "guest-metrics")
    yield session.xenapi
    session.xenapi.session.logout()


def xs(daemon: DaemonProcess, *args: str) -> str:
    env = {**os.environ, "XENSTORED_PATH": str(daemon.state_dir / "xenstored.sock")}
    done = subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.strip()


def guest_metrics_when(api: Any, vm: str, ready: Any) -> dict[str, Any]:
    """Poll the VM's guest metrics until ``ready(record)``, as xapi's example scripts wait for an IP."""
    for _ in range(1000):
        gm = api.VM.get_guest_metrics(vm)
        if gm != NULL:
            rec: dict[str, Any] = api.VM_guest_metrics.get_record(gm)
            if ready(rec):
                return rec
        time.sleep(0.02)
    raise AssertionError("the guest metrics never got there")


def new_vm(api: Any, name: str, nics: int, profile: str = "pv") -> str:
    vm: str = api.VM.clone(api.VM.get_by_name_label("Other install media")[0], name)
    api.VM.provision(vm)
    api.VM.add_to_other_config(vm, "xenia-sim-guest", profile)
    network = api.network.get_all()[0]
    for n in range(nics):
        api.VIF.create({"device": str(n), "network": network, "VM": vm, "MAC": "", "MTU": "1500",
                        "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    return vm


def test_a_simulated_guest_reports_its_addresses_and_os(api: Any, sim: DaemonProcess) -> None:
    vm = new_vm(api, "reports", nics=2)
    api.VM.start(vm, False, False)
    rec = guest_metrics_when(api, vm, lambda r: "0/ip" in r["networks"] and "1/ip" in r["networks"])
    base = f"/local/domain/{api.VM.get_domid(vm)}"
    for nic in ("0", "1"):
        written = xs(sim, "xenstore-read", f"{base}/attr/vif/{nic}/ipv4/0")
        assert rec["networks"][f"{nic}/ip"] == written
        assert rec["networks"][f"{nic}/ipv4/0"] == written
        assert rec["networks"][f"{nic}/ipv6/0"] == xs(sim, "xenstore-read", f"{base}/attr/vif/{nic}/ipv6/0")
    assert rec["os_version"]["name"] == xs(sim, "xenstore-read", f"{base}/data/os_name")
    assert rec["os_version"]["distro"] == xs(sim, "xenstore-read", f"{base}/data/os_distro")
    assert rec["PV_drivers_version"]["major"] == xs(sim, "xenstore-read", f"{base}/attr/PVAddons/MajorVersion")
    assert rec["memory"] == {}  # xapi: "This field exists but has no data"
    api.VM.hard_shutdown(vm)
    assert api.VM.get_guest_metrics(vm) == NULL
    api.VM.destroy(vm)


def test_keys_an_agent_writes_map_as_in_xapi(api: Any, sim: DaemonProcess) -> None:
    """A guest without the simulated agent; the test plays the agent, in both layouts."""
    vm = new_vm(api, "agent", nics=0, profile="no-drivers")
    api.VM.start(vm, False, False)
    base = f"/local/domain/{api.VM.get_domid(vm)}"
    xs(sim, "xenstore-write", f"{base}/attr/eth1/ip", "192.0.2.7", f"{base}/attr/eth1/ipv6/0/addr", "2001:db8::7",
       f"{base}/attr/PVAddons/MajorVersion", "7", f"{base}/attr/PVAddons/MinorVersion", "2",
       f"{base}/data/os_name", "Debian GNU/Linux 12", f"{base}/data/os_uname", "6.1.0-13-amd64",
       f"{base}/feature/hotplug/vif", "1", f"{base}/data/updated", "1")  # fmt: skip
    rec = guest_metrics_when(api, vm, lambda r: r["networks"] != {})
    assert rec["networks"] == {"1/ip": "192.0.2.7", "1/ipv4/0": "192.0.2.7", "1/ipv6/0": "2001:db8::7"}
    assert rec["PV_drivers_version"] == {"major": "7", "minor": "2", "micro": "-1"}
    assert rec["os_version"] == {"name": "Debian GNU/Linux 12", "uname": "6.1.0-13-amd64"}
    assert rec["can_use_hotplug_vif"] == "yes" and rec["can_use_hotplug_vbd"] == "unspecified"

    # the newer layout wins over the old one; the lowest ipv4 index is also <vif>/ip
    xs(sim, "xenstore-write", f"{base}/attr/vif/0/ipv4/1", "198.51.100.2", f"{base}/attr/vif/0/ipv4/0",
       "198.51.100.1", f"{base}/data/updated", "2")  # fmt: skip
    rec = guest_metrics_when(api, vm, lambda r: "0/ip" in r["networks"])
    assert rec["networks"] == {"0/ip": "198.51.100.1", "0/ipv4/0": "198.51.100.1", "0/ipv4/1": "198.51.100.2"}
    api.VM.hard_shutdown(vm)
    api.VM.destroy(vm)


def test_an_adopted_vm_agent_is_followed_after_a_restart() -> None:
    """After SIGKILL and a restart, the guest agents of adopted VMs are followed again (in the
    background, once the API answers): what an agent writes then reaches the guest metrics."""
    with DaemonProcess(extra_args=["--driver-option", "guest-delay=0.05"]) as daemon:
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "guest-metrics")
        api = session.xenapi
        vm = new_vm(api, "adopted", nics=0, profile="no-drivers")
        api.VM.start(vm, False, False)
        domid = api.VM.get_domid(vm)
        base = f"/local/domain/{domid}"
        xs(daemon, "xenstore-write", f"{base}/data/os_name", "before", f"{base}/data/updated", "1")
        guest_metrics_when(api, vm, lambda r: r["os_version"].get("name") == "before")
        daemon.kill()
        daemon.start()
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "guest-metrics")
        api = session.xenapi
        assert api.VM.get_power_state(vm) == "Running" and api.VM.get_domid(vm) == domid
        assert api.VM_guest_metrics.get_os_version(api.VM.get_guest_metrics(vm))["name"] == "before"
        xs(daemon, "xenstore-write", f"{base}/data/os_name", "after", f"{base}/data/updated", "2")
        guest_metrics_when(api, vm, lambda r: r["os_version"].get("name") == "after")
        api.VM.hard_shutdown(vm)
        session.xenapi.session.logout()
