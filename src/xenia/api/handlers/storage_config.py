"""SR, VDI, PBD and VBD messages that change names, modes and attachment, as ``xapi_sr.ml``,
``xapi_vdi.ml``, ``xapi_pbd.ml`` and ``xapi_vbd.ml`` do.

SR and VDI names are read-only fields with explicit setters in xapi (its SM is told too;
xenia's storage keeps no name of its own, so the db is the whole of it).  Unplugging a PBD is
refused while a running VM has one of the SR's disks attached (VDI_IN_USE with those VDIs).
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.db import Db


def _setter(cls: str, field: str) -> None:
    def set_value(call: Call, self: str, value: str) -> None:
        call.db.set(cls, self, field, value)

    handler(f"{cls}.set_{field}")(set_value)


for _cls in ("SR", "VDI"):
    for _field in ("name_label", "name_description"):
        _setter(_cls, _field)
_setter("VDI", "sharable")
_setter("VDI", "read_only")
_setter("VDI", "allow_caching")


@handler("SR.set_physical_size")
def set_physical_size(call: Call, self: str, value: int) -> None:
    call.db.set("SR", self, "physical_size", value)


@handler("SR.set_shared")
def set_shared(call: Call, sr: str, value: bool) -> None:
    """xapi refuses to make an SR unshared while more than one host has it plugged; one host never does."""
    call.db.set("SR", sr, "shared", value)


def _active_vdis(db: Db, sr: str) -> list[str]:
    """The SR's VDIs that a VM has attached now (xapi's ``get_active_vdis_by_pbd``)."""
    return [vdi for vdi in db.referrers("VDI", "SR", sr)
            if any(db.get("VBD", vbd)["currently_attached"] for vbd in db.referrers("VBD", "VDI", vdi))]  # fmt: skip


@handler("PBD.plug")
def plug(call: Call, self: str) -> None:
    call.db.set("PBD", self, "currently_attached", True)


@handler("PBD.unplug")
def unplug(call: Call, self: str) -> None:
    db = call.db
    rec = db.get("PBD", self)
    if not rec["currently_attached"]:
        return
    active = [vdi for vdi in _active_vdis(db, rec["SR"]) if db.get("VDI", vdi)["type"] != "metadata"]
    if active:
        raise ApiError("VDI_IN_USE", *active)
    db.set("PBD", self, "currently_attached", False)


@handler("PBD.set_device_config")
def set_device_config(call: Call, self: str, value: dict[str, str]) -> None:
    call.db.set("PBD", self, "device_config", value)


@handler("VBD.set_mode")
def set_mode(call: Call, self: str, value: str) -> None:
    db = call.db
    vm = db.get("VBD", self)["VM"]
    state = db.get("VM", vm)["power_state"]
    if state != "Halted":
        raise ApiError("VM_BAD_POWER_STATE", vm, "halted", state.lower())
    db.set("VBD", self, "mode", value)


@handler("VBD.assert_attachable")
def assert_attachable(call: Call, self: str) -> None:
    """Whether the VBD's disk could be attached now: present, writable if asked, not in use read-write elsewhere."""
    db = call.db
    rec = db.get("VBD", self)
    vdi = rec["VDI"]
    if rec["empty"] or not db.exists("VDI", vdi):
        return
    disk = db.get("VDI", vdi)
    if disk["missing"]:
        raise ApiError("VDI_MISSING", disk["SR"], vdi)
    if rec["mode"] == "RW" and disk["read_only"]:
        raise ApiError("VDI_READONLY", vdi)
    if disk["sharable"]:
        return
    for other in db.referrers("VBD", "VDI", vdi):
        other_rec = db.get("VBD", other)
        if other != self and other_rec["currently_attached"] and (other_rec["mode"] == "RW" or rec["mode"] == "RW"):
            raise ApiError("VDI_IN_USE", vdi, "attach")
