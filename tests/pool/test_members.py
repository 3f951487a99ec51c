"""Three xenia daemons on one three-member etcd cluster (loopback): one pool, seen alike from every member.

The first daemon makes the pool; the two started after it find it in etcd and add their own host.
Clients talk to each member with the XenAPI SDK, as they would to any xapi host.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import pytest
import XenAPI

from tests.pool.conftest import etcd_root
from xenia.pool.localetcd import EtcdCluster
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

TEMPLATE = "Debian Bookworm 12"


@pytest.fixture(scope="module")
def etcd_three() -> Iterator[EtcdCluster]:
    root = etcd_root()
    cluster = EtcdCluster(root, 3)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def members(etcd_three: EtcdCluster) -> Iterator[list[DaemonProcess]]:
    """The first makes the pool; the other two join it at the same time.  Their simulated hosts have
    8, 32 and 16 GiB; the third answers logins over TCP as xapi's slaves do (HOST_IS_SLAVE)."""
    options = [["--pool-serve-everywhere", "--driver-option", "memory=8G"],
               ["--pool-serve-everywhere", "--driver-option", "memory=32G"],
               ["--driver-option", "memory=16G"]]  # fmt: skip
    daemons = [DaemonProcess(extra_args=["--etcd", etcd_three.endpoints, *o]) for o in options]
    try:
        daemons[0].start()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(DaemonProcess.start, daemons[1:]))
        yield daemons
    finally:
        for d in daemons:
            d.cleanup()


@pytest.fixture
def sessions(members: list[DaemonProcess]) -> Iterator[list[Any]]:
    out: list[Any] = []
    for d in members[:2]:
        s = XenAPI.Session(d.url)
        s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        out.append(s)
    local = XenAPI.Session("http://" + str(members[2].socket_path).replace("/", "_"), transport=XenAPI.UDSTransport())
    local.xenapi.login_with_password("root", "", "2.0", "xenia-tests")  # the local socket: root, as on xapi
    out.append(local)
    yield out
    for s in out:
        with contextlib.suppress(XenAPI.Failure, OSError):
            s.xenapi.session.logout()


def _this_host(s: Any) -> str:
    host: str = s.xenapi.session.get_this_host(s._session)
    return host


def _wait_for(s: Any, classes: list[str], token: str, until: Any) -> str:
    """Follow event.from on one member until ``until(event)`` holds for an event; returns the new token."""
    while True:
        answer = s.xenapi.event_from(classes, token, 30.0)
        token = answer["token"]
        if any(until(e) for e in answer["events"]):
            return token
        assert answer["events"], "event.from waited 30 s with nothing"


