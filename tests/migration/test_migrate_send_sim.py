"""VM.migrate_send between two xenia daemons (two hosts) on the simulator, through the official SDK."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

_ARGS = ["--driver-option", "guest-delay=0.05", "--driver-option", "migration-memory=64K"]


@pytest.fixture(scope="module")
def hosts() -> Iterator[tuple[DaemonProcess, DaemonProcess]]:
    with DaemonProcess(extra_args=_ARGS) as a, DaemonProcess(extra_args=_ARGS) as b:
        yield a, b


def _login(d: DaemonProcess) -> Any:
    session = XenAPI.Session(d.url)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "migration-tests")
    return session


@pytest.fixture
def apis(hosts: tuple[DaemonProcess, DaemonProcess]) -> Iterator[tuple[Any, Any]]:
    a, b = _login(hosts[0]), _login(hosts[1])
    yield a.xenapi, b.xenapi
    a.xenapi.session.logout()
    b.xenapi.session.logout()


def _running_vm(api: Any, name: str) -> str:
    vm = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], name)
    api.VM.set_is_a_template(vm, False)
    for vbd in api.VM.get_VBDs(vm):
        api.VBD.destroy(vbd)
    network = api.network.get_all()[0]
    api.VIF.create({"device": "0", "network": network, "VM": vm, "MAC": "", "MTU": "1500",
                    "other_config": {"tag": name}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
    api.VBD.create({"VM": vm, "VDI": "OpaqueRef:NULL", "userdevice": "3", "bootable": False, "mode": "RO",
                    "type": "CD", "empty": True, "unpluggable": True, "other_config": {}, "qos_algorithm_type": "",
                    "qos_algorithm_params": {}})
    api.VM.start(vm, False, False)
    return str(vm)


def _dest(dst: Any) -> tuple[dict[str, str], str]:
    host = dst.host.get_all()[0]
    network = dst.network.get_all()[0]
    return dst.host.migrate_receive(host, network, {}), network


def _vif_map(src: Any, vm: str, network: str) -> dict[str, str]:
    return {vif: network for vif in src.VM.get_VIFs(vm)}


def _wait(api: Any, task: str) -> str:
    while api.task.get_status(task) in ("pending", "cancelling"):
        time.sleep(0.02)
    return str(api.task.get_status(task))


def test_a_running_vm_moves_with_its_configuration(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm = _running_vm(src, "mover")
    uuid = src.VM.get_uuid(vm)
    before = src.VM.get_record(vm)
    mac = src.VIF.get_MAC(before["VIFs"][0])
    dest, network = _dest(dst)
    assert {"SM", "host", "xenops", "session_id", "master"} <= set(dest)  # xapi's keys
    src.VM.assert_can_migrate(vm, dest, True, {}, _vif_map(src, vm, network), {}, {})
    new = src.VM.migrate_send(vm, dest, True, {}, _vif_map(src, vm, network), {}, {})
    rec = dst.VM.get_record(new)
    assert rec["uuid"] == uuid and rec["power_state"] == "Running"
    assert rec["resident_on"] == dest["host"]
    for key in ("name_label", "memory_static_max", "VCPUs_max", "platform", "HVM_boot_params"):
        assert rec[key] == before[key], key
    vifs = [dst.VIF.get_record(v) for v in rec["VIFs"]]
    assert [(v["network"], v["MAC"], v["other_config"]) for v in vifs] == [(network, mac, {"tag": "mover"})]
    assert [dst.VBD.get_type(b) for b in rec["VBDs"]] == ["CD"]
    with pytest.raises(XenAPI.Failure) as gone:
        src.VM.get_by_uuid(uuid)
    assert gone.value.details[0] == "UUID_INVALID"
    # and back again: the VM is an ordinary VM on its new host (its memory compressed: xapi's option)
    back, src_network = _dest(src)
    home = dst.VM.migrate_send(new, back, True, {}, _vif_map(dst, new, src_network), {"compress": "true"}, {})
    assert src.VM.get_power_state(home) == "Running"


def _image_path(api: Any, vdi: str) -> str:
    rec = api.SR.get_record(api.VDI.get_SR(vdi))
    base = rec["other_config"].get("path") or rec["sm_config"].get("path")
    return f"{base}/{api.VDI.get_location(vdi)}"


def _image(api: Any, vdi: str) -> bytes:
    with open(_image_path(api, vdi), "rb") as f:
        return f.read()


def _scribble(api: Any, vdi: str, size: int = 100) -> None:
    """What the guest wrote: a simulated image is JSON; a key of its own makes this disk unlike any other."""
    path = _image_path(api, vdi)
    with open(path, "rb") as f:
        data = json.loads(f.read())
    data["written"] = uuid.uuid4().hex * size
    with open(path, "w") as f:
        json.dump(data, f)


def test_a_vm_with_a_disk_moves_its_disk_to_the_mapped_sr(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm = src.VM.clone(src.VM.get_by_name_label("Generic Linux BIOS")[0], "with-disk")
    src.VM.provision(vm)
    src.VM.start(vm, False, False)
    disks = [src.VBD.get_VDI(b) for b in src.VM.get_VBDs(vm) if src.VBD.get_type(b) == "Disk"]
    assert disks
    for d in disks:
        _scribble(src, d)
    images = {src.VDI.get_uuid(d): (_image(src, d), src.VDI.get_virtual_size(d)) for d in disks}
    dest, network = _dest(dst)
    sr = dst.pool.get_default_SR(dst.pool.get_all()[0])
    with pytest.raises(XenAPI.Failure) as unmapped:
        src.VM.migrate_send(vm, dest, True, {}, _vif_map(src, vm, network), {}, {})
    assert unmapped.value.details[0] == "VDI_NOT_IN_MAP"
    new = src.VM.migrate_send(vm, dest, True, dict.fromkeys(disks, sr), _vif_map(src, vm, network), {}, {})
    moved = [dst.VBD.get_VDI(b) for b in dst.VM.get_VBDs(new) if dst.VBD.get_type(b) == "Disk"]
    assert sorted((_image(dst, d), dst.VDI.get_virtual_size(d)) for d in moved) == sorted(images.values())
    assert all(dst.VDI.get_SR(d) == sr for d in moved)
    assert dst.VM.get_power_state(new) == "Running"
    for vdi_uuid in images:  # moved, not copied: xapi's storage motion leaves no source disk
        with pytest.raises(XenAPI.Failure):
            src.VDI.get_by_uuid(vdi_uuid)


def test_the_token_is_good_for_one_migration(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm1, vm2 = _running_vm(src, "one"), _running_vm(src, "two")
    dest, network = _dest(dst)
    src.VM.migrate_send(vm1, dest, True, {}, _vif_map(src, vm1, network), {}, {})
    with pytest.raises(XenAPI.Failure) as caught:
        src.VM.migrate_send(vm2, dest, True, {}, _vif_map(src, vm2, network), {}, {})
    code, _vm, _src, _dst, msg = caught.value.details
    assert code == "VM_MIGRATE_FAILED" and msg.startswith("connect: refused")
    assert src.VM.get_power_state(vm2) == "Running"


def test_a_host_refuses_a_vm_it_already_has(apis: tuple[Any, Any]) -> None:
    src, _dst = apis
    vm = _running_vm(src, "to-itself")
    dest, network = _dest(src)  # the VM's own host: its uuid is in that db already
    with pytest.raises(XenAPI.Failure) as caught:
        src.VM.migrate_send(vm, dest, True, {}, _vif_map(src, vm, network), {}, {})
    code, _vm, _src, _dst, msg = caught.value.details
    assert code == "VM_MIGRATE_FAILED" and msg.startswith("connect: refused") and "VM_EXISTS" in msg
    assert src.VM.get_power_state(vm) == "Running"


def test_an_unmapped_vif_is_refused_before_anything_moves(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm = _running_vm(src, "unmapped")
    dest, _network = _dest(dst)
    vif = src.VM.get_VIFs(vm)[0]
    with pytest.raises(XenAPI.Failure) as caught:
        src.VM.migrate_send(vm, dest, True, {}, {}, {}, {})
    assert caught.value.details == ["VIF_NOT_IN_MAP", vif]
    assert src.VM.get_power_state(vm) == "Running"


def _halted_vm_with_a_disk(api: Any, name: str, size: int = 100) -> tuple[str, list[str]]:
    """A provisioned VM (its disks on the default SR), never started; each disk holds ``size`` x 32 bytes of its own."""
    vm = api.VM.clone(api.VM.get_by_name_label("Generic Linux BIOS")[0], name)
    api.VM.provision(vm)
    disks = [api.VBD.get_VDI(b) for b in api.VM.get_VBDs(vm) if api.VBD.get_type(b) == "Disk"]
    assert disks
    for d in disks:
        _scribble(api, d, size)
    return str(vm), disks


def _gone(api: Any, cls: str, uuids: list[str]) -> bool:
    for u in uuids:
        try:
            getattr(api, cls).get_by_uuid(u)
        except XenAPI.Failure as exc:
            assert exc.details[0] == "UUID_INVALID"
            continue
        return False
    return True


def test_a_halted_vm_is_copied_with_its_disks_and_leaves_the_source(apis: tuple[Any, Any]) -> None:
    """xapi's migrate_send of a Halted VM: the disks per the map and the record arrive; the source's go."""
    src, dst = apis
    vm, disks = _halted_vm_with_a_disk(src, "halted-mover")
    uuid, before = src.VM.get_uuid(vm), src.VM.get_record(vm)
    images = sorted((_image(src, d), src.VDI.get_virtual_size(d)) for d in disks)
    disk_uuids = [src.VDI.get_uuid(d) for d in disks]
    dest, network = _dest(dst)
    sr = dst.pool.get_default_SR(dst.pool.get_all()[0])
    src.VM.assert_can_migrate(vm, dest, False, dict.fromkeys(disks, sr), {}, {}, {})
    new = src.VM.migrate_send(vm, dest, False, dict.fromkeys(disks, sr), {}, {}, {})
    rec = dst.VM.get_record(new)
    assert rec["uuid"] == uuid and rec["power_state"] == "Halted" and rec["resident_on"] == "OpaqueRef:NULL"
    for key in ("name_label", "memory_static_max", "VCPUs_max", "platform"):
        assert rec[key] == before[key], key
    moved = [dst.VBD.get_VDI(b) for b in rec["VBDs"] if dst.VBD.get_type(b) == "Disk"]
    assert sorted((_image(dst, d), dst.VDI.get_virtual_size(d)) for d in moved) == images
    assert all(dst.VDI.get_SR(d) == sr for d in moved)
    assert _gone(src, "VM", [uuid]) and _gone(src, "VDI", disk_uuids)  # moved, as xapi's storage motion
    dst.VM.start(new, False, False)  # an ordinary VM of its new host
    assert dst.VM.get_power_state(new) == "Running"
    dst.VM.hard_shutdown(new)


def test_copy_makes_a_new_vm_there_and_leaves_the_source_as_it_was(apis: tuple[Any, Any]) -> None:
    """xapi's ``copy`` option (cross-pool, a Halted VM): the destination gets a VM of its own (new
    uuid, new MACs, the disks' contents); the source keeps its VM and disks. Refused within a pool
    (OPERATION_NOT_ALLOWED) and for a VM that is not Halted (VM_BAD_POWER_STATE, halted expected)."""
    src, dst = apis
    vm, disks = _halted_vm_with_a_disk(src, "copied")
    network = src.network.get_all()[0]
    src.VIF.create({"device": "0", "network": network, "VM": vm, "MAC": "", "MTU": "1500", "other_config": {},
                    "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    before, mac = src.VM.get_record(vm), src.VIF.get_MAC(src.VM.get_VIFs(vm)[0])
    images = sorted(_image(src, d) for d in disks)
    sr = dst.pool.get_default_SR(dst.pool.get_all()[0])
    copy = {"copy": "true"}

    dest, dst_network = _dest(dst)
    new = src.VM.migrate_send(vm, dest, False, dict.fromkeys(disks, sr), _vif_map(src, vm, dst_network), copy, {})
    rec = dst.VM.get_record(new)
    assert rec["uuid"] != before["uuid"] and rec["power_state"] == "Halted"
    for key in ("name_label", "memory_static_max", "VCPUs_max", "platform"):
        assert rec[key] == before[key], key
    copied = [dst.VBD.get_VDI(b) for b in rec["VBDs"] if dst.VBD.get_type(b) == "Disk"]
    assert sorted(_image(dst, d) for d in copied) == images and all(dst.VDI.get_SR(d) == sr for d in copied)
    [vif] = [dst.VIF.get_record(v) for v in rec["VIFs"]]
    assert vif["network"] == dst_network and vif["MAC"] not in ("", mac)
    # the source as it was: its VM, VIF and disks, their contents
    assert src.VM.get_record(vm)["power_state"] == "Halted" and src.VM.get_uuid(vm) == before["uuid"]
    assert src.VIF.get_MAC(src.VM.get_VIFs(vm)[0]) == mac
    assert sorted(_image(src, d) for d in disks) == images

    # copied again: another VM there (its own uuid again), from a source still whole
    dest, dst_network = _dest(dst)
    again = src.VM.migrate_send(vm, dest, False, dict.fromkeys(disks, sr), _vif_map(src, vm, dst_network), copy, {})
    assert again != new and dst.VM.get_uuid(again) not in (rec["uuid"], before["uuid"])

    own, own_network = _dest(src)  # within the VM's own pool
    with pytest.raises(XenAPI.Failure) as caught:
        src.VM.migrate_send(vm, own, False, {}, _vif_map(src, vm, own_network), copy, {})
    assert caught.value.details[0] == "OPERATION_NOT_ALLOWED"
    src.VM.start(vm, False, False)
    for options in (copy, {**copy, "force": "true"}):  # xenia copies only a Halted VM, even with force
        dest, dst_network = _dest(dst)
        with pytest.raises(XenAPI.Failure) as caught:
            src.VM.assert_can_migrate(vm, dest, True, dict.fromkeys(disks, sr), _vif_map(src, vm, dst_network), options, {})
        assert caught.value.details == ["VM_BAD_POWER_STATE", vm, "halted", "running"]
        with pytest.raises(XenAPI.Failure) as caught:
            src.VM.migrate_send(vm, dest, True, dict.fromkeys(disks, sr), _vif_map(src, vm, dst_network), options, {})
        assert caught.value.details == ["VM_BAD_POWER_STATE", vm, "halted", "running"]
    assert src.VM.get_power_state(vm) == "Running"
    src.VM.hard_shutdown(vm)


def test_a_suspended_vm_moves_with_its_suspend_image_and_resumes_there(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm, disks = _halted_vm_with_a_disk(src, "suspended-mover")
    src.VM.start(vm, False, False)
    src.VM.suspend(vm)
    suspend_vdi = src.VM.get_suspend_VDI(vm)
    image, suspend_uuid = _image(src, suspend_vdi), src.VDI.get_uuid(suspend_vdi)
    dest, _network = _dest(dst)
    sr = dst.pool.get_default_SR(dst.pool.get_all()[0])
    vif_map = _vif_map(src, vm, dst.network.get_all()[0])
    new = src.VM.migrate_send(vm, dest, True, dict.fromkeys(disks, sr), vif_map, {}, {})
    assert dst.VM.get_power_state(new) == "Suspended"
    arrived = dst.VM.get_suspend_VDI(new)
    assert _image(dst, arrived) == image and dst.VDI.get_SR(arrived) == sr  # the first disk's SR: none mapped
    assert _gone(src, "VM", [dst.VM.get_uuid(new)]) and _gone(src, "VDI", [suspend_uuid])
    dst.VM.resume(new, False, False)
    assert dst.VM.get_power_state(new) == "Running"
    dst.VM.hard_shutdown(new)


def test_a_cold_move_cancelled_or_refused_leaves_the_source_as_it_was(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm, disks = _halted_vm_with_a_disk(src, "halted-stayer", size=32768)  # 1 MiB: four DISK frames
    uuid, images = src.VM.get_uuid(vm), [_image(src, d) for d in disks]
    dst_vdis = set(dst.VDI.get_all())
    sr = dst.pool.get_default_SR(dst.pool.get_all()[0])
    # refused by the destination (the VM's own host has its uuid)
    own, _network = _dest(src)
    with pytest.raises(XenAPI.Failure) as caught:
        src.VM.migrate_send(vm, own, False, dict.fromkeys(disks, src.pool.get_default_SR(src.pool.get_all()[0])), {}, {}, {})
    assert caught.value.details[0] == "VM_MIGRATE_FAILED" and "VM_EXISTS" in caught.value.details[4]
    # cancelled while the disk is copied (512 KiB/s: about 2 s)
    dest, _network = _dest(dst)
    task = src.Async.VM.migrate_send(vm, dest, False, dict.fromkeys(disks, sr), {}, {"bandwidth": str(512 << 10)}, {})
    while src.task.get_progress(task) < 0.1:
        time.sleep(0.02)
    src.task.cancel(task)
    assert _wait(src, task) == "cancelled"
    assert src.VM.get_power_state(vm) == "Halted" and src.VM.get_uuid(vm) == uuid
    assert [_image(src, d) for d in disks] == images
    assert _gone(dst, "VM", [uuid])
    deadline = time.monotonic() + 30
    while set(dst.VDI.get_all()) != dst_vdis and time.monotonic() < deadline:
        time.sleep(0.05)  # the receiver removes what it made once it sees the ABORT
    assert set(dst.VDI.get_all()) == dst_vdis


def test_a_paused_vm_is_refused_with_xapis_power_state_error(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm = _running_vm(src, "paused")
    src.VM.pause(vm)
    dest, network = _dest(dst)
    with pytest.raises(XenAPI.Failure) as caught:
        src.VM.migrate_send(vm, dest, True, {}, _vif_map(src, vm, network), {}, {})
    assert caught.value.details[0] == "VM_BAD_POWER_STATE"
    assert src.VM.get_power_state(vm) == "Paused"


def test_task_cancel_during_the_memory_copy_leaves_it_running_on_the_source(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vm = _running_vm(src, "cancelled")
    uuid = src.VM.get_uuid(vm)
    dest, network = _dest(dst)
    slow = {"bandwidth": str(16 << 10)}  # 64 KiB of memory at 16 KiB/s: about 4 s of pre-copy
    task = src.Async.VM.migrate_send(vm, dest, True, {}, _vif_map(src, vm, network), slow, {})
    while src.task.get_progress(task) < 0.1:
        time.sleep(0.02)
    src.task.cancel(task)
    assert _wait(src, task) == "cancelled"
    assert src.VM.get_power_state(vm) == "Running"
    with pytest.raises(XenAPI.Failure):
        dst.VM.get_by_uuid(uuid)


def test_a_hundred_vms_move_at_once(apis: tuple[Any, Any]) -> None:
    src, dst = apis
    vms = [_running_vm(src, f"herd-{i}") for i in range(100)]
    uuids = {src.VM.get_uuid(vm) for vm in vms}
    network = dst.network.get_all()[0]
    host = dst.host.get_all()[0]
    tasks = [src.Async.VM.migrate_send(vm, dst.host.migrate_receive(host, network, {}), True, {},
                                       _vif_map(src, vm, network), {}, {}) for vm in vms]  # fmt: skip
    assert [_wait(src, t) for t in tasks] == ["success"] * 100
    arrived = {dst.VM.get_uuid(dst.VM.get_by_uuid(u)) for u in uuids}
    assert arrived == uuids
    assert all(dst.VM.get_power_state(dst.VM.get_by_uuid(u)) == "Running" for u in uuids)
    assert not uuids & {src.VM.get_uuid(v) for v in src.VM.get_all()}


def test_the_destination_killed_mid_stream_leaves_it_running_and_names_the_phase(
    hosts: tuple[DaemonProcess, DaemonProcess],
) -> None:
    """The module's last test: it kills host b."""
    a, b = _login(hosts[0]).xenapi, _login(hosts[1]).xenapi
    vm = _running_vm(a, "orphan")
    dest, network = _dest(b)
    task = a.Async.VM.migrate_send(vm, dest, True, {}, _vif_map(a, vm, network), {"bandwidth": str(16 << 10)}, {})
    while a.task.get_progress(task) < 0.1:
        time.sleep(0.02)
    hosts[1].kill()
    assert _wait(a, task) == "failure"
    code, _vm, _src, _dst, msg = a.task.get_error_info(task)
    assert code == "VM_MIGRATE_FAILED" and msg.startswith("send_memory: connection_lost")
    assert a.VM.get_power_state(vm) == "Running"
