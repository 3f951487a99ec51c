"""HA on a pool of three daemons on one etcd: a member that dies, and a member cut off from etcd.

Leases of 2 s (etcd's shortest) stand for xapi HA's 60 s host timeout.  The third member reaches
etcd only through a relay the test can cut.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import XenAPI

from tests.pool.proxy import Relay
from xenia.pool.localetcd import EtcdCluster
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

TEMPLATE = "Debian Bookworm 12"
TIMEOUT = "2"


@pytest.fixture(scope="module")
def relay(etcd_one: EtcdCluster) -> Iterator[Relay]:
    r = Relay(etcd_one.members[0].client_port)
    yield r
    r.cut()


@pytest.fixture(scope="module")
def members(etcd_one: EtcdCluster, relay: Relay) -> Iterator[list[DaemonProcess]]:
    endpoints = [etcd_one.endpoints, etcd_one.endpoints, relay.url]
    daemons = [DaemonProcess(extra_args=["--etcd", e, "--pool-host-timeout", TIMEOUT, "--pool-serve-everywhere"]) for e in endpoints]
    try:
        daemons[0].start()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(DaemonProcess.start, daemons[1:]))
        yield daemons
    finally:
        for d in daemons:
            d.cleanup()


def _login(d: DaemonProcess) -> Any:
    s = XenAPI.Session(d.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
    return s


@pytest.fixture(scope="module")
def sessions(members: list[DaemonProcess]) -> Iterator[list[Any]]:
    out = [_login(d) for d in members]
    yield out
    for s in out:
        with contextlib.suppress(XenAPI.Failure, OSError):
            s.xenapi.session.logout()


def _start_here(s: Any, name: str, priority: str) -> str:
    (template,) = s.xenapi.VM.get_by_name_label(TEMPLATE)
    vm: str = s.xenapi.VM.clone(template, name)
    s.xenapi.VM.set_is_a_template(vm, False)  # no disks: any member can run it
    s.xenapi.VM.set_ha_restart_priority(vm, priority)
    s.xenapi.VM.start_on(vm, _host_of(s), False, False)
    return vm


def _until(s: Any, classes: list[str], holds: Any) -> None:
    """Follow event.from on ``s`` until ``holds()`` (each wait ends on a change or after 30 s)."""
    token = s.xenapi.event_from(classes, "", 0.0)["token"]
    while not holds():
        answer = s.xenapi.event_from(classes, token, 30.0)
        assert answer["events"] or holds(), "nothing changed for 30 s"
        token = answer["token"]


def _host_of(s: Any) -> str:
    host: str = s.xenapi.session.get_this_host(s._session)
    return host


def test_ha_is_enabled_once_for_the_whole_pool(sessions: list[Any]) -> None:
    pool = sessions[0].xenapi.pool.get_all()[0]
    sessions[0].xenapi.pool.enable_ha([], {})
    _until(sessions[1], ["pool"], lambda: sessions[1].xenapi.pool.get_ha_enabled(pool))
    with pytest.raises(XenAPI.Failure) as err:
        sessions[1].xenapi.pool.enable_ha([], {})
    assert err.value.details == ["HA_IS_ENABLED"]
    assert sessions[2].xenapi.pool.ha_compute_max_host_failures_to_tolerate() == "2"
    sessions[2].xenapi.pool.set_ha_host_failures_to_tolerate(pool, "1")
    with pytest.raises(XenAPI.Failure) as err:
        sessions[0].xenapi.pool.set_ha_host_failures_to_tolerate(pool, "-1")
    assert err.value.details[0] == "INVALID_VALUE"


def test_a_dead_members_protected_vms_restart_on_a_survivor(members: list[DaemonProcess], sessions: list[Any]) -> None:
    doomed = _host_of(sessions[1])
    protected = _start_here(sessions[1], "protected", "restart")
    unprotected = _start_here(sessions[1], "unprotected", "")
    members[1].kill()
    s = sessions[0]
    survivors = {_host_of(sessions[0]), _host_of(sessions[2])}
    _until(s, ["VM"], lambda: s.xenapi.VM.get_power_state(protected) == "Running"
           and s.xenapi.VM.get_resident_on(protected) in survivors)  # fmt: skip
    assert s.xenapi.VM.get_power_state(unprotected) == "Halted"
    assert s.xenapi.host_metrics.get_live(s.xenapi.host.get_metrics(doomed)) is False
    doomed_uuid = s.xenapi.host.get_uuid(doomed)
    failed = [m for m in s.xenapi.message.get_all_records().values()
              if m["name"] == "HA_HOST_FAILED" and m["obj_uuid"] == doomed_uuid]  # fmt: skip
    assert len(failed) == 1 and failed[0]["cls"] == "Host"


def test_a_member_cut_off_from_etcd_fences_itself(members: list[DaemonProcess], sessions: list[Any],
                                                   relay: Relay, etcd_one: EtcdCluster) -> None:  # fmt: skip
    """Cut off, it ends its domains and stops; its protected VM runs on a survivor; started again
    (reaching etcd now), it is back in the pool and says it was fenced (xapi's HA_HOST_WAS_FENCED)."""
    cut_off = _host_of(sessions[2])
    protected = _start_here(sessions[2], "protected-on-the-cut-off", "restart")
    relay.cut()
    assert members[2].proc is not None
    assert members[2].proc.wait(timeout=60) == 75  # fenced: it ended its domains and stopped
    s = sessions[0]
    _until(s, ["VM"], lambda: s.xenapi.VM.get_resident_on(protected) == _host_of(s)
           and s.xenapi.VM.get_power_state(protected) == "Running")  # fmt: skip
    assert s.xenapi.host_metrics.get_live(s.xenapi.host.get_metrics(cut_off)) is False
    cut_off_uuid = s.xenapi.host.get_uuid(cut_off)
    members[2].extra_args = ["--etcd", etcd_one.endpoints, "--pool-host-timeout", TIMEOUT, "--pool-serve-everywhere"]
    members[2].start()
    _until(s, ["message", "host_metrics"], lambda: any(
        m["name"] == "HA_HOST_WAS_FENCED" for m in s.xenapi.message.get_all_records().values()))
    (fenced,) = [m for m in s.xenapi.message.get_all_records().values() if m["name"] == "HA_HOST_WAS_FENCED"]
    assert (fenced["cls"], fenced["obj_uuid"], fenced["priority"]) == ("Host", cut_off_uuid, "4")
    assert _host_of(_login(members[2])) == cut_off  # the same host, back
    assert s.xenapi.host_metrics.get_live(s.xenapi.host.get_metrics(cut_off)) is True
    assert s.xenapi.VM.get_resident_on(protected) == _host_of(s)  # it stays where HA restarted it
