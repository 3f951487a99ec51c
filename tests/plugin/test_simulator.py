"""The in-process simulator (``xenia.testing.Simulator``) and its snapshot/restore, as a client sees them.

Clients: the official SDK over TCP and over the local socket, xenia's JSON-RPC client (which, unlike
the SDK, does not log in again by itself, so a session ended by a restore shows), and xenstore's own
protocol on the store socket (pyxs).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import XenAPI
from pyxs import Client as XsClient

from xenia.client import Failure, Session
from xenia.testing.simulator import Simulator

TEMPLATE = "Generic Linux BIOS"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


def login(sim: Simulator) -> XenAPI.Session:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password(sim.username, sim.password, "2.0", "xenia-tests")
    return session


def new_vm(api: XenAPI.Session, name: str) -> str:
    vm: str = api.VM.clone(api.VM.get_by_name_label(TEMPLATE)[0], name)
    api.VM.provision(vm)
    return vm


def disk_paths(api: XenAPI.Session, vm: str) -> list[Path]:
    paths = []
    for vbd in api.VM.get_VBDs(vm):
        vdi = api.VBD.get_VDI(vbd)
        if vdi != "OpaqueRef:NULL":
            sr = api.VDI.get_SR(vdi)
            location = api.VDI.get_location(vdi) or f"{api.VDI.get_uuid(vdi)}.img"
            paths.append(Path(api.SR.get_other_config(sr)["path"]) / location)
    return paths


def sr_files(sim: Simulator) -> set[str]:
    return {os.path.join(d, n) for d, _, names in os.walk(sim.state_dir / "sr") for n in names}


def test_serves_the_sdk_over_tcp_and_the_local_socket() -> None:
    with Simulator(password="s3cret") as sim:
        api = login(sim).xenapi
        assert api.pool.get_all() and len(api.host.get_all()) == 1
        local = XenAPI.Session("http://" + str(sim.socket_path).replace("/", "_"), transport=XenAPI.UDSTransport())
        local.xenapi.login_with_password("root", "", "2.0", "xenia-tests")  # root without a password, as xapi
        assert local.xenapi.host.get_all() == api.host.get_all()
        with pytest.raises(XenAPI.Failure) as err:
            XenAPI.Session(sim.url).xenapi.login_with_password("root", "wrong", "2.0", "xenia-tests")
        assert err.value.details[0] == "SESSION_AUTHENTICATION_FAILED"
        state_dir = sim.state_dir
    assert not state_dir.exists()  # the throw-away directory goes with it
    with pytest.raises(OSError):
        XenAPI.Session(sim.url).xenapi.login_with_password("root", "s3cret", "2.0", "x")


def test_two_simulators_side_by_side_are_independent() -> None:
    with Simulator() as a, Simulator() as b:
        assert a.url != b.url and a.socket_path != b.socket_path
        new_vm(login(a).xenapi, "only-in-a")
        assert login(a).xenapi.VM.get_by_name_label("only-in-a")
        assert login(b).xenapi.VM.get_by_name_label("only-in-a") == []


def test_a_state_directory_keeps_state_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with Simulator(state) as sim:
        vm = new_vm(login(sim).xenapi, "kept")
        login(sim).xenapi.VM.start(vm, False, False)
    assert (state / "xenia.db").exists()
    with Simulator(state) as sim:
        api = login(sim).xenapi
        assert api.VM.get_by_name_label("kept") == [vm]
        assert api.VM.get_power_state(vm) == "Running"  # adopted, as `xenia serve` does
        api.VM.hard_shutdown(vm)


def test_restore_brings_back_db_domains_store_files_and_faults(sim: Simulator) -> None:
    api = login(sim).xenapi
    keep = new_vm(api, "kept-vm")
    keep_disks = disk_paths(api, keep)
    assert keep_disks and all(p.exists() for p in keep_disks)
    files_before = sr_files(sim)
    snap = sim.snapshot()

    made = new_vm(api, "made-after")
    api.VM.start(made, False, False)
    first_domid = api.VM.get_domid(made)
    api.VM.set_name_label(keep, "renamed")
    api.VM.destroy(keep)
    for p in keep_disks:
        p.unlink(missing_ok=True)  # as VDI.destroy would
    sim.set_fault("vm.create", "fail")
    with XsClient(unix_socket_path=str(sim.xenstore_path)) as xs:
        assert xs.exists(f"/local/domain/{first_domid}".encode())

    sim.restore(snap)

    api = login(sim).xenapi
    assert api.VM.get_by_name_label("made-after") == []
    assert api.VM.get_by_name_label("kept-vm") == [keep]
    assert api.VM.get_power_state(keep) == "Halted"
    assert sr_files(sim) == files_before and all(p.exists() for p in keep_disks)
    assert sim.faults() == {}
    with XsClient(unix_socket_path=str(sim.xenstore_path)) as xs:
        assert not xs.exists(f"/local/domain/{first_domid}".encode())
    # the simulator forgot the domain: a start gets the same domid as before, and succeeds
    again = new_vm(api, "made-again")
    api.VM.start(again, False, False)
    assert api.VM.get_domid(again) == first_domid
    assert "clean_shutdown" in api.VM.get_allowed_operations(again)
    api.VM.clean_shutdown(again)  # the guest answers through the restored store
    assert api.VM.get_power_state(again) == "Halted"
    sim.restore(snap)


def test_restore_ends_every_session_and_its_tasks(sim: Simulator) -> None:
    snap = sim.snapshot()
    client = Session(sim.url)
    client.login("root", sim.password)
    task = client.xenapi.task.create("left over", "")
    assert task in client.xenapi.task.get_all()
    sim.restore(snap)
    with pytest.raises(Failure) as err:
        client.xenapi.task.get_all()
    assert err.value.code == "SESSION_INVALID"
    fresh = Session(sim.url)
    fresh.login("root", sim.password)
    assert fresh.xenapi.task.get_all() == []


def test_event_tokens_keep_increasing_across_a_restore(sim: Simulator) -> None:
    snap = sim.snapshot()
    api = login(sim).xenapi
    vm = new_vm(api, "churn")
    token = api.event_from(["VM"], "", 0.0)["token"]
    sim.restore(snap)
    api = login(sim).xenapi
    after = api.event_from(["VM"], token, 0.0)
    # a watcher holding a token from before the restore sees the VM the restore removed go
    assert [e["ref"] for e in after["events"] if e["operation"] == "del"] == [vm]
    assert after["token"] > token


def test_a_running_vm_in_the_snapshot_comes_back_running(sim: Simulator) -> None:
    api = login(sim).xenapi
    vm = new_vm(api, "runner")
    api.VM.start(vm, False, False)
    domid = api.VM.get_domid(vm)
    snap = sim.snapshot()
    api.VM.hard_shutdown(vm)
    sim.restore(snap)
    api = login(sim).xenapi
    assert api.VM.get_power_state(vm) == "Running" and api.VM.get_domid(vm) == domid
    api.VM.clean_shutdown(vm)  # its simulated guest watches its control key again
    assert api.VM.get_power_state(vm) == "Halted"
    with contextlib.suppress(XenAPI.Failure):
        api.VM.destroy(vm)