def _as_sets(records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """xapi's sets have no order (a member that loaded the db indexes it in another order than the
    member that wrote it): compare them as sets."""
    return {ref: {k: sorted(v) if isinstance(v, list) else v for k, v in rec.items()} for ref, rec in records.items()}


def _same_everywhere(sessions: list[Any], cls: str) -> dict[str, Any]:
    records = [_as_sets(getattr(s.xenapi, cls).get_all_records()) for s in sessions]
    for other in records[1:]:
        assert other == records[0]
    return records[0]


def test_every_member_sees_one_pool_of_three_hosts(sessions: list[Any]) -> None:
    hosts = [_this_host(s) for s in sessions]
    assert len(set(hosts)) == 3
    for cls in ("host", "pool", "SR", "PBD", "network", "PIF"):
        _same_everywhere(sessions, cls)
    assert sorted(_same_everywhere(sessions, "host")) == sorted(hosts)
    (pool,) = _same_everywhere(sessions, "pool").values()
    assert pool["master"] == hosts[0]
    vms = sessions[0].xenapi.VM.get_all_records()
    dom0s = {r["resident_on"] for r in vms.values() if r["is_control_domain"]}
    assert dom0s == set(hosts)
    networks = sessions[1].xenapi.network.get_all_records()
    (pool_net,) = [n for n, r in networks.items() if r["other_config"].get("automatic") == "true"]
    assert {sessions[1].xenapi.PIF.get_host(p) for p in networks[pool_net]["PIFs"]} == set(hosts)


def test_a_write_on_one_member_reaches_the_others_and_their_events(sessions: list[Any]) -> None:
    tokens = [s.xenapi.event_from(["VM"], "", 0.0)["token"] for s in sessions]
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    vm = sessions[0].xenapi.VM.clone(template, "pool-written")
    for s, token in zip(sessions[1:], tokens[1:], strict=True):
        token = _wait_for(s, ["VM"], token, lambda e: e["ref"] == vm and e["operation"] == "add")
    sessions[2].xenapi.VM.set_name_description(vm, "set on the third")
    for s, token in zip(sessions[:2], tokens[:2], strict=True):
        _wait_for(s, ["VM"], token, lambda e: e["ref"] == vm and e["snapshot"]["name_description"] == "set on the third")
    _same_everywhere(sessions, "VM")
    sessions[1].xenapi.VM.destroy(vm)
    for s in (sessions[0], sessions[2]):
        with pytest.raises(XenAPI.Failure) as err:
            while True:  # until the deletion arrives (event.from would say so too)
                s.xenapi.VM.get_record(vm)
                s.xenapi.event_from(["VM"], s.xenapi.event_from(["VM"], "", 0.0)["token"], 1.0)
        assert err.value.details[0] == "HANDLE_INVALID"


def test_a_member_that_is_not_the_master_sends_logins_to_the_master(members: list[DaemonProcess],
                                                                    sessions: list[Any]) -> None:  # fmt: skip
    master = sessions[0].xenapi.pool.get_master(sessions[0].xenapi.pool.get_all()[0])
    with pytest.raises(XenAPI.Failure) as err:
        XenAPI.Session(members[2].url).xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
    assert err.value.details == ["HOST_IS_SLAVE", sessions[0].xenapi.host.get_address(master)]
    third = _this_host(sessions[2])
    sessions[0].xenapi.pool.designate_new_master(third)
    try:
        token = sessions[2].xenapi.event_from(["pool"], "", 0.0)["token"]
        while sessions[2].xenapi.pool.get_master(sessions[2].xenapi.pool.get_all()[0]) != third:
            token = sessions[2].xenapi.event_from(["pool"], token, 5.0)["token"]
        now_master = XenAPI.Session(members[2].url)
        now_master.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        now_master.xenapi.session.logout()
    finally:
        sessions[2].xenapi.pool.designate_new_master(master)


def _until_resident(s: Any, vm: str, host: str) -> None:
    token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
    while not (s.xenapi.VM.get_resident_on(vm) == host and s.xenapi.VM.get_power_state(vm) == "Running"):
        token = s.xenapi.event_from(["VM"], token, 5.0)["token"]


def test_start_on_any_member_from_any_member(sessions: list[Any]) -> None:
    """Each member asked to start a VM on each other member: the VM runs there, seen from all."""
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    hosts = [_this_host(s) for s in sessions]
    started = []
    for i, s in enumerate(sessions):
        target = hosts[(i + 1) % 3]
        vm = s.xenapi.VM.clone(template, f"started-from-{i}")
        s.xenapi.VM.set_is_a_template(vm, False)  # no disks: it may run on any member
        s.xenapi.VM.start_on(vm, target, False, False)
        started.append((vm, target))
    for s in sessions:
        for vm, host in started:
            _until_resident(s, vm, host)
    vm, host = started[0]  # evacuated: its VM moves to another member (VM.pool_migrate), still running
    assert sessions[2].xenapi.host.get_vms_which_prevent_evacuation(host) == {}
    sessions[2].xenapi.host.evacuate(host, "OpaqueRef:NULL", "0")
    for s in sessions:
        token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
        while s.xenapi.VM.get_resident_on(vm) in (host, "OpaqueRef:NULL"):
            token = s.xenapi.event_from(["VM"], token, 5.0)["token"]
        assert s.xenapi.VM.get_power_state(vm) == "Running"
    assert [v for v, _ in started if sessions[0].xenapi.VM.get_resident_on(v) == host] == []
    for vm, _host in started:
        sessions[1].xenapi.VM.hard_shutdown(vm)
        sessions[1].xenapi.VM.destroy(vm)


def test_a_nic_cap_set_on_any_member_is_applied_by_the_vm_s_host(members: list[DaemonProcess],
                                                                 sessions: list[Any]) -> None:
    """VIF ``ratelimit`` changed through a member the VM does not run on: its host's driver applies it
    (docs/qos.md), read from that host's simulator state as its administrator would."""
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    hosts = [_this_host(s) for s in sessions]
    api = sessions[0].xenapi
    vm = api.VM.clone(template, "nic-cap")
    api.VM.set_is_a_template(vm, False)
    vif = api.VIF.create({"device": "0", "network": api.network.get_all()[0], "VM": vm, "MAC": "", "MTU": "1500",
                          "other_config": {}, "qos_algorithm_type": "ratelimit", "qos_algorithm_params": {}})  # fmt: skip
    api.VM.start_on(vm, hosts[1], False, False)
    _until_resident(sessions[0], vm, hosts[1])
    api.VIF.set_qos_algorithm_params(vif, {"kbps": "640"})
    assert api.VIF.get_qos_algorithm_params(vif) == {"kbps": "640"}  # read where it was asked: xapi's master
    assert [n["rate"] for n in _sim_domain(members[1], api.VM.get_uuid(vm))["nics"]] == [640]
    api.VM.hard_shutdown(vm)
    api.VM.destroy(vm)


def _sim_domain(member: DaemonProcess, uuid: str) -> dict[str, Any]:
    """A domain as the member's simulated hypervisor holds it (its state file, read as its administrator would)."""
    state = member.state_dir / "sim" / "domains.sqlite"
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        (data,) = db.execute("SELECT data FROM domains WHERE uuid = ?", (uuid,)).fetchone()
    finally:
        db.close()
    domain: dict[str, Any] = orjson.loads(data)
    return domain


def test_devices_and_live_settings_of_a_running_vm_are_changed_by_its_member(members: list[DaemonProcess],
                                                                             sessions: list[Any]) -> None:  # fmt: skip
    """Hot-plug, CD media and live vCPU and memory changes asked of the other two members: the second
    member, which runs the VM, makes them on its domain (xapi's forward_vm_op/forward_vbd_op), and the
    member asked answers with the db as that member left it."""
    hosts = [_this_host(s) for s in sessions]
    api, local = sessions[0].xenapi, sessions[2].xenapi
    (template,) = api.VM.get_by_name_label(TEMPLATE)
    vm = api.VM.clone(template, "live-devices")
    api.VM.set_is_a_template(vm, False)
    api.VM.set_VCPUs_max(vm, 4)
    api.VM.set_VCPUs_at_startup(vm, 1)
    vif = api.VIF.create({"device": "0", "network": api.network.get_all()[0], "VM": vm, "MAC": "", "MTU": "1500",
                          "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    (sr,) = [api.PBD.get_SR(p) for p in api.host.get_PBDs(hosts[1])
             if api.SR.get_name_label(api.PBD.get_SR(p)) == "Local storage"]  # fmt: skip
    disk = api.VDI.create({"name_label": "hot disk", "SR": sr, "virtual_size": str(1 << 20), "type": "user",
                           "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    vbd_fields = {"VM": vm, "bootable": False, "mode": "RW", "unpluggable": True, "empty": False,
                  "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}}  # fmt: skip
    cd = api.VBD.create({**vbd_fields, "VDI": "OpaqueRef:NULL", "userdevice": "3", "type": "CD", "empty": True,
                         "mode": "RO"})  # fmt: skip
    api.VM.start_on(vm, hosts[1], False, False)
    _until_resident(sessions[0], vm, hosts[1])
    uuid = api.VM.get_uuid(vm)
    assert [n["d"] for n in _sim_domain(members[1], uuid)["nics"]] == ["0"]

    api.VIF.unplug(vif)
    assert _sim_domain(members[1], uuid)["nics"] == []
    assert api.VIF.get_currently_attached(vif) is False
    local.VIF.plug(vif)
    assert [n["d"] for n in _sim_domain(members[1], uuid)["nics"]] == ["0"]
    assert local.VIF.get_currently_attached(vif) is True

    vbd = local.VBD.create({**vbd_fields, "VDI": disk, "userdevice": "1", "type": "Disk"})
    task = api.Async.VBD.plug(vbd)  # the task on the member asked, the plug on the VM's member
    assert _task_status(sessions[0], task) == "success", api.task.get_error_info(task)
    disks = {d["u"]: d for d in _sim_domain(members[1], uuid)["disks"]}
    assert disks["1"]["p"] is not None and disks["1"]["p"].endswith(api.VDI.get_location(disk))
    assert api.VBD.get_currently_attached(vbd) is True
    local.VBD.unplug(vbd)
    assert "1" not in {d["u"] for d in _sim_domain(members[1], uuid)["disks"]}

    api.VBD.insert(cd, disk)
    disks = {d["u"]: d for d in _sim_domain(members[1], uuid)["disks"]}
    assert disks["3"]["p"] is not None and disks["3"]["p"].endswith(api.VDI.get_location(disk))
    assert api.VBD.get_VDI(cd) == disk
    local.VBD.eject(cd)
    assert {d["u"]: d["p"] for d in _sim_domain(members[1], uuid)["disks"]}["3"] is None
    assert local.VBD.get_empty(cd) is True

    api.VM.set_VCPUs_number_live(vm, 3)
    assert _sim_domain(members[1], uuid)["vcpus"] == 3
    assert api.VM.get_VCPUs_at_startup(vm) == "3"
    static_max = int(api.VM.get_memory_static_max(vm))
    local.VM.set_memory_dynamic_range(vm, str(static_max // 2), str(static_max // 2))
    assert _sim_domain(members[1], uuid)["target"] == static_max // 2
    assert local.VM.get_memory_target(vm) == str(static_max // 2)

    with pytest.raises(XenAPI.Failure) as err:  # the VM's member checks, and its answer comes back
        api.VM.set_VCPUs_number_live(vm, 5)
    assert err.value.details[0] == "INVALID_VALUE"
    api.VM.hard_shutdown(vm)
    api.VM.destroy(vm)
    api.VDI.destroy(disk)


def test_start_places_a_vm_on_the_host_with_most_free_memory(sessions: list[Any]) -> None:
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    vm = sessions[2].xenapi.VM.clone(template, "placed")
    sessions[2].xenapi.VM.set_is_a_template(vm, False)
    hosts = [_this_host(s) for s in sessions]
    assert sorted(sessions[2].xenapi.VM.get_possible_hosts(vm)) == sorted(hosts)
    sessions[2].xenapi.VM.start(vm, False, False)
    _until_resident(sessions[2], vm, hosts[1])  # 32 GiB, against 8 and 16
    sessions[0].xenapi.VM.hard_shutdown(vm)
    sessions[0].xenapi.host.disable(hosts[1])  # asked where the next calls are made (docs/pools.md)
    try:
        with pytest.raises(XenAPI.Failure) as err:
            sessions[0].xenapi.VM.start_on(vm, hosts[1], False, False)
        assert err.value.details == ["HOST_DISABLED", hosts[1]]
        sessions[0].xenapi.VM.start(vm, False, False)
        _until_resident(sessions[0], vm, hosts[2])  # the most free memory of the enabled hosts
    finally:
        sessions[0].xenapi.host.enable(hosts[1])
    sessions[0].xenapi.VM.hard_shutdown(vm)
    sessions[0].xenapi.VM.destroy(vm)


def test_a_vm_goes_only_where_its_disks_are(sessions: list[Any], tmp_path: Any) -> None:
    """Disks on the first host's local SR keep the VM there; on a shared SR, any member may run it."""
    s = sessions[1]
    hosts = [_this_host(x) for x in sessions]
    (template,) = s.xenapi.VM.get_by_name_label(TEMPLATE)
    vm = s.xenapi.VM.clone(template, "local-disk")
    s.xenapi.VM.provision(vm)  # onto the pool's default SR: the first host's local storage
    local_sr = s.xenapi.pool.get_default_SR(s.xenapi.pool.get_all()[0])
    assert s.xenapi.VM.get_possible_hosts(vm) == [hosts[0]]
    with pytest.raises(XenAPI.Failure) as err:
        s.xenapi.VM.assert_can_boot_here(vm, hosts[2])
    assert err.value.details == ["VM_REQUIRES_SR", vm, local_sr]
    shared = s.xenapi.SR.create(hosts[1], {"location": str(tmp_path / "shared")}, "0", "shared", "", "file", "user",
                                True, {})  # fmt: skip
    assert sorted(s.xenapi.PBD.get_host(p) for p in s.xenapi.SR.get_PBDs(shared)) == sorted(hosts)
    moved = s.xenapi.VM.copy(vm, "shared-disk", shared)
    for x in sessions:
        token = x.xenapi.event_from(["VM"], "", 0.0)["token"]
        while not _exists(x, moved):
            token = x.xenapi.event_from(["VM"], token, 5.0)["token"]
        assert sorted(x.xenapi.VM.get_possible_hosts(moved)) == sorted(hosts)
    sessions[0].xenapi.VM.start_on(moved, hosts[2], False, False)
    _until_resident(sessions[0], moved, hosts[2])
    disks = sorted(s.xenapi.VBD.get_VDI(b) for b in s.xenapi.VM.get_VBDs(moved))
    sessions[0].xenapi.VM.pool_migrate(moved, hosts[1], {})  # memory only: the disks stay on the shared SR
    _until_resident(sessions[1], moved, hosts[1])
    assert sorted(s.xenapi.VBD.get_VDI(b) for b in s.xenapi.VM.get_VBDs(moved)) == disks
    assert {s.xenapi.VDI.get_SR(d) for d in disks if d != "OpaqueRef:NULL"} == {shared}
    sessions[2].xenapi.VM.hard_shutdown(moved)


def _task_status(s: Any, task: str) -> str:
    token = s.xenapi.event_from(["task"], "", 0.0)["token"]
    while s.xenapi.task.get_status(task) in ("pending", "cancelling"):
        token = s.xenapi.event_from(["task"], token, 5.0)["token"]
    return str(s.xenapi.task.get_status(task))


def test_pool_migrate_moves_a_running_vm_and_keeps_its_record(sessions: list[Any]) -> None:
    """The same VM object (ref, uuid) runs on another member afterwards, seen alike from every member;
    asked on a member that does not run it, the VM's own member moves it (xapi forwards it too)."""
    hosts = [_this_host(s) for s in sessions]
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    vm = sessions[0].xenapi.VM.clone(template, "pool-migrated")
    sessions[0].xenapi.VM.set_is_a_template(vm, False)
    with pytest.raises(XenAPI.Failure) as err:
        sessions[0].xenapi.VM.pool_migrate(vm, hosts[2], {})
    assert err.value.details == ["VM_BAD_POWER_STATE", vm, "running", "halted"]
    assert "pool_migrate" not in sessions[0].xenapi.VM.get_allowed_operations(vm)
    sessions[0].xenapi.VM.start_on(vm, hosts[0], False, False)
    assert "pool_migrate" in sessions[0].xenapi.VM.get_allowed_operations(vm)  # as xapi lists it
    uuid = sessions[0].xenapi.VM.get_uuid(vm)
    before = sessions[0].xenapi.VM_metrics.get_record(sessions[0].xenapi.VM.get_metrics(vm))
    sessions[1].xenapi.VM.pool_migrate(vm, hosts[2], {"live": "true"})
    for s in sessions:
        _until_resident(s, vm, hosts[2])
        assert s.xenapi.VM.get_by_uuid(uuid) == vm
    after = sessions[2].xenapi.VM_metrics.get_record(sessions[2].xenapi.VM.get_metrics(vm))
    assert (after["memory_actual"], after["VCPUs_number"]) == (before["memory_actual"], before["VCPUs_number"])
    # the Async form on the member that runs it, back to the first; the task's result is empty (void)
    task = sessions[2].xenapi.Async.VM.pool_migrate(vm, hosts[0], {})
    assert _task_status(sessions[2], task) == "success"
    _until_resident(sessions[0], vm, hosts[0])
    # the domain really left the third member: an operation there is made on the first member now
    sessions[2].xenapi.VM.hard_shutdown(vm)
    _wait_halted(sessions[0], vm)
    sessions[0].xenapi.VM.destroy(vm)


def test_pool_migrate_refusals_failure_and_cancel_leave_it_running_on_its_member(sessions: list[Any]) -> None:
    hosts = [_this_host(s) for s in sessions]
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    vm = sessions[0].xenapi.VM.clone(template, "pool-stays")
    sessions[0].xenapi.VM.set_is_a_template(vm, False)
    sessions[0].xenapi.VM.set_memory(vm, str(12 << 30))  # more than the first host's 8 GiB
    sessions[0].xenapi.VM.start_on(vm, hosts[1], False, False)
    _until_resident(sessions[0], vm, hosts[1])
    with pytest.raises(XenAPI.Failure) as err:
        sessions[0].xenapi.VM.pool_migrate(vm, hosts[0], {})
    assert err.value.details[0] == "HOST_NOT_ENOUGH_FREE_MEMORY"
    assert int(err.value.details[1]) == 12 << 30
    sessions[1].xenapi.host.disable(hosts[2])
    try:
        with pytest.raises(XenAPI.Failure) as err:
            sessions[1].xenapi.VM.pool_migrate(vm, hosts[2], {})
        assert err.value.details == ["HOST_DISABLED", hosts[2]]
        # nowhere else to go: 8 GiB on the first host, the third disabled
        assert sessions[0].xenapi.host.get_vms_which_prevent_evacuation(hosts[1])[vm] == ["NO_HOSTS_AVAILABLE", vm]
        with pytest.raises(XenAPI.Failure) as err:
            sessions[0].xenapi.host.evacuate(hosts[1], "OpaqueRef:NULL", "0")
        assert err.value.details == ["NO_HOSTS_AVAILABLE", vm]
    finally:
        sessions[1].xenapi.host.enable(hosts[2])
    # the destination fails to load the VM at the switch-over: the VM runs on at its source
    sessions[2].xenapi.xenia.fault_set("vm.migrate.load", "fail-once")
    with pytest.raises(XenAPI.Failure) as err:
        sessions[1].xenapi.VM.pool_migrate(vm, hosts[2], {})
    assert err.value.details[:4] == ["VM_MIGRATE_FAILED", vm, hosts[1], hosts[2]]
    assert err.value.details[4].startswith("switch_over")
    assert sessions[1].xenapi.VM.get_resident_on(vm) == hosts[1]
    assert sessions[1].xenapi.VM.get_power_state(vm) == "Running"
    # cancelled during the memory copy (4 MiB of modelled memory at 256 KiB/s): the same
    task = sessions[1].xenapi.Async.VM.pool_migrate(vm, hosts[2], {"bandwidth": str(256 << 10)})
    while sessions[1].xenapi.task.get_progress(task) < 0.1:
        time.sleep(0.02)
    sessions[1].xenapi.task.cancel(task)
    assert _task_status(sessions[1], task) == "cancelled"
    assert sessions[1].xenapi.VM.get_resident_on(vm) == hosts[1]
    assert sessions[1].xenapi.VM.get_power_state(vm) == "Running"
    # nothing was left on the destination: the move goes through now
    sessions[0].xenapi.VM.pool_migrate(vm, hosts[2], {})
    for s in sessions:
        _until_resident(s, vm, hosts[2])
    sessions[0].xenapi.VM.hard_shutdown(vm)
    _wait_halted(sessions[0], vm)
    sessions[0].xenapi.VM.destroy(vm)


def test_a_host_disabled_through_one_member_is_refused_at_once_by_another(sessions: list[Any]) -> None:
    """Where a VM may go is decided on the pool as etcd has it when the call is made, as xapi's master
    decides on its own db: no client waits for a watch before it may trust ``host.disable``."""
    hosts = [_this_host(s) for s in sessions]
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    vm = sessions[0].xenapi.VM.clone(template, "pool-disabled-at-once")
    sessions[0].xenapi.VM.set_is_a_template(vm, False)
    try:
        for _ in range(50):
            sessions[1].xenapi.host.disable(hosts[2])
            try:
                with pytest.raises(XenAPI.Failure) as err:
                    sessions[0].xenapi.VM.start_on(vm, hosts[2], False, False)
                assert err.value.details == ["HOST_DISABLED", hosts[2]]
            finally:
                sessions[1].xenapi.host.enable(hosts[2])
            assert sessions[0].xenapi.VM.get_power_state(vm) == "Halted"
    finally:
        sessions[0].xenapi.VM.destroy(vm)


def test_an_object_made_through_one_member_is_used_at_once_through_another(sessions: list[Any]) -> None:
    """A member asked about an object its copy lacks first catches up with etcd (the object may have
    been made through another member a moment ago), as xapi's master has every object; a ref that
    names nothing is still HANDLE_INVALID, after that wait."""
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    made = []
    try:
        for n in range(30):
            vm = sessions[2].xenapi.VM.clone(template, f"used-at-once-{n}")
            made.append(vm)
            assert sessions[0].xenapi.VM.get_name_label(vm) == f"used-at-once-{n}"
            task = sessions[1].xenapi.Async.VM.set_start_delay(vm, "5")
            assert _task_status(sessions[1], task) == "success", sessions[1].xenapi.task.get_error_info(task)
    finally:
        for vm in made:
            sessions[2].xenapi.VM.destroy(vm)
    nothing = "OpaqueRef:00000000-0000-0000-0000-00000000beef"
    with pytest.raises(XenAPI.Failure) as err:
        sessions[0].xenapi.VM.get_name_label(nothing)
    assert err.value.details == ["HANDLE_INVALID", "VM", nothing]


def _wait_halted(s: Any, vm: str) -> None:
    token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
    while s.xenapi.VM.get_power_state(vm) != "Halted":
        token = s.xenapi.event_from(["VM"], token, 5.0)["token"]


def test_a_standalone_host_with_a_running_vm_refuses_to_join_then_joins(members: list[DaemonProcess],
                                                                         sessions: list[Any]) -> None:  # fmt: skip
    """xapi's pre-join checks, then the join: the host restarts as a member and the pool sees it."""
    master = members[0].url.removeprefix("http://")
    with DaemonProcess() as alone:  # its own SQLite db
        s = XenAPI.Session(alone.url)
        s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        (template,) = s.xenapi.VM.get_by_name_label(TEMPLATE)
        vm = s.xenapi.VM.clone(template, "keeps-it-home")
        s.xenapi.VM.set_is_a_template(vm, False)
        s.xenapi.VM.start(vm, False, False)
        with pytest.raises(XenAPI.Failure) as err:
            s.xenapi.pool.join(master, "root", ROOT_PASSWORD)
        assert err.value.details == ["JOINING_HOST_CANNOT_HAVE_RUNNING_VMS"]
        s.xenapi.VM.hard_shutdown(vm)
        with pytest.raises(XenAPI.Failure) as err:
            s.xenapi.pool.join(master, "root", "wrong")
        assert err.value.details[0] == "SESSION_AUTHENTICATION_FAILED"
        assert len(s.xenapi.host.get_all()) == 1  # refused: nothing changed
        token = sessions[0].xenapi.event_from(["host"], "", 0.0)["token"]
        s.xenapi.pool.join(master, "root", ROOT_PASSWORD)
        while len(sessions[0].xenapi.host.get_all()) < 4:
            token = sessions[0].xenapi.event_from(["host"], token, 5.0)["token"]
        hosts = sessions[0].xenapi.host.get_all()
        joined = set(hosts) - {_this_host(x) for x in sessions}
        (new_host,) = joined
        for x in sessions:  # the new member fills its host record in more than one write: until it is enabled
            seen = x.xenapi.event_from(["host"], "", 0.0)["token"]
            while not (_host_exists(x, new_host) and x.xenapi.host.get_enabled(new_host)):
                seen = x.xenapi.event_from(["host"], seen, 5.0)["token"]
        _same_everywhere(sessions, "host")
        # the restarted host is a member that is not the master: logins go to the master
        local = XenAPI.Session("http://" + str(alone.socket_path).replace("/", "_"), transport=XenAPI.UDSTransport())
        while True:
            try:
                local.xenapi.login_with_password("root", "", "2.0", "xenia-tests")
                break
            except (OSError, XenAPI.Failure):
                sessions[0].xenapi.event_from(["host"], token, 1.0)
        assert _this_host(local) == new_host
        assert sorted(local.xenapi.host.get_all()) == sorted(hosts)
        with pytest.raises(XenAPI.Failure) as err:
            XenAPI.Session(alone.url).xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        assert err.value.details[0] == "HOST_IS_SLAVE"
        assert not _exists(local, vm)  # its own db's objects stay behind, as with xapi
        # ejected, it restarts as a standalone host of its own, and the pool forgets it
        with pytest.raises(XenAPI.Failure) as err:
            sessions[1].xenapi.pool.eject(sessions[1].xenapi.pool.get_master(sessions[1].xenapi.pool.get_all()[0]))
        assert err.value.details[0] == "OPERATION_NOT_ALLOWED"
        sessions[1].xenapi.pool.eject(new_host)
        assert sorted(sessions[1].xenapi.host.get_all()) == sorted(set(hosts) - {new_host})
        token = sessions[0].xenapi.event_from(["host"], "", 0.0)["token"]
        while new_host in sessions[0].xenapi.host.get_all():
            token = sessions[0].xenapi.event_from(["host"], token, 5.0)["token"]
        _same_everywhere(sessions, "host")
        _same_everywhere(sessions, "PBD")
        while True:  # until the restarted standalone host answers a TCP login
            try:
                again = XenAPI.Session(alone.url)
                again.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
                break
            except (OSError, XenAPI.Failure) as e:
                assert not isinstance(e, XenAPI.Failure) or e.details[0] == "HOST_IS_SLAVE", e
                sessions[0].xenapi.event_from(["host"], token, 1.0)
        assert len(again.xenapi.host.get_all()) == 1


def test_two_members_changing_one_object_at_once_lose_nothing(sessions: list[Any]) -> None:
    """Two members add keys to one VM's other_config at the same time, each its own and both the same
    ones: every call of its own succeeds (a write another member beat is made again on the fresh
    object), each shared key is added by exactly one of them and refused to the other with xapi's
    MAP_DUPLICATE_KEY, and every member ends with every key."""
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    vm = sessions[0].xenapi.VM.clone(template, "contended")
    token = sessions[1].xenapi.event_from(["VM"], "", 0.0)["token"]
    while not _exists(sessions[1], vm):
        token = sessions[1].xenapi.event_from(["VM"], token, 5.0)["token"]
    before = set(sessions[0].xenapi.VM.get_other_config(vm))
    rounds = 25

    def hammer(i: int) -> dict[str, str]:
        api = sessions[i].xenapi
        outcome: dict[str, str] = {}
        for n in range(rounds):
            api.VM.add_to_other_config(vm, f"m{i}-{n}", str(i))
            try:
                api.VM.add_to_other_config(vm, f"shared-{n}", str(i))
                outcome[f"shared-{n}"] = "added"
            except XenAPI.Failure as e:
                outcome[f"shared-{n}"] = e.details[0]
        return outcome

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(hammer, (0, 1))
    for n in range(rounds):
        assert sorted((first[f"shared-{n}"], second[f"shared-{n}"])) == ["MAP_DUPLICATE_KEY", "added"]
    expected = {*before, *(f"m{i}-{n}" for i in (0, 1) for n in range(rounds)), *(f"shared-{n}" for n in range(rounds))}
    for s in sessions:
        token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
        while (keys := set(s.xenapi.VM.get_other_config(vm))) != expected:
            assert keys < expected, keys - expected
            answer = s.xenapi.event_from(["VM"], token, 30.0)
            assert answer["events"], f"no event in 30 s: {sorted(expected - keys)} missing"
            token = answer["token"]
    sessions[1].xenapi.VM.destroy(vm)


def test_two_members_cloning_one_template_at_once_all_succeed(sessions: list[Any]) -> None:
    """Each clone shows itself in the template's ``current_operations`` while it runs, so two members
    cloning one template write that record at the same time, and a member that has not yet seen the
    other's last write writes from a stale copy: every clone still succeeds (the marking is made again
    on the fresh record), and the template ends with no operation left on it, on every member."""
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    rounds = 30

    def clones(i: int) -> list[str]:
        return [sessions[i].xenapi.VM.clone(template, f"cloned-at-once-{i}-{n}") for n in range(rounds)]

    with ThreadPoolExecutor(2) as pool:
        made = [vm for batch in pool.map(clones, (0, 1)) for vm in batch]
    assert len(set(made)) == 2 * rounds
    for s in sessions:
        token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
        while s.xenapi.VM.get_current_operations(template) or not all(_exists(s, vm) for vm in made):
            answer = s.xenapi.event_from(["VM"], token, 30.0)
            assert answer["events"], s.xenapi.VM.get_current_operations(template)
            token = answer["token"]
    for vm in made:
        sessions[2].xenapi.VM.destroy(vm)


def test_the_pool_goes_on_when_one_etcd_member_of_three_dies(etcd_three: EtcdCluster, sessions: list[Any]) -> None:
    """Each member writes in turn once it has seen the previous member's write (a member whose watch
    went through the dead etcd member catches up by itself; until then its writes on objects changed
    meanwhile are refused, never lost)."""
    etcd_three.members[0].kill()
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    made: list[str] = []
    for i, s in enumerate(sessions):
        token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
        while not all(_exists(s, vm) for vm in made):
            token = s.xenapi.event_from(["VM"], token, 5.0)["token"]
        made.append(s.xenapi.VM.clone(template, f"after-etcd-loss-{i}"))
    for s in sessions:
        token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
        while not all(_exists(s, vm) for vm in made):
            token = s.xenapi.event_from(["VM"], token, 5.0)["token"]
    _same_everywhere(sessions, "VM")


def _host_exists(s: Any, host: str) -> bool:
    try:
        s.xenapi.host.get_uuid(host)
    except XenAPI.Failure:
        return False
    return True


def _exists(s: Any, vm: str) -> bool:
    try:
        s.xenapi.VM.get_uuid(vm)
    except XenAPI.Failure:
        return False
    return True
