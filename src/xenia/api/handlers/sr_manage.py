"""SRs made, introduced, forgotten and destroyed, and VDIs forgotten, refreshed and copied.

xenia has two kinds of SR, both directories on the host: ``file`` (disk images made by the
driver) and ``iso`` (install media the user copies in).  ``SR.create`` makes the directory
``device_config:location`` and the SR with a plugged PBD, as xapi's SR.create does through
its SM; ``forget`` drops the records and keeps the files, ``destroy`` also removes the images
(never the user's ISO files: xapi's ISO SR cannot be destroyed either).  Both need every
PBD unplugged first (SR_HAS_PBD [sr] otherwise).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from xenia.api.context import Call
from xenia.api.handlers.lifecycle import storage
from xenia.api.implicit import constructor_record
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.drivers.errors import DriverError
from xenia.ops.errors import to_api_error
from xenia.ops.spec import vdi_path
from xenia.ops.storage import refresh_sr_usage, scan_iso_sr

#: the SR types xenia can make (xapi: the SM drivers installed)
SR_TYPES = ("file", "iso")


def _sr_record(name_label: str, name_description: str, sr_type: str, content_type: str, shared: bool,
               sm_config: dict[str, str], path: str) -> dict[str, Any]:  # fmt: skip
    return {"name_label": name_label, "name_description": name_description, "type": sr_type,
            "content_type": content_type, "shared": shared, "physical_size": 0,
            "other_config": {"path": path}, "sm_config": {**sm_config, "path": path}}  # fmt: skip


@handler("SR.get_supported_types")
def get_supported_types(call: Call) -> list[str]:
    return list(SR_TYPES)


@handler("SR.create")
async def create(call: Call, host: str, device_config: dict[str, str], physical_size: int, name_label: str,
                 name_description: str, type: str, content_type: str, shared: bool,
                 sm_config: dict[str, str]) -> str:  # fmt: skip
    db = call.db
    db.get("host", host)
    if type not in SR_TYPES:
        raise ApiError("SR_UNKNOWN_DRIVER", type)
    location = device_config.get("location", "")
    if not location or not Path(location).is_absolute():
        raise ApiError("INVALID_VALUE", "device_config:location", location)
    try:
        await asyncio.to_thread(Path(location).mkdir, parents=True, exist_ok=True)
    except OSError as e:
        raise ApiError("SR_BACKEND_FAILURE", "mkdir", location, str(e)) from e
    with db.batch():
        sr = db.create("SR", _sr_record(name_label, name_description, type, content_type, shared, sm_config, location))
        # shared, in a pool: every member reaches the directory (one machine, or a network file system
        # mounted at the same path on each), so every member gets a plugged PBD, as xapi plugs them all
        hosts = db.refs("host") if shared and "pool" in call.app.services else [host]
        for member in hosts:
            db.create("PBD", {"host": member, "SR": sr, "device_config": device_config, "currently_attached": True})
        refresh_sr_usage(db, sr)
    if type == "iso":
        scan_iso_sr(db, sr)
    return sr


@handler("SR.introduce")
def introduce(call: Call, uuid: str, name_label: str, name_description: str, type: str, content_type: str,
              shared: bool, sm_config: dict[str, str]) -> str:  # fmt: skip
    """The record of an SR whose storage exists: no PBD yet (``PBD.create`` then ``PBD.plug``, as with xapi)."""
    if type not in SR_TYPES:
        raise ApiError("SR_UNKNOWN_DRIVER", type)
    if uuid and uuid in call.db.tables["SR"].by_uuid:  # xapi's db keeps uuids unique (xapi_sr.ml)
        raise ApiError("SR_UUID_EXISTS", uuid)
    path = sm_config.get("path", "")
    values = _sr_record(name_label, name_description, type, content_type, shared, sm_config, path)
    if not path:
        values["other_config"], values["sm_config"] = {}, dict(sm_config)
    return call.db.create("SR", {**values, "uuid": uuid} if uuid else values)


def _assert_unplugged(db: Db, sr: str) -> None:
    for pbd in db.referrers("PBD", "SR", sr):
        if db.get("PBD", pbd)["currently_attached"]:
            raise ApiError("SR_HAS_PBD", sr)


def _drop(db: Db, sr: str) -> None:
    with db.batch():
        for vdi in db.referrers("VDI", "SR", sr):
            for vbd in db.referrers("VBD", "VDI", vdi):
                db.update("VBD", vbd, VDI=NULL_REF, empty=True)
            db.destroy("VDI", vdi)
        for pbd in db.referrers("PBD", "SR", sr):
            db.destroy("PBD", pbd)
        for pool in db.refs("pool"):
            for field in ("default_SR", "suspend_image_SR", "crash_dump_SR"):
                if db.get("pool", pool)[field] == sr:
                    db.set("pool", pool, field, NULL_REF)
        db.destroy("SR", sr)


@handler("SR.forget")
def forget(call: Call, sr: str) -> None:
    """Drop the SR's records (its VDIs and PBDs too); its files stay on disk."""
    _assert_unplugged(call.db, sr)
    _drop(call.db, sr)


