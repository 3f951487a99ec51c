"""vm-install, vm-clone, vm-uninstall, the param commands and selectors, through the real command."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.conftest import Xe
from xenia.client import Session

GiB = 1024**3


def sr_ref(api: Session) -> str:
    ref: str = api.xenapi.pool.get_default_SR(api.xenapi.pool.get_all()[0])
    return ref


def vm_by_uuid(api: Session, uuid: str) -> dict[str, Any]:
    rec: dict[str, Any] = api.xenapi.VM.get_record(api.xenapi.VM.get_by_uuid(uuid))
    return rec


def add_disk(api: Session, vm: str, name: str, userdevice: str = "0") -> str:
    vdi: str = api.xenapi.VDI.create({"name_label": name, "SR": sr_ref(api), "virtual_size": GiB, "type": "user",
                                      "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    api.xenapi.VBD.create({"VM": vm, "VDI": vdi, "userdevice": userdevice, "bootable": True, "mode": "RW",
                           "type": "Disk", "empty": False, "other_config": {}, "qos_algorithm_type": "",
                           "qos_algorithm_params": {}})  # fmt: skip
    return vdi


def add_cd(api: Session, vm: str, vdi: str) -> str:
    vbd: str = api.xenapi.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "3", "bootable": False, "mode": "RO",
                                      "type": "CD", "empty": vdi == "OpaqueRef:NULL", "other_config": {},
                                      "qos_algorithm_type": "", "qos_algorithm_params": {}})  # fmt: skip
    return vbd


def test_install_from_template_name(xe: Xe, api: Session) -> None:
    r = xe.ok("vm-install", "template=Debian Bookworm 12", "new-name-label=web1", "new-name-description=the web")
    uuid = r.out.strip()
    rec = vm_by_uuid(api, uuid)
    assert rec["name_label"] == "web1" and rec["name_description"] == "the web"
    assert rec["is_a_template"] is False and rec["power_state"] == "Halted"
    if "VM.provision" not in api.list_methods():
        assert "no VM.provision" in r.err
    assert uuid in xe.ok("vm-list", "--minimal").out


def test_install_with_sr_uuid_points_the_disks_there(xe: Xe, api: Session) -> None:
    sr_uuid = api.xenapi.SR.get_uuid(sr_ref(api))
    uuid = xe.ok("vm-install", "template=Generic Linux BIOS", "new-name-label=web2", f"sr-uuid={sr_uuid}").out.strip()
    rec = vm_by_uuid(api, uuid)
    disks = [api.xenapi.VBD.get_VDI(vbd) for vbd in rec["VBDs"] if api.xenapi.VBD.get_type(vbd) == "Disk"]
    if disks:  # provisioned: the disks are on that SR
        assert {api.xenapi.VDI.get_SR(vdi) for vdi in disks} == {sr_ref(api)}
    else:
        assert f'sr="{sr_uuid}"' in rec["other_config"]["disks"]


def test_install_errors(xe: Xe) -> None:
    r = xe("vm-install", "template=No Such Template", "new-name-label=x")
    assert r.rc == 1 and "No Such Template" in r.err
    assert xe("vm-install", "template=Debian Bookworm 12").rc == 2  # new-name-label= missing
    r = xe("vm-install", "template=Debian Bookworm 12", "new-name-label=x", "sr-uuid=nope")
    assert r.rc == 1 and "UUID_INVALID" in r.err
    assert "x" not in xe.ok("vm-list", "params=name-label", "--minimal").out.strip().split(",")


def test_param_set_get_list(xe: Xe, api: Session) -> None:
    uuid = xe.ok("vm-install", "template=Other install media", "new-name-label=p1").out.strip()
    xe.ok("vm-param-set", f"uuid={uuid}", "name-label=p2", "other-config:owner=alice", "tags=a,b",
          "user-version=7")
    rec = vm_by_uuid(api, uuid)
    assert rec["name_label"] == "p2" and rec["other_config"]["owner"] == "alice"
    assert rec["tags"] == ["a", "b"] and rec["user_version"] == 7
    assert xe.ok("vm-param-get", f"uuid={uuid}", "param-name=name-label").out == "p2\n"
    assert xe.ok("vm-param-get", f"uuid={uuid}", "param-name=other-config", "param-key=owner").out == "alice\n"
    assert xe.ok("vm-param-get", f"uuid={uuid}", "param-name=tags").out == "a; b\n"
    assert json.loads(xe.ok("vm-param-get", f"uuid={uuid}", "param-name=tags", "--json").out) == ["a", "b"]
    xe.ok("vm-param-set", f"uuid={uuid}", "other-config:owner=bob")  # replacing a key
    assert vm_by_uuid(api, uuid)["other_config"]["owner"] == "bob"
    xe.ok("vm-param-remove", f"uuid={uuid}", "param-name=other-config", "param-key=owner")
    assert "owner" not in vm_by_uuid(api, uuid)["other_config"]
    listing = xe.ok("vm-param-list", f"uuid={uuid}").out
    assert "name-label ( RW): p2" in listing and "power-state ( RO): Halted" in listing
    assert "tags (SRW): a; b" in listing
    row = json.loads(xe.ok("vm-param-list", f"uuid={uuid}", "--json").out)
    assert row["uuid"] == uuid and row["is-a-template"] is False


def test_param_set_checks_everything_before_changing_anything(xe: Xe, api: Session) -> None:
    uuid = xe.ok("vm-install", "template=Other install media", "new-name-label=atomic").out.strip()
    r = xe("vm-param-set", f"uuid={uuid}", "name-label=changed", "power-state=Running")
    assert r.rc == 2 and "read-only" in r.err
    r = xe("vm-param-set", f"uuid={uuid}", "name-label=changed", "user-version=many")
    assert r.rc == 2 and "user-version" in r.err
    r = xe("vm-param-set", f"uuid={uuid}", "name-label=changed", "no-such-field=1")
    assert r.rc == 2
    assert vm_by_uuid(api, uuid)["name_label"] == "atomic"


def test_param_set_reference_fields_take_uuids(xe: Xe, api: Session) -> None:
    uuid = xe.ok("vm-install", "template=Other install media", "new-name-label=aff").out.strip()
    host = api.xenapi.host.get_all()[0]
    xe.ok("vm-param-set", f"uuid={uuid}", f"affinity={api.xenapi.host.get_uuid(host)}")
    assert vm_by_uuid(api, uuid)["affinity"] == host
    assert xe.ok("vm-param-get", f"uuid={uuid}", "param-name=affinity").out.strip() == api.xenapi.host.get_uuid(host)
    xe.ok("vm-param-set", f"uuid={uuid}", "affinity=")
    assert vm_by_uuid(api, uuid)["affinity"] == "OpaqueRef:NULL"


def test_other_classes_param_commands(xe: Xe, api: Session) -> None:
    net_uuid = xe.ok("network-list", "--minimal").out.strip().split(",")[0]
    xe.ok("network-param-set", f"uuid={net_uuid}", "name-description=lab net", "other-config:vlan=none")
    assert xe.ok("network-param-get", f"uuid={net_uuid}", "param-name=name-description").out == "lab net\n"
    sr_uuid = api.xenapi.SR.get_uuid(sr_ref(api))
    assert xe.ok("sr-param-get", f"uuid={sr_uuid}", "param-name=name-label").out == "Local storage\n"


def test_clone_and_async_clone(xe: Xe, api: Session) -> None:
    src = xe.ok("vm-install", "template=Other install media", "new-name-label=src").out.strip()
    copy = xe.ok("vm-clone", f"vm={src}", "new-name-label=copy1").out.strip()
    assert vm_by_uuid(api, copy)["name_label"] == "copy1"
    task = xe.ok("vm-clone", "vm=src", "new-name-label=copy2", "--async").out.strip()
    assert task.startswith("OpaqueRef:")
    api.wait_task(task)
    assert api.xenapi.task.get_status(task) == "success"
    assert api.xenapi.task.get_uuid(task) in xe.ok("task-list", "--minimal").out
    assert len(api.xenapi.VM.get_by_name_label("copy2")) == 1


def test_progress_bar_only_when_asked(xe: Xe) -> None:
    shown = xe.ok("vm-clone", "vm=src", "new-name-label=copy3", "--progress")
    assert "[" + "#" * 30 + "] 100%" in shown.err
    hidden = xe.ok("vm-clone", "vm=src", "new-name-label=copy4", "--no-progress")
    assert hidden.err == ""


def test_uninstall_destroys_disks_but_not_cds(xe: Xe, api: Session) -> None:
    uuid = xe.ok("vm-install", "template=Other install media", "new-name-label=doomed").out.strip()
    vm = api.xenapi.VM.get_by_uuid(uuid)
    disk = add_disk(api, vm, "doomed-disk")
    iso = api.xenapi.VDI.create({"name_label": "tools.iso", "SR": sr_ref(api), "virtual_size": 1000, "type": "user",
                                 "sharable": True, "read_only": True, "other_config": {}})  # fmt: skip
    add_cd(api, vm, iso)
    disk_uuid = api.xenapi.VDI.get_uuid(disk)
    r = xe.ok("vm-uninstall", "vm=doomed", "--json")
    assert json.loads(r.out) == [{"class": "VM", "uuid": uuid}, {"class": "VDI", "uuid": disk_uuid}]
    assert api.xenapi.VM.get_by_name_label("doomed") == []
    assert api.xenapi.VDI.get_by_name_label("doomed-disk") == []
    assert api.xenapi.VDI.get_by_name_label("tools.iso") == [iso]


def test_selectors(xe: Xe, api: Session) -> None:
    xe.ok("vm-install", "template=Other install media", "new-name-label=twin")
    xe.ok("vm-install", "template=Other install media", "new-name-label=twin")
    r = xe("vm-uninstall", "vm=twin")
    assert r.rc == 2 and "--multiple" in r.err
    r = xe("vm-uninstall", "vm=nobody")
    assert r.rc == 1
    assert xe("vm-uninstall").rc == 2
    assert xe("vm-uninstall", "vm=twin", "uuid=x").rc == 2
    lines = xe.ok("vm-uninstall", "name-label=twin", "--multiple").lines
    assert len([line for line in lines if line.startswith("VM ")]) == 2
    assert api.xenapi.VM.get_by_name_label("twin") == []


def test_control_domain_cannot_be_uninstalled(xe: Xe) -> None:
    dom0 = xe.ok("vm-list", "is-control-domain=true", "--minimal").out.strip()
    r = xe("vm-uninstall", f"uuid={dom0}")
    assert r.rc == 1


def test_cd_commands_need_a_drive(xe: Xe) -> None:
    xe.ok("vm-install", "template=Other install media", "new-name-label=nocd")
    r = xe("vm-cd-eject", "vm=nocd")
    assert r.rc == 1 and "no CD drive" in r.err
