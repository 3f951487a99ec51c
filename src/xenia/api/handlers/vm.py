"""VM: create and destroy with their companion objects, and clone."""

from __future__ import annotations

import random
from typing import Any

from xenia.api import blobs
from xenia.api.context import Call
from xenia.api.handlers.lifecycle import ops, storage
from xenia.api.implicit import constructor_record
from xenia.api.methods import handler
from xenia.api.tasks import task_context
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Qualifier
from xenia.db import Db, Record
from xenia.ops import lifecycle, record
from xenia.util.clock import xapi_time

#: VM fields that describe one instance and are not copied by clone
_NOT_CLONED = {"uuid", "snapshots", "snapshot_of", "parent", "is_a_snapshot", "snapshot_time", "snapshot_info",
               "snapshot_metadata", "transportable_snapshot_id", "metrics", "guest_metrics", "suspend_VDI",
               "resident_on", "scheduled_to_be_resident_on", "domid", "power_state", "allowed_operations",
               "current_operations", "VBDs", "VIFs", "consoles", "crash_dumps", "VTPMs", "VUSBs", "VGPUs",
               "attached_PCIs", "last_booted_record", "last_boot_CPU_flags", "is_default_template",
               "blobs"}  # fmt: skip


def random_mac() -> str:
    """A locally administered unicast MAC, as xapi generates for VIFs created without one."""
    octets = [0x02 | (random.randrange(256) & 0xFC)] + [random.randrange(256) for _ in range(5)]
    return ":".join(f"{o:02x}" for o in octets)


def create_vm(db: Db, values: Record) -> str:
    with db.batch():
        values = {**values, "power_state": "Halted", "domid": -1, "metrics": db.create("VM_metrics", {})}
        return db.create("VM", values)


@handler("VM.create")
def create(call: Call, args: dict[str, Any]) -> str:
    return create_vm(call.db, constructor_record(call.db, "VM", args))


def destroy_vm(db: Db, vm: str) -> None:
    """Remove a VM with its devices and metrics; its disks (VDIs) stay, as in xapi."""
    rec = db.get("VM", vm)
    with db.batch():
        for cls in ("VBD", "VIF", "console"):
            for ref in db.referrers(cls, "VM", vm):
                metrics = db.get(cls, ref).get("metrics", NULL_REF)
                db.destroy(cls, ref)
                if metrics != NULL_REF and db.exists(f"{cls}_metrics", metrics):
                    db.destroy(f"{cls}_metrics", metrics)
        for cls, field in (("VM_metrics", "metrics"), ("VM_guest_metrics", "guest_metrics")):
            if rec[field] != NULL_REF and db.exists(cls, rec[field]):
                db.destroy(cls, rec[field])
        db.destroy("VM", vm)


@handler("VM.destroy")
async def destroy(call: Call, vm: str) -> None:
    engine = ops(call)
    async with engine.operation(vm, "destroy", task_context(call)):
        for blob in call.db.get("VM", vm)["blobs"].values():  # xapi destroys the VM's blobs with it
            if call.db.exists("blob", blob):
                blobs.destroy(call.db, call.app.state_dir, blob)
        destroy_vm(call.db, vm)


