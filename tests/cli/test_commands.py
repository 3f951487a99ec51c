"""vm-param-set as one change, and the xe commands added for issue 10: each through the real command."""

from __future__ import annotations

from tests.cli.conftest import Xe
from tests.cli.test_vm import add_cd, sr_ref, vm_by_uuid
from xenia.client import Session

MiB = 1024**2
GiB = 1024**3


def new_vm(xe: Xe, name: str) -> str:
    uuid: str = xe.ok("vm-install", "template=Other install media", f"new-name-label={name}").out.strip()
    return uuid


def memory(api: Session, uuid: str) -> tuple[int, int, int, int]:
    rec = vm_by_uuid(api, uuid)
    return (int(rec["memory_static_min"]), int(rec["memory_dynamic_min"]), int(rec["memory_dynamic_max"]),
            int(rec["memory_static_max"]))  # fmt: skip


def test_param_set_memory_limits_in_any_order(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "mem-order")
    static_min = memory(api, uuid)[0]
    # growing: the dynamic limits written first exceed the static max until it grows too
    xe.ok("vm-param-set", f"uuid={uuid}", "memory-dynamic-max=4GiB", "memory-dynamic-min=4GiB", "memory-static-max=4GiB")
    assert memory(api, uuid) == (static_min, 4 * GiB, 4 * GiB, 4 * GiB)
    # shrinking: the static max written first is below the dynamic limits until they shrink too
    xe.ok("vm-param-set", f"uuid={uuid}", "memory-static-max=512MiB", "memory-dynamic-min=256MiB",
          "memory-dynamic-max=512MiB")  # fmt: skip
    assert memory(api, uuid) == (static_min, 256 * MiB, 512 * MiB, 512 * MiB)
    # the dynamic pair alone
    xe.ok("vm-param-set", f"uuid={uuid}", "memory-dynamic-max=384MiB", "memory-dynamic-min=384MiB")
    assert memory(api, uuid) == (static_min, 384 * MiB, 384 * MiB, 512 * MiB)


def test_param_set_vcpus_in_any_order(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "vcpu-order")
    xe.ok("vm-param-set", f"uuid={uuid}", "VCPUs-at-startup=4", "VCPUs-max=4")
    rec = vm_by_uuid(api, uuid)
    assert (int(rec["VCPUs_at_startup"]), int(rec["VCPUs_max"])) == (4, 4)
    xe.ok("vm-param-set", f"uuid={uuid}", "VCPUs-max=2", "VCPUs-at-startup=2")
    rec = vm_by_uuid(api, uuid)
    assert (int(rec["VCPUs_at_startup"]), int(rec["VCPUs_max"])) == (2, 2)


def test_param_set_refused_in_part_changes_nothing(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "all-or-nothing")
    api.xenapi.VM.add_to_other_config(api.xenapi.VM.get_by_uuid(uuid), "owner", "alice")
    before = vm_by_uuid(api, uuid)
    # the name, a map key (replaced and added) and the description are fine; the memory is not
    # (dynamic min above static max), and the daemon says so only when its turn comes
    r = xe("vm-param-set", f"uuid={uuid}", "name-label=renamed", "other-config:owner=bob", "other-config:new=1",
           "name-description=changed", f"memory-dynamic-min={int(before['memory_static_max']) * 2}")  # fmt: skip
    assert r.rc == 1 and "MEMORY_CONSTRAINT_VIOLATION" in r.err
    after = vm_by_uuid(api, uuid)
    for field in ("name_label", "name_description", "other_config", "memory_dynamic_min", "memory_static_max"):
        assert after[field] == before[field], field
    # vCPUs beyond what the daemon allows, after a rename that was made first: undone too
    r = xe("vm-param-set", f"uuid={uuid}", "name-label=renamed", "VCPUs-at-startup=0")
    assert r.rc == 1
    assert vm_by_uuid(api, uuid)["name_label"] == "all-or-nothing"


