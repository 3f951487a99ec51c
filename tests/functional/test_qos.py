"""VBD and VIF QoS on the simulator, through the official SDK (issue 15 item 6, issue 14).

What the fields mean comes from xapi (``xapi_xenops.ml``): a VIF ``ratelimit`` with ``kbps`` in KiB/s
(xenopsd multiplies by 1024); a VBD ``ionice`` sets an I/O priority, not a cap; an unknown algorithm is
stored and ignored.  The VBD ``ratelimit`` keys are xenia's (docs/qos.md).  The limits the simulator
runs with are read from its state file, as an administrator compares ``xe`` with the driver.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import XenAPI

from tests.functional.simstate import domains_file
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

KiB = 1024
NO_LIMITS = {"bps": 0, "bps_rd": 0, "bps_wr": 0, "iops": 0, "iops_rd": 0, "iops_wr": 0}


@pytest.fixture(scope="module")
def sim() -> Iterator[DaemonProcess]:
    with DaemonProcess() as d:
        yield d


@pytest.fixture(scope="module")
def api(sim: DaemonProcess) -> Iterator[Any]:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "qos")
    yield session.xenapi
    session.xenapi.session.logout()


@pytest.fixture
def vm(api: Any) -> Iterator[str]:
    """A halted VM with its provisioned disk and one NIC."""
    ref: str = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], "qos")
    api.VM.provision(ref)
    api.VIF.create({"device": "0", "network": api.network.get_all()[0], "VM": ref, "MAC": "", "MTU": "1500",
                    "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    yield ref
    if api.VM.get_power_state(ref) != "Halted":
        api.VM.hard_shutdown(ref)
    api.VM.destroy(ref)


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def sim_domain(sim: DaemonProcess, api: Any, vm: str) -> dict[str, Any]:
    """The simulator's committed domain of ``vm``."""
    db = sqlite3.connect(f"file:{domains_file(sim.state_dir)}?mode=ro", uri=True)
    try:
        (data,) = db.execute("SELECT data FROM domains WHERE uuid = ?", (api.VM.get_uuid(vm),)).fetchone()
    finally:
        db.close()
    domain: dict[str, Any] = orjson.loads(data)
    return domain


def disk_limits(sim: DaemonProcess, api: Any, vm: str, vbd: str) -> dict[str, int]:
    disks = {d["u"]: d for d in sim_domain(sim, api, vm)["disks"]}
    limits: dict[str, int] = disks[api.VBD.get_userdevice(vbd)]["q"]
    return limits


def nic_rate(sim: DaemonProcess, api: Any, vm: str, vif: str) -> int:
    nics = {n["d"]: n for n in sim_domain(sim, api, vm)["nics"]}
    rate: int = nics[api.VIF.get_device(vif)]["rate"]
    return rate


def disk_of(api: Any, vm: str) -> str:
    vbd: str = next(v for v in api.VM.get_VBDs(vm) if api.VBD.get_type(v) == "Disk")
    return vbd


def test_limits_set_while_halted_apply_at_start(api: Any, sim: DaemonProcess, vm: str) -> None:
    vbd, (vif,) = disk_of(api, vm), api.VM.get_VIFs(vm)
    api.VBD.set_qos_algorithm_type(vbd, "ratelimit")
    api.VBD.set_qos_algorithm_params(vbd, {"kbps": "1024", "write_iops": "50"})
    api.VIF.set_qos_algorithm_type(vif, "ratelimit")
    api.VIF.set_qos_algorithm_params(vif, {"kbps": "100", "timeslice_us": "20000"})
    api.VM.start(vm, False, False)
    assert disk_limits(sim, api, vm, vbd) == {**NO_LIMITS, "bps": 1024 * KiB, "iops_wr": 50}
    assert nic_rate(sim, api, vm, vif) == 100