async def copy_vm(call: Call, vm: str, new_name: str, how: str, sr: str | None = None,
                  ignore_vdis: tuple[str, ...] = ()) -> str:  # fmt: skip
    """A new VM from ``vm``: its configuration, VIFs (new MACs) and VBDs with their disks.

    ``how`` is ``clone`` (copy-on-write disks), ``copy`` (full disks, optionally onto ``sr``) or
    ``snapshot`` (the new VM records where it came from).  Each disk is a safe point for
    ``task.cancel``; a cancelled or failed copy removes what it made.
    """
    db = call.db
    task = task_context(call)
    src = db.get("VM", vm)
    values = {k: v for k, v in src.items() if k not in _NOT_CLONED}
    values["name_label"] = new_name
    values["other_config"] = {k: v for k, v in src["other_config"].items() if k != "default_template"}
    if how == "snapshot":
        values.update(is_a_snapshot=True, is_a_template=True, snapshot_of=vm, snapshot_time=xapi_time())
    vbds, vifs = db.referrers("VBD", "VM", vm), db.referrers("VIF", "VM", vm)
    parts = len(vbds) + len(vifs) + 1
    copied: dict[str, str] = {}
    new = NULL_REF
    try:
        for i, vbd in enumerate(vbds):
            await task.step(i / parts)
            vdi = db.get("VBD", vbd)["VDI"]
            if vdi != NULL_REF and db.get("VBD", vbd)["type"] != "CD" and vdi not in ignore_vdis:
                copied[vbd] = await storage(call).copy_vdi(vdi, how, sr)
        for i in range(len(vbds), parts):  # the record and each NIC: further safe points
            await task.step(i / parts)
        with db.batch():
            new = create_vm(db, values)
            for vbd in vbds:
                vbd_rec = db.get("VBD", vbd)
                vdi = copied.get(vbd, vbd_rec["VDI"] if vbd_rec["type"] == "CD" else NULL_REF)
                db.create("VBD", {**_copyable(db, "VBD", vbd_rec), "VM": new, "VDI": vdi, "empty": vdi == NULL_REF,
                                  "currently_attached": False})  # fmt: skip
            for vif in vifs:
                vif_rec = db.get("VIF", vif)
                mac = vif_rec["MAC"] if how == "snapshot" else random_mac()
                db.create("VIF", {**_copyable(db, "VIF", vif_rec), "VM": new, "MAC": mac,
                                  "MAC_autogenerated": how != "snapshot", "currently_attached": False})  # fmt: skip
        if how != "snapshot" and src["power_state"] == "Suspended":  # a checkpoint's clone keeps its memory
            image = await storage(call).copy_suspend_image(src["suspend_VDI"])
            db.update("VM", new, power_state="Suspended", suspend_VDI=image)
    except BaseException:
        if db.exists("VM", new):
            destroy_vm(db, new)
        for vdi in copied.values():
            if db.exists("VDI", vdi):
                await storage(call).destroy_vdi(vdi)
        raise
    return new


def _copyable(db: Db, cls: str, rec: Record) -> Record:
    fields = db.model.cls(cls).fields
    return {f.name: rec[f.name] for f in fields if f.qualifier is not Qualifier.RO_RUNTIME and f.name in rec}


@handler("VM.clone")
async def clone(call: Call, vm: str, new_name: str) -> str:
    async with ops(call).operation(vm, "clone", task_context(call)):
        return await copy_vm(call, vm, new_name, "clone")


@handler("VM.copy")
async def copy(call: Call, vm: str, new_name: str, sr: str) -> str:
    if sr != NULL_REF:
        call.db.get("SR", sr)
    async with ops(call).operation(vm, "copy", task_context(call)):
        return await copy_vm(call, vm, new_name, "copy", None if sr == NULL_REF else sr)


@handler("VM.snapshot")
async def snapshot(call: Call, vm: str, new_name: str, ignore_vdis: list[str]) -> str:
    async with ops(call).operation(vm, "snapshot", task_context(call)):
        return await copy_vm(call, vm, new_name, "snapshot", ignore_vdis=tuple(ignore_vdis))


async def _discard_snapshot(call: Call, snapshot: str) -> None:
    """Remove a snapshot VM made by a checkpoint that then failed, with the disks made for it."""
    db = call.db
    if not db.exists("VM", snapshot):
        return
    disks = [db.get("VBD", b)["VDI"] for b in db.referrers("VBD", "VM", snapshot) if db.get("VBD", b)["type"] != "CD"]
    destroy_vm(db, snapshot)
    for vdi in disks:
        if db.exists("VDI", vdi):
            await storage(call).destroy_vdi(vdi)


