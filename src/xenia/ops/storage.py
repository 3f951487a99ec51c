"""Disks on a ``file`` SR: VDI records and the image files behind them, created together.

A VDI of a ``file`` SR is a file ``<SR path>/<VDI location>`` made by the
driver's storage operations (the simulator writes a small descriptor, QEMU a
qcow2 image).  The db record and the file are created and removed in one
place, so neither outlives the other.  Provisioning a template's disks, and
copying, snapshotting and reverting VMs build on these.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from typing import Any

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF
from xenia.db import Db
from xenia.drivers.base import Capability, Driver
from xenia.drivers.errors import DriverError, NoSuchImage
from xenia.ops.errors import to_api_error
from xenia.ops.spec import sr_path, vdi_path
from xenia.util.clock import xapi_time

_DISK = re.compile(r"<disk\s+([^>]*?)/?>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _storage_error(e: DriverError, step: str, operation: str) -> ApiError:
    return to_api_error(e, vm="", step=step, operation=operation)


def refresh_sr_usage(db: Db, sr: str) -> None:
    """An SR's sizes follow its VDIs, as the SM reports them to xapi: ``virtual_allocation`` sums the
    VDIs' virtual sizes, ``physical_utilisation`` their physical use (the images xenia made, not the
    other files of the filesystem), ``physical_size`` is the size of the filesystem holding the SR."""
    vdis = [db.get("VDI", vdi) for vdi in db.referrers("VDI", "SR", sr)]
    values: dict[str, int] = {
        "virtual_allocation": sum(v["virtual_size"] for v in vdis),
        "physical_utilisation": sum(v["physical_utilisation"] for v in vdis),
    }
    try:
        fs = os.statvfs(sr_path(db, sr))
        values["physical_size"] = fs.f_blocks * fs.f_frsize
    except (OSError, ApiError):
        pass
    rec = db.get("SR", sr)
    if any(rec[k] != v for k, v in values.items()):
        db.update("SR", sr, **values)


class Storage:
    def __init__(self, db: Db, driver: Driver, host: str | None = None) -> None:
        self.db = db
        self.driver = driver
        #: in a pool, the member whose SRs (those with a PBD on it) this one keeps the sizes of
        self.host = host
        self._unfinish = db.add_finisher(self._refresh_usage)
        for sr in self._own_srs():
            with db.batch():
                refresh_sr_usage(db, sr)

    def _own_srs(self) -> list[str]:
        db = self.db
        if self.host is None:
            return db.refs("SR")
        return [sr for sr in db.refs("SR") if any(db.get("PBD", p)["host"] == self.host
                                                 for p in db.referrers("PBD", "SR", sr))]  # fmt: skip

    def _refresh_usage(self, touched: list[tuple[str, str]]) -> None:
        """Keep SR sizes true in the same commit as any change to a VDI (made, resized, removed)."""
        if any(cls == "VDI" for cls, _ in touched):
            for sr in self._own_srs():
                refresh_sr_usage(self.db, sr)

    def close(self) -> None:
        self._unfinish()

    @property
    def has_files(self) -> bool:
        return Capability.STORAGE in self.driver.capabilities

    def _check_sr(self, sr: str) -> None:
        if self.db.get("SR", sr)["type"] not in ("file", "iso"):
            raise ApiError("SR_OPERATION_NOT_SUPPORTED", sr)

    async def create_vdi(self, values: dict[str, Any]) -> str:
        """Create the record and, on a file SR, the image (both or neither)."""
        db = self.db
        sr = values["SR"]
        with db.batch():
            ref = db.create("VDI", values)
            if not db.get("VDI", ref)["location"]:
                db.set("VDI", ref, "location", f"{db.get('VDI', ref)['uuid']}.img")
        if self.has_files and db.get("SR", sr)["type"] == "file":
            try:
                info = await self.driver.storage.create_image(vdi_path(db, ref), values.get("virtual_size", 0))
            except DriverError as e:
                db.destroy("VDI", ref)
                raise _storage_error(e, "create_image", "VDI.create") from e
            db.set("VDI", ref, "physical_utilisation", info.physical_utilisation)
        return ref

    async def destroy_vdi(self, vdi: str) -> None:
        db = self.db
        rec = db.get("VDI", vdi)
        for vbd in db.referrers("VBD", "VDI", vdi):
            if db.get("VBD", vbd)["currently_attached"]:
                raise ApiError("VDI_IN_USE", vdi, "destroy")
        # the image first, as xapi asks the SM before it drops the record: a failure leaves both
        if self.has_files and db.get("SR", rec["SR"])["type"] == "file":
            try:
                await self.driver.storage.destroy_image(vdi_path(db, vdi))
            except NoSuchImage:
                pass
            except DriverError as e:
                raise _storage_error(e, "destroy_image", "VDI.destroy") from e
        if not db.exists("VDI", vdi):
            return
        with db.batch():
            for vbd in db.referrers("VBD", "VDI", vdi):
                db.update("VBD", vbd, VDI=NULL_REF, empty=True)
            db.destroy("VDI", vdi)

    async def resize_vdi(self, vdi: str, size: int) -> None:
        db = self.db
        if size < db.get("VDI", vdi)["virtual_size"]:
            raise ApiError("INVALID_VALUE", "size", size)
        if self.has_files:
            try:
                info = await self.driver.storage.resize_image(vdi_path(db, vdi), size)
            except DriverError as e:
                raise _storage_error(e, "resize_image", "VDI.resize") from e
            db.update("VDI", vdi, virtual_size=info.virtual_size, physical_utilisation=info.physical_utilisation)
        else:
            db.set("VDI", vdi, "virtual_size", size)

    async def copy_vdi(self, vdi: str, how: str, sr: str | None = None, name: str | None = None) -> str:
        """A new VDI from ``vdi``: ``clone`` (copy-on-write where possible), ``copy`` or ``snapshot``."""
        db = self.db
        src = db.get("VDI", vdi)
        values = {k: src[k] for k in ("name_label", "name_description", "SR", "virtual_size", "type", "sharable",
                                      "read_only", "other_config", "xenstore_data", "sm_config", "tags")}  # fmt: skip
        if sr is not None:
            values["SR"] = sr
        if name is not None:
            values["name_label"] = name
        with db.batch():
            ref = db.create("VDI", values)
            db.update("VDI", ref, location=f"{db.get('VDI', ref)['uuid']}.img",
                      physical_utilisation=src["physical_utilisation"])  # fmt: skip
            if how == "snapshot":
                db.update("VDI", ref, is_a_snapshot=True, snapshot_of=vdi, snapshot_time=xapi_time())
        if self.has_files and db.get("SR", values["SR"])["type"] == "file":
            capability = Capability.SNAPSHOT if how == "snapshot" else Capability.CLONE
            try:
                if capability in self.driver.capabilities:
                    op = self.driver.storage.snapshot if how == "snapshot" else self.driver.storage.clone
                    info = await op(vdi_path(db, vdi), vdi_path(db, ref))
                else:
                    info = await self.driver.storage.create_image(vdi_path(db, ref), src["virtual_size"])
            except DriverError as e:
                db.destroy("VDI", ref)
                raise _storage_error(e, f"{how}_image", f"VDI.{how}") from e
            db.set("VDI", ref, "physical_utilisation", info.physical_utilisation)
        return ref

    async def copy_suspend_image(self, vdi: str) -> str:
        """A copy of a memory image (a checkpoint's or a suspended VM's): the image is the driver's own
        stream, not a disk, so its bytes are copied as they are."""
        db = self.db
        src = db.get("VDI", vdi)
        with db.batch():
            ref = db.create("VDI", {k: src[k] for k in ("name_label", "name_description", "SR", "virtual_size", "type",
                                                        "sharable", "read_only", "other_config")})  # fmt: skip
            db.set("VDI", ref, "location", f"{db.get('VDI', ref)['uuid']}.suspend")
        try:
            await asyncio.to_thread(shutil.copyfile, vdi_path(db, vdi), vdi_path(db, ref))
        except OSError as e:
            db.destroy("VDI", ref)
            raise ApiError("SR_BACKEND_FAILURE", "copy", src["location"], str(e)) from e
        return ref

    async def provision(self, vm: str) -> list[str]:
        """Create the disks a template's ``other_config["disks"]`` describes (xapi's provisioning XML)."""
        db = self.db
        rec = db.get("VM", vm)
        spec = rec["other_config"].get("disks", "")
        created: list[str] = []
        pool = db.refs("pool")[0]
        for match in _DISK.finditer(spec):
            attrs = dict(_ATTR.findall(match.group(1)))
            sr = attrs.get("sr") or db.get("pool", pool)["default_SR"]
            if not db.exists("SR", sr):
                sr = db.by_uuid("SR", sr)
            size = int(attrs.get("size", "0"))
            vdi = await self.create_vdi({"name_label": f"{rec['name_label']} {attrs.get('device', '0')}", "SR": sr,
                                         "virtual_size": size, "type": attrs.get("type", "system"),
                                         "sharable": False, "read_only": False})  # fmt: skip
            db.create("VBD", {"VM": vm, "VDI": vdi, "userdevice": attrs.get("device", "0"),
                              "bootable": attrs.get("bootable", "false") == "true", "mode": "RW", "type": "Disk",
                              "empty": False})  # fmt: skip
            created.append(vdi)
        if spec:
            db.set("VM", vm, "other_config", {k: v for k, v in rec["other_config"].items() if k != "disks"})
        return created


def scan_iso_sr(db: Db, sr: str) -> None:
    """Make the VDIs of an ``iso`` SR match the ``.iso`` files in its directory (xapi's ISO SR scan).

    The files are the truth: a user copies an ISO into the directory, a scan shows it as a VDI
    named after the file (read-only, ``location`` = file name, so VBD.insert finds it); a VDI
    whose file is gone is removed, after emptying the CD drives that held it (or, while a running
    VM's drive holds it, kept with ``missing`` set, as xapi does).  Nothing is read
    from the files but their names and sizes.
    """
    root = sr_path(db, sr)
    try:
        files = {p.name: p.stat().st_size for p in root.iterdir() if p.suffix.lower() == ".iso" and p.is_file()}
    except OSError:
        files = {}
    known = {db.get("VDI", vdi)["location"]: vdi for vdi in db.referrers("VDI", "SR", sr)}
    with db.batch():
        for name, vdi in known.items():
            vbds = db.referrers("VBD", "VDI", vdi)
            if name not in files and any(db.get("VBD", vbd)["currently_attached"] for vbd in vbds):
                db.set("VDI", vdi, "missing", True)  # a running guest still has it open: keep it, flagged
            elif name not in files:
                for vbd in vbds:
                    db.update("VBD", vbd, VDI=NULL_REF, empty=True)
                db.destroy("VDI", vdi)
            elif db.get("VDI", vdi)["missing"] or db.get("VDI", vdi)["virtual_size"] != files[name]:
                db.update("VDI", vdi, virtual_size=files[name], physical_utilisation=files[name], missing=False)
        for name, size in sorted(files.items()):
            if name not in known:
                db.create("VDI", {"name_label": name, "SR": sr, "location": name, "type": "user", "read_only": True,
                                  "sharable": True, "virtual_size": size, "physical_utilisation": size})  # fmt: skip
