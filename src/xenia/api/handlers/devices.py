"""VBD and VIF: hot-plug, unplug, and CD media changes, on a running VM through the driver.

On a halted VM a media change is a db change only (the drive gets the disk at
the next start), as in xapi; plugging needs a running VM.
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.handlers.lifecycle import ops
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.drivers.errors import DriverError, InvalidState
from xenia.ops import liveconfig
from xenia.ops.errors import to_api_error
from xenia.ops.spec import disk_spec, nic_spec, vdi_path


def _running(call: Call, vm: str) -> None:
    state = call.db.get("VM", vm)["power_state"]
    if state != "Running":
        raise ApiError("VM_BAD_POWER_STATE", vm, "running", state.lower())


async def device_op(call: Call, cls: str, ref: str, op: str, attached: bool | None) -> None:
    """Run one device step on the VM's domain, under the VM's lock; ``attached`` is the new db state."""
    db = call.db
    rec = db.get(cls, ref)
    vm = rec["VM"]
    _running(call, vm)
    engine = ops(call)
    uuid = db.get("VM", vm)["uuid"]
    driver = engine.driver
    async with engine.lock(uuid):
        try:
            if cls == "VBD":
                if op == "plug":
                    await driver.disk.plug(uuid, disk_spec(db, ref))
                else:
                    await driver.disk.unplug(uuid, rec["userdevice"])
            elif op == "plug":
                await driver.net.plug(uuid, nic_spec(db, ref))
            else:
                await driver.net.unplug(uuid, rec["device"])
        except DriverError as e:
            raise to_api_error(e, vm=vm, step=f"{cls.lower()}_{op}", operation=f"{cls}.{op}") from e
        if attached is not None:
            db.set(cls, ref, "currently_attached", attached)


@handler("VBD.plug")
async def vbd_plug(call: Call, vbd: str) -> None:
    if call.db.get("VBD", vbd)["currently_attached"]:
        raise ApiError("DEVICE_ALREADY_ATTACHED", vbd)
    await device_op(call, "VBD", vbd, "plug", True)


async def _vbd_unplug(call: Call, vbd: str, force: bool) -> None:
    rec = call.db.get("VBD", vbd)
    if not rec["currently_attached"]:
        raise ApiError("DEVICE_ALREADY_DETACHED", vbd)
    if not rec["unpluggable"] and not force:
        raise ApiError("VBD_NOT_UNPLUGGABLE", vbd)
    await device_op(call, "VBD", vbd, "unplug", False)


@handler("VBD.unplug")
async def vbd_unplug(call: Call, vbd: str) -> None:
    await _vbd_unplug(call, vbd, force=False)


@handler("VBD.unplug_force")
async def vbd_unplug_force(call: Call, vbd: str) -> None:
    await _vbd_unplug(call, vbd, force=True)


@handler("VIF.plug")
async def vif_plug(call: Call, vif: str) -> None:
    if call.db.get("VIF", vif)["currently_attached"]:
        raise ApiError("DEVICE_ALREADY_ATTACHED", vif)
    await device_op(call, "VIF", vif, "plug", True)


@handler("VIF.unplug")
async def vif_unplug(call: Call, vif: str) -> None:
    if not call.db.get("VIF", vif)["currently_attached"]:
        raise ApiError("DEVICE_ALREADY_DETACHED", vif)
    await device_op(call, "VIF", vif, "unplug", False)


@handler("VIF.unplug_force")
async def vif_unplug_force(call: Call, vif: str) -> None:
    await vif_unplug(call, vif)


def _cd(call: Call, vbd: str) -> tuple[str, str]:
    """The VM of a CD drive, checking that media can change in its state."""
    rec = call.db.get("VBD", vbd)
    if rec["type"] != "CD":
        raise ApiError("VBD_NOT_REMOVABLE_MEDIA", vbd)
    vm = rec["VM"]
    state = call.db.get("VM", vm)["power_state"]
    if state not in ("Halted", "Running"):
        raise ApiError("VM_BAD_POWER_STATE", vm, "halted, running", state.lower())
    return vm, state


@handler("VBD.insert")
async def insert(call: Call, vbd: str, vdi: str) -> None:
    db = call.db
    vm, state = _cd(call, vbd)
    db.get("VDI", vdi)
    if not db.get("VBD", vbd)["empty"]:
        raise ApiError("VBD_NOT_EMPTY", vbd)
    if state == "Running":
        engine = ops(call)
        uuid = db.get("VM", vm)["uuid"]
        async with engine.lock(uuid):
            try:
                await engine.driver.disk.insert(uuid, db.get("VBD", vbd)["userdevice"], vdi_path(db, vdi))
            except DriverError as e:
                raise to_api_error(e, vm=vm, step="insert_media", operation="VBD.insert") from e
    db.update("VBD", vbd, VDI=vdi, empty=False)


@handler("VBD.eject")
async def eject(call: Call, vbd: str) -> None:
    db = call.db
    vm, state = _cd(call, vbd)
    if db.get("VBD", vbd)["empty"] or db.get("VBD", vbd)["VDI"] == NULL_REF:
        raise ApiError("VBD_IS_EMPTY", vbd)
    if state == "Running":
        engine = ops(call)
        uuid = db.get("VM", vm)["uuid"]
        async with engine.lock(uuid):
            try:
                await engine.driver.disk.eject(uuid, db.get("VBD", vbd)["userdevice"])
            except InvalidState as e:
                if e.actual == "cd-locked":
                    liveconfig.refused(db, vm, f"VBD {db.get('VBD', vbd)['userdevice']}", "empty",
                                       db.get("VDI", db.get("VBD", vbd)["VDI"])["uuid"])
                    raise ApiError("VBD_TRAY_LOCKED", vbd) from e  # xapi's answer for a tray the guest locked
                raise to_api_error(e, vm=vm, step="eject_media", operation="VBD.eject") from e
            except DriverError as e:
                raise to_api_error(e, vm=vm, step="eject_media", operation="VBD.eject") from e
    db.update("VBD", vbd, VDI=NULL_REF, empty=True)
    liveconfig.note(db, vm, f"VBD {db.get('VBD', vbd)['userdevice']}", None)  # no longer refused