@handler("VM.checkpoint")
async def checkpoint(call: Call, vm: str, new_name: str) -> str:
    """A snapshot with the memory image: the snapshot VM is Suspended with the image as its
    ``suspend_VDI`` (xapi's checkpoint); the VM itself carries on as it was."""
    db = call.db
    engine = ops(call)
    task = task_context(call)
    async with engine.operation(vm, "checkpoint", task):
        if db.get("VM", vm)["power_state"] == "Suspended":
            new = await copy_vm(call, vm, new_name, "snapshot")
            image = await storage(call).copy_suspend_image(db.get("VM", vm)["suspend_VDI"])
        else:
            new, image = await engine.checkpoint_live(
                vm, lambda: copy_vm(call, vm, new_name, "snapshot"), lambda ref: _discard_snapshot(call, ref), task)
        db.update("VM", new, power_state="Suspended", suspend_VDI=image)
        return new


@handler("VM.revert")
async def revert(call: Call, snapshot: str) -> None:
    """Give the snapshot's VM the snapshot's configuration and fresh copies of its disks: halted, or,
    from a checkpoint, suspended with a copy of its memory image (as xapi), ready to resume."""
    db = call.db
    engine = ops(call)
    lifecycle.require(snapshot, db.get("VM", snapshot), "revert")
    vm = db.get("VM", snapshot)["snapshot_of"]
    if not db.exists("VM", vm):
        raise ApiError("VM_REVERT_FAILED", vm, snapshot)
    if db.get("VM", vm)["power_state"] != "Halted":
        await engine.hard_shutdown(vm)
    async with engine.operation(vm, "reverting", task_context(call)):
        old_disks = [db.get("VBD", b)["VDI"] for b in db.referrers("VBD", "VM", vm) if db.get("VBD", b)["type"] != "CD"]
        fresh = await copy_vm(call, snapshot, db.get("VM", vm)["name_label"], "clone")
        keep = {"uuid", "name_label", "is_a_template", "is_a_snapshot", "snapshot_of", "snapshot_time",
                "other_config", "current_operations", "allowed_operations", "metrics"}  # fmt: skip
        with db.batch():
            values = {k: v for k, v in db.get("VM", fresh).items() if k not in keep and k not in _NOT_CLONED}
            db.update("VM", vm, **values)
            for cls in ("VBD", "VIF"):
                for ref in db.referrers(cls, "VM", vm):
                    db.destroy(cls, ref)
                for ref in db.referrers(cls, "VM", fresh):
                    db.set(cls, ref, "VM", vm)
            destroy_vm(db, fresh)
        for vdi in old_disks:
            if vdi != NULL_REF and db.exists("VDI", vdi) and not db.referrers("VBD", "VDI", vdi):
                await storage(call).destroy_vdi(vdi)
        image = db.get("VM", snapshot)["suspend_VDI"]
        if db.get("VM", snapshot)["power_state"] == "Suspended" and db.exists("VDI", image):
            record.suspended(db, vm, await storage(call).copy_suspend_image(image))


@handler("VM.provision")
async def provision(call: Call, vm: str) -> None:
    """As xapi's ``Xapi_vm.provision``: the VM stops being a template first, then gets its disks."""
    async with ops(call).operation(vm, "provision", task_context(call)):
        call.db.set("VM", vm, "is_a_template", False)
        await storage(call).provision(vm)


@handler("VIF.create")
def create_vif(call: Call, args: dict[str, Any]) -> str:
    values = constructor_record(call.db, "VIF", args)
    if not values.get("MAC"):
        values["MAC"] = random_mac()
        values["MAC_autogenerated"] = True
    return call.db.create("VIF", values)


@handler("VBD.create")
def create_vbd(call: Call, args: dict[str, Any]) -> str:
    values = constructor_record(call.db, "VBD", args)
    if values.get("VDI", NULL_REF) == NULL_REF and values.get("type") == "CD":
        values["empty"] = True
    return call.db.create("VBD", values)