def test_changes_on_a_running_vm_apply_at_once(api: Any, sim: DaemonProcess, vm: str) -> None:
    vbd, (vif,) = disk_of(api, vm), api.VM.get_VIFs(vm)
    api.VM.start(vm, False, False)
    assert disk_limits(sim, api, vm, vbd) == NO_LIMITS and nic_rate(sim, api, vm, vif) == 0
    api.VBD.set_qos_algorithm_params(vbd, {"read_kbps": "512"})
    assert disk_limits(sim, api, vm, vbd) == NO_LIMITS  # no algorithm chosen yet: nothing applies
    api.VBD.set_qos_algorithm_type(vbd, "ratelimit")
    assert disk_limits(sim, api, vm, vbd) == {**NO_LIMITS, "bps_rd": 512 * KiB}
    api.VBD.add_to_qos_algorithm_params(vbd, "iops", "200")
    assert disk_limits(sim, api, vm, vbd) == {**NO_LIMITS, "bps_rd": 512 * KiB, "iops": 200}
    api.VBD.remove_from_qos_algorithm_params(vbd, "read_kbps")
    assert disk_limits(sim, api, vm, vbd) == {**NO_LIMITS, "iops": 200}
    assert api.VBD.get_qos_algorithm_params(vbd) == {"iops": "200"}
    # xapi's own VBD algorithm is an I/O priority, not a cap: stored, no limit
    api.VBD.set_qos_algorithm_type(vbd, "ionice")
    api.VBD.set_qos_algorithm_params(vbd, {"sched": "idle"})
    assert disk_limits(sim, api, vm, vbd) == NO_LIMITS
    assert api.VBD.get_qos_algorithm_type(vbd) == "ionice"
    api.VIF.set_qos_algorithm_params(vif, {"kbps": "300"})
    api.VIF.set_qos_algorithm_type(vif, "ratelimit")
    assert nic_rate(sim, api, vm, vif) == 300
    api.VIF.set_qos_algorithm_type(vif, "")
    assert nic_rate(sim, api, vm, vif) == 0
    api.VM.pause(vm)  # a paused domain takes the change too
    api.VIF.set_qos_algorithm_type(vif, "ratelimit")
    assert nic_rate(sim, api, vm, vif) == 300


def test_bad_values_are_refused_and_lose_nothing(api: Any, sim: DaemonProcess, vm: str) -> None:
    vbd, (vif,) = disk_of(api, vm), api.VM.get_VIFs(vm)
    api.VBD.set_qos_algorithm_type(vbd, "ratelimit")
    api.VBD.set_qos_algorithm_params(vbd, {"kbps": "64"})
    api.VM.start(vm, False, False)
    assert error(api.VBD.add_to_qos_algorithm_params, vbd, "read_kbps", "fast")[:3] == [
        "INVALID_VALUE", "qos_algorithm_params:read_kbps must be a non-negative integer", "fast"]  # fmt: skip
    assert error(api.VBD.set_qos_algorithm_params, vbd, {"iops": "-1"})[0] == "INVALID_VALUE"
    assert error(api.VBD.add_to_qos_algorithm_params, vbd, "kbps", "1")[0] == "MAP_DUPLICATE_KEY"
    assert api.VBD.get_qos_algorithm_params(vbd) == {"kbps": "64"}
    assert disk_limits(sim, api, vm, vbd) == {**NO_LIMITS, "bps": 64 * KiB}
    api.VIF.set_qos_algorithm_params(vif, {"kbps": "1.5"})  # no algorithm chosen: xapi stores anything
    assert error(api.VIF.set_qos_algorithm_type, vif, "ratelimit")[0] == "INVALID_VALUE"
    assert api.VIF.get_qos_algorithm_type(vif) == ""
    # an algorithm xapi does not know is stored and applies nothing (xapi warns and goes on)
    api.VIF.set_qos_algorithm_type(vif, "no-such-algorithm")
    assert api.VIF.get_qos_algorithm_type(vif) == "no-such-algorithm" and nic_rate(sim, api, vm, vif) == 0