def test_vm_snapshot_copy_and_checkpoint(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "origin")
    snap = xe.ok("vm-snapshot", "vm=origin", "new-name-label=origin-snap", "new-name-description=before").out.strip()
    rec = vm_by_uuid(api, snap)
    assert rec["is_a_snapshot"] is True and rec["name_description"] == "before"
    assert rec["snapshot_of"] == api.xenapi.VM.get_by_uuid(uuid)
    assert snap in xe.ok("snapshot-list", "--minimal").out
    sr_uuid = api.xenapi.SR.get_uuid(sr_ref(api))
    copy = xe.ok("vm-copy", "vm=origin", "new-name-label=origin-copy", f"sr-uuid={sr_uuid}").out.strip()
    rec = vm_by_uuid(api, copy)
    assert rec["name_label"] == "origin-copy" and rec["is_a_snapshot"] is False and copy != uuid
    assert xe("vm-copy", "vm=origin", "new-name-label=x", "sr-uuid=nope").rc == 1


def test_vm_checkpoint(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "pointed")
    xe.ok("vm-start", "vm=pointed")
    # a checkpoint is a snapshot with the memory of the running VM: a suspended snapshot (xapi's VM.checkpoint)
    point = xe.ok("vm-checkpoint", "vm=pointed", "new-name-label=pointed-1").out.strip()
    rec = vm_by_uuid(api, point)
    assert rec["is_a_snapshot"] is True and rec["snapshot_of"] == api.xenapi.VM.get_by_uuid(uuid)
    assert rec["power_state"] == "Suspended"
    assert vm_by_uuid(api, uuid)["power_state"] == "Running"
    xe.ok("vm-shutdown", "vm=pointed", "force=true")


def test_vm_cd_remove(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "cd-owner")
    vm = api.xenapi.VM.get_by_uuid(uuid)
    iso = api.xenapi.VDI.create({"name_label": "remove-me.iso", "SR": sr_ref(api), "virtual_size": MiB,
                                 "type": "user", "sharable": True, "read_only": True, "other_config": {}})  # fmt: skip
    vbd = add_cd(api, vm, iso)
    r = xe("vm-cd-remove", "vm=cd-owner", "cd-name=other.iso")
    assert r.rc == 1 and "other.iso" in r.err
    xe.ok("vm-cd-remove", "vm=cd-owner", "cd-name=remove-me.iso")
    assert vbd not in api.xenapi.VM.get_VBDs(vm)
    assert api.xenapi.VDI.get_uuid(iso)  # the ISO stays
    empty = add_cd(api, vm, "OpaqueRef:NULL")
    xe.ok("vm-cd-remove", "vm=cd-owner", "cd-name=<EMPTY>")
    assert empty not in api.xenapi.VM.get_VBDs(vm)
    # no drive left: the error names the VM as the user knows it, beside its uuid
    r = xe("vm-cd-eject", "vm=cd-owner")
    assert r.rc == 1 and f"cd-owner ({uuid})" in r.err


def test_vm_memory_commands(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "mem-cmds")
    xe.ok("vm-memory-limits-set", "vm=mem-cmds", "static-min=128MiB", "static-max=2GiB", "dynamic-min=1GiB",
          "dynamic-max=2GiB")  # fmt: skip
    assert memory(api, uuid) == (128 * MiB, 1 * GiB, 2 * GiB, 2 * GiB)
    xe.ok("vm-memory-static-range-set", "vm=mem-cmds", "min=256MiB", "max=3GiB")
    assert memory(api, uuid) == (256 * MiB, 1 * GiB, 2 * GiB, 3 * GiB)
    xe.ok("vm-memory-dynamic-range-set", "vm=mem-cmds", "min=512MiB", "max=1GiB")
    assert memory(api, uuid) == (256 * MiB, 512 * MiB, 1 * GiB, 3 * GiB)
    xe.ok("vm-memory-target-set", "vm=mem-cmds", "target=768MiB")
    assert memory(api, uuid) == (256 * MiB, 768 * MiB, 768 * MiB, 3 * GiB)
    xe.ok("vm-memory-set", "vm=mem-cmds", "memory=1GiB")  # static max and the dynamic range
    assert memory(api, uuid) == (256 * MiB, 1 * GiB, 1 * GiB, 1 * GiB)
    r = xe("vm-memory-dynamic-range-set", "vm=mem-cmds", "min=2GiB", "max=1GiB")
    assert r.rc == 1 and "MEMORY_CONSTRAINT_VIOLATION" in r.err
    assert xe("vm-memory-set", "vm=mem-cmds", "memory=lots").rc == 2
    assert xe("vm-memory-limits-set", "vm=mem-cmds", "static-min=1GiB").rc == 2  # the other three missing


