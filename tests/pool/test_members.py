"""Three xenia daemons on one three-member etcd cluster (loopback): one pool, seen alike from every member.

The first daemon makes the pool; the two started after it find it in etcd and add their own host.
Clients talk to each member with the XenAPI SDK, as they would to any xapi host.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

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
    """The first makes the pool; the other two join it at the same time."""
    daemons = [DaemonProcess(extra_args=["--etcd", etcd_three.endpoints]) for _ in range(3)]
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
    for d in members:
        s = XenAPI.Session(d.url)
        s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        out.append(s)
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


def test_each_member_runs_the_vms_it_starts(sessions: list[Any]) -> None:
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    started: dict[str, str] = {}
    for i, s in enumerate(sessions):
        vm = s.xenapi.VM.clone(template, f"on-member-{i}")
        s.xenapi.VM.provision(vm)
        s.xenapi.VM.start(vm, False, False)
        started[vm] = _this_host(s)
    token = sessions[0].xenapi.event_from(["VM"], "", 0.0)["token"]
    for s in sessions:
        for vm, host in started.items():
            while s.xenapi.VM.get_resident_on(vm) != host:
                token = s.xenapi.event_from(["VM"], token, 5.0)["token"]
            assert s.xenapi.VM.get_power_state(vm) == "Running"
    for vm in started:
        sessions[0].xenapi.VM.hard_shutdown(vm)
        sessions[0].xenapi.VM.destroy(vm)


def test_the_pool_goes_on_when_one_etcd_member_of_three_dies(etcd_three: EtcdCluster, sessions: list[Any]) -> None:
    etcd_three.members[0].kill()
    (template,) = sessions[0].xenapi.VM.get_by_name_label(TEMPLATE)
    made = []
    for i, s in enumerate(sessions):
        made.append(s.xenapi.VM.clone(template, f"after-etcd-loss-{i}"))
    for s in sessions:
        token = s.xenapi.event_from(["VM"], "", 0.0)["token"]
        while not all(_exists(s, vm) for vm in made):
            token = s.xenapi.event_from(["VM"], token, 5.0)["token"]
    _same_everywhere(sessions, "VM")


def _exists(s: Any, vm: str) -> bool:
    try:
        s.xenapi.VM.get_uuid(vm)
    except XenAPI.Failure:
        return False
    return True