@handler("SR.destroy")
async def destroy(call: Call, sr: str) -> None:
    """Remove the SR's disk images, then its records."""
    db = call.db
    _assert_unplugged(db, sr)
    if db.get("SR", sr)["type"] != "file":
        raise ApiError("SR_OPERATION_NOT_SUPPORTED", sr)
    for vdi in db.referrers("VDI", "SR", sr):
        await storage(call).destroy_vdi(vdi)
    _drop(db, sr)


@handler("SR.update")
async def update(call: Call, sr: str) -> None:
    """Refresh the SR's sizes from its storage."""
    with call.db.batch():
        refresh_sr_usage(call.db, sr)


@handler("VDI.forget")
def forget_vdi(call: Call, vdi: str) -> None:
    """Drop the record only (xapi: ``Db.VDI.destroy``); the image stays in the SR."""
    db = call.db
    db.get("VDI", vdi)
    for vbd in db.referrers("VBD", "VDI", vdi):
        if db.get("VBD", vbd)["currently_attached"]:
            raise ApiError("VDI_IN_USE", vdi, "forget")
    with db.batch():
        for vbd in db.referrers("VBD", "VDI", vdi):
            db.update("VBD", vbd, VDI=NULL_REF, empty=True)
        db.destroy("VDI", vdi)


@handler("VDI.update")
async def update_vdi(call: Call, vdi: str) -> None:
    """Read the image's sizes afresh from the storage."""
    db = call.db
    rec = db.get("VDI", vdi)
    if not storage(call).has_files or db.get("SR", rec["SR"])["type"] != "file":
        return
    try:
        info = await storage(call).driver.storage.image_info(vdi_path(db, vdi))
    except DriverError as e:
        raise to_api_error(e, vm="", step="image_info", operation="VDI.update") from e
    db.update("VDI", vdi, virtual_size=info.virtual_size, physical_utilisation=info.physical_utilisation)


@handler("VDI.copy")
async def copy(call: Call, vdi: str, sr: str, base_vdi: str, into_vdi: str) -> str:
    """A full copy in ``sr``.  ``base_vdi`` is only a hint for a faster copy; copying into an
    existing VDI (``into_vdi``) is not supported by xenia's storage."""
    db = call.db
    db.get("VDI", vdi)
    if into_vdi != NULL_REF:
        db.get("VDI", into_vdi)
        raise ApiError("OPERATION_NOT_ALLOWED", "VDI.copy into an existing VDI is not supported; copy to an SR")
    db.get("SR", sr)
    return await storage(call).copy_vdi(vdi, "copy", sr)


@handler("VDI.introduce")
async def introduce_vdi(call: Call, uuid: str, name_label: str, name_description: str, sr: str, type: str,
                        sharable: bool, read_only: bool, other_config: dict[str, str], location: str,
                        xenstore_data: dict[str, str], sm_config: dict[str, str], managed: bool,
                        virtual_size: int, physical_utilisation: int, metadata_of_pool: str,
                        is_a_snapshot: bool, snapshot_time: str, snapshot_of: str) -> str:  # fmt: skip
    """The record of an image already in the SR at ``location`` (its sizes read from the image)."""
    db = call.db
    rec = db.get("SR", sr)
    if rec["type"] == "iso":
        scan_iso_sr(db, sr)
        for ref in db.referrers("VDI", "SR", sr):
            if db.get("VDI", ref)["location"] == location:
                return ref
        raise ApiError("VDI_MISSING", sr, location)
    values: dict[str, Any] = {
        "name_label": name_label, "name_description": name_description, "SR": sr, "type": type,
        "sharable": sharable, "read_only": read_only, "other_config": other_config, "location": location,
        "xenstore_data": xenstore_data, "sm_config": sm_config, "virtual_size": virtual_size,
    }  # fmt: skip
    record = constructor_record(db, "VDI", values)
    if uuid:
        record["uuid"] = uuid
    if storage(call).has_files:
        with db.batch():
            ref = db.create("VDI", record)
            db.update("VDI", ref, location=location, managed=managed)
        try:
            info = await storage(call).driver.storage.image_info(vdi_path(db, ref))
        except DriverError as e:
            db.destroy("VDI", ref)
            raise ApiError("VDI_MISSING", sr, location) from e
        db.update("VDI", ref, virtual_size=info.virtual_size, physical_utilisation=info.physical_utilisation)
        return ref
    ref = db.create("VDI", record)
    db.update("VDI", ref, location=location, physical_utilisation=physical_utilisation, managed=managed)
    return ref


def _sm_lacks(wire: str) -> None:
    def refuse(call: Call, vdi: str, *args: object) -> None:
        """xapi's ``check_sm_feature_error``: the SR's storage manager lacks the feature this needs
        (changed-block tracking, reset on boot, online resize), which neither of xenia's SR types has."""
        raise ApiError("SR_OPERATION_NOT_SUPPORTED", call.db.get("VDI", vdi)["SR"])

    handler(wire)(refuse)


for _wire in ("VDI.enable_cbt", "VDI.disable_cbt", "VDI.data_destroy", "VDI.list_changed_blocks", "VDI.set_on_boot",
              "VDI.resize_online"):  # fmt: skip
    _sm_lacks(_wire)