def test_vm_vcpu_hotplug(xe: Xe, api: Session) -> None:
    uuid = new_vm(xe, "hotplug")
    vm = api.xenapi.VM.get_by_uuid(uuid)
    api.xenapi.VM.set_VCPUs_max(vm, 4)
    # xapi changes the vCPUs of a running VM only
    r = xe("vm-vcpu-hotplug", "vm=hotplug", "new-vcpus=2")
    assert r.rc == 1 and "VM_BAD_POWER_STATE" in r.err
    xe.ok("vm-start", "vm=hotplug")
    xe.ok("vm-vcpu-hotplug", "vm=hotplug", "new-vcpus=3")
    assert int(api.xenapi.VM_metrics.get_VCPUs_number(api.xenapi.VM.get_metrics(vm))) == 3
    xe.ok("vm-shutdown", "vm=hotplug", "force=true")


def test_vdi_create_and_sr_scan(xe: Xe, api: Session) -> None:
    sr_uuid = api.xenapi.SR.get_uuid(sr_ref(api))
    uuid = xe.ok("vdi-create", f"sr-uuid={sr_uuid}", "name-label=scratch", "virtual-size=64MiB", "type=user",
                 "sharable=false", "sm-config:purpose=test").out.strip()  # fmt: skip
    rec = api.xenapi.VDI.get_record(api.xenapi.VDI.get_by_uuid(uuid))
    assert rec["name_label"] == "scratch" and int(rec["virtual_size"]) == 64 * MiB and rec["type"] == "user"
    assert rec["SR"] == sr_ref(api) and rec["sharable"] is False
    assert xe("vdi-create", f"sr-uuid={sr_uuid}", "name-label=x", "virtual-size=big").rc == 2
    assert xe("vdi-create", f"sr-uuid={sr_uuid}", "name-label=x", "virtual-size=1MiB", "type=floppy").rc == 2
    assert xe("vdi-create", "sr-uuid=nope", "name-label=x", "virtual-size=1MiB").rc == 1
    # a scan finds the file the daemon keeps for the VDI, and loses nothing
    xe.ok("sr-scan", f"uuid={sr_uuid}")
    assert uuid in xe.ok("vdi-list", f"sr-uuid={sr_uuid}", "--minimal").out
    iso_sr = next(r for r, v in api.xenapi.SR.get_all_records().items() if v["content_type"] == "iso")
    xe.ok("sr-scan", f"uuid={api.xenapi.SR.get_uuid(iso_sr)}")
    assert xe("sr-scan", "uuid=00000000-0000-0000-0000-000000000000").rc == 1


# vm-param-set --live/--persistent and vm-drift (issue 14): the scope of a change and the drift, from the shell
def test_scoped_param_set_and_drift(xe: Xe, api: Session) -> None:
    uuid = xe.ok("vm-install", "template=Other install media", "new-name-label=scoped").out.strip()
    vm = api.xenapi.VM.get_by_uuid(uuid)
    api.xenapi.VM.set_VCPUs_max(vm, 4)
    xe.ok("vm-start", "vm=scoped")
    assert xe.ok("vm-drift", "vm=scoped").out.strip().splitlines()[1:] == []  # the header only: no drift
    r = xe.ok("vm-param-set", f"uuid={uuid}", "VCPUs-at-startup=3", "--live")
    assert r.lines[-1].split() == ["VCPUs_at_startup", "unchanged", "applied"]
    assert api.xenapi.VM.get_VCPUs_at_startup(vm) == 1
    xe.ok("vm-param-set", f"uuid={uuid}", "VCPUs-max=3", "--persistent")
    rows = [line.split() for line in xe.ok("vm-drift", "vm=scoped").lines[1:]]
    assert ["scoped", "VCPUs_at_startup", "1", "3", "live_only"] in rows
    assert ["scoped", "VCPUs_max", "3", "4", "pending_reboot"] in rows
    assert api.xenapi.VM.get_requires_reboot(vm) is True
    r = xe("vm-param-set", f"uuid={uuid}", "name-label=7", "--live")  # a field without a scope: the server says so
    assert r.rc == 1 and "INVALID_VALUE" in r.err
    assert xe("vm-param-set", f"uuid={uuid}", "VCPUs-max=many", "--persistent").rc == 2
    xe.ok("vm-shutdown", "vm=scoped", "force=true")
    assert xe.ok("vm-drift", "vm=scoped").lines[1:] == []
