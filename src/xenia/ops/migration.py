"""XenAPI's cross-host migration on top of :mod:`xenia.migration`: both ends, in the daemon.

``host.migrate_receive`` (the destination) issues a one-time token on the daemon's migration
receiver and answers xapi's ``dest`` map, with two more keys saying where xenia's receiver is.
``VM.migrate_send`` (the source) sends the VM's configuration (record, VIFs mapped to the
destination's networks, CD drives) in the stream's HELLO and its domain through the library;
the destination makes the records only at the switch-over and removes them on any failure, so
nothing is left half-made on either side. Task progress and ``task.cancel`` are the library's
progress callback and cancel token. Choices where xapi's design could not be followed (xapi's
source drives the destination over its API; here the stream carries what the destination needs)
are in ``docs/migration.md``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import struct
from dataclasses import replace
from typing import Any, Protocol

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Qualifier
from xenia.db import Db
from xenia.drivers.base import DomainSpec, Driver
from xenia.drivers.errors import DriverError
from xenia.drivers.qemu import QemuDriver
from xenia.drivers.sim.driver import SimDriver
from xenia.drivers.specjson import spec_from_json
from xenia.migration import (
    MigrationCancelled,
    MigrationError,
    MigrationOptions,
    Receiver,
    Sink,
    SourceVm,
    TimeoutPolicy,
    migrate,
)
from xenia.migration.live import Run, WrappedSource
from xenia.migration.qemu import QemuSink, QemuSource
from xenia.migration.save import read_header, restore, save
from xenia.migration.sim import SimSink, SimSource
from xenia.migration.stream import FrameWriter, Kind
from xenia.ops import record
from xenia.ops.engine import Ops
from xenia.ops.migtask import TaskCancel as _TaskCancel
from xenia.ops.migtask import progress_to as _progress_to
from xenia.ops.spec import domain_spec, vdi_path
from xenia.ops.steps import TaskControl
from xenia.ops.storage import Storage

__all__ = ["DEST_RECEIVER", "DEST_TOKEN", "Migrations"]

log = logging.getLogger(__name__)

#: the keys xenia adds to xapi's ``dest`` map: where its receiver listens, and the one-time token
DEST_RECEIVER = "xenia_receiver"
DEST_TOKEN = "xenia_token"
#: bytes of a disk image per DISK frame
DISK_CHUNK = 256 << 10
_DISK_HEADER = struct.Struct(">HQ")
#: VM fields that describe this host's instance, not the VM: never carried to another host
_LOCAL = {"uuid", "snapshots", "snapshot_of", "parent", "is_a_snapshot", "snapshot_time", "snapshot_info",
          "snapshot_metadata", "metrics", "guest_metrics", "suspend_VDI", "resident_on", "scheduled_to_be_resident_on",
          "domid", "power_state", "allowed_operations", "current_operations", "VBDs", "VIFs", "consoles",
          "crash_dumps", "VTPMs", "VUSBs", "VGPUs", "attached_PCIs", "affinity", "suspend_SR", "appliance",
          "protection_policy", "snapshot_schedule", "groups", "pending_guidances"}  # fmt: skip


def _portable(db: Db, cls: str, rec: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    """The fields of ``rec`` another host can take as they are (no references, no runtime facts)."""
    out: dict[str, Any] = {}
    for f in db.model.cls(cls).fields:
        if f.name in skip or f.name not in rec or f.qualifier is Qualifier.RO_RUNTIME:
            continue
        text = f.type_text
        if "ref" in text or "datetime" in text:
            continue
        out[f.name] = rec[f.name]
    return out


class VmAlreadyHere(Exception):
    """The receiver refuses a VM whose uuid this host's db already has."""

    code = "VM_EXISTS"


class _DriverSink(Sink, Protocol):
    """The driver sinks this module drives: the destination's spec is set before the switch-over."""

    spec: DomainSpec | None
    vm_uuid: str


class _WithRecords(WrappedSource):
    """A driver's :class:`SourceVm` whose HELLO also carries the XenAPI records."""

    def __init__(self, inner: SourceVm, records: dict[str, Any], disk_paths: list[str]) -> None:
        super().__init__(inner)
        self.records = records
        self.disk_paths = disk_paths

    async def prepare(self) -> dict[str, Any]:
        return {**await self.inner.prepare(), "xenapi": self.records}

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        for index, path in enumerate(self.disk_paths):
            offset = 0
            with open(path, "rb") as image:
                while chunk := await asyncio.to_thread(image.read, DISK_CHUNK):
                    run.check()
                    sent = await out.send(Kind.DISK, _DISK_HEADER.pack(index, offset) + chunk)
                    offset += len(chunk)
                    run.sent(sent, run.meter.bytes_remaining)
        await self.inner.send_memory(out, run)


class _Arrival:
    """The destination's :class:`Sink`: the driver's sink plus the VM's records in this db."""

    def __init__(self, owner: Migrations, inner: _DriverSink) -> None:
        self.owner = owner
        self.inner = inner
        self.records: dict[str, Any] = {}
        self.vm = NULL_REF
        #: the VDIs made here for the disks the stream carries, in the stream's order
        self.vdis: list[str] = []

    async def accept(self, hello: dict[str, Any]) -> None:
        db = self.owner.db
        self.records = dict(hello.get("xenapi") or {})
        vm_rec = self.records.get("VM")
        if not isinstance(vm_rec, dict):
            raise ValueError("the stream carries no VM record")
        try:
            db.by_uuid("VM", str(hello.get("vm")))
        except ApiError:
            pass  # the usual case: no VM of that uuid here
        else:
            raise VmAlreadyHere(f"a VM with uuid {hello.get('vm')} exists on this host")
        for vif in self.records.get("VIFs", []):
            db.get("network", vif["network"])  # HANDLE_INVALID when the map names no network of this host
        for disk in self.records.get("disks", []):
            db.get("SR", disk["SR"])  # HANDLE_INVALID when the map names no SR of this host
        for disk in self.records.get("disks", []):
            vdi = await self.owner.storage.create_vdi({**disk["VDI"], "SR": disk["SR"]})
            self.vdis.append(vdi)
            if isinstance(self.inner, QemuSink):  # an empty image of the size, filled by QEMU's mirror
                continue
            await asyncio.to_thread(_truncate, vdi_path(db, vdi))
        if isinstance(self.inner, QemuSink):
            self.inner.spec = self._local_spec(hello)
        await self.inner.accept(hello)

    def _local_spec(self, hello: dict[str, Any]) -> DomainSpec:
        """The source's spec with this host's images for its disks (QEMU opens them at start)."""
        spec = spec_from_json(hello["spec"])
        paths = {str(d["VBD"]["userdevice"]): vdi_path(self.owner.db, vdi)
                 for d, vdi in zip(self.records.get("disks", []), self.vdis, strict=True)}  # fmt: skip
        disks = tuple(replace(d, path=paths[d.userdevice]) if d.userdevice in paths else d for d in spec.disks)
        return replace(spec, disks=disks)

    def bind(self, reply: Any) -> None:
        bind = getattr(self.inner, "bind", None)
        if bind is not None:
            bind(reply)

    async def nbd(self, payload: bytes) -> None:
        if not isinstance(self.inner, QemuSink):
            raise ValueError("NBD frames for a driver that does not mirror disks")
        await self.inner.nbd(payload)

    async def disk(self, payload: bytes) -> None:
        index, offset = _DISK_HEADER.unpack_from(payload)
        if index >= len(self.vdis):
            raise ValueError(f"disk {index} was not announced")
        path = vdi_path(self.owner.db, self.vdis[index])
        await asyncio.to_thread(_write_at, path, offset, payload[_DISK_HEADER.size :])

    async def data(self, payload: bytes) -> None:
        await self.inner.data(payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        from xenia.api.handlers.vm import create_vm  # the one way a VM record is made

        db = self.owner.db
        with db.batch():
            self.vm = create_vm(db, {**self.records["VM"], "uuid": self.inner.vm_uuid})
            for vif in self.records.get("VIFs", []):
                db.create("VIF", {**vif, "VM": self.vm, "currently_attached": False})
            for vbd in self.records.get("VBDs", []):
                db.create("VBD", {**vbd, "VM": self.vm, "VDI": NULL_REF, "empty": True, "currently_attached": False})
            for disk, vdi in zip(self.records.get("disks", []), self.vdis, strict=True):
                db.create("VBD", {**disk["VBD"], "VM": self.vm, "VDI": vdi, "empty": False, "currently_attached": False})
        self.inner.spec = domain_spec(db, self.vm)
        return {**await self.inner.load(state), "vm": self.vm}

    async def commit(self) -> dict[str, Any]:
        done = await self.inner.commit()
        await self.owner.ops.arrived(self.vm)
        return {**done, "vm": self.vm}

    async def abort(self) -> None:
        from xenia.api.handlers.vm import destroy_vm

        try:
            await self.inner.abort()
        finally:
            if self.vm != NULL_REF and self.owner.db.exists("VM", self.vm):
                destroy_vm(self.owner.db, self.vm)
            for vdi in self.vdis:
                if self.owner.db.exists("VDI", vdi):
                    await self.owner.storage.destroy_vdi(vdi)


class Migrations:
    """The daemon's migration service (``app.services["migrations"]``)."""

    def __init__(self, db: Db, ops: Ops, storage: Storage, driver: Driver, host: str,
                 listen: str = "127.0.0.1:0") -> None:  # fmt: skip
        self.db = db
        self.ops = ops
        self.storage = storage
        self.driver = driver
        self.host = host
        #: where this daemon's API is, for the ``dest`` map (set by the daemon once it listens)
        self.api_url = ""
        address, _, port = listen.rpartition(":")
        self.receiver = Receiver(address or "127.0.0.1", int(port or 0))

    async def start(self) -> None:
        await self.receiver.start()

    async def close(self) -> None:
        await self.receiver.close()

    # -- destination ------------------------------------------------------------------------------

    def receive(self, network: str, session_id: str, api_url: str) -> dict[str, str]:
        """``host.migrate_receive``: a token, and xapi's ``dest`` map."""
        self._driver_sink()  # refuses a driver that cannot receive
        self.db.get("network", network)
        ticket = self.receiver.expect(self._arrival)
        host, port = self.receiver.address
        return {
            "SM": f"{api_url}/services/SM?session_id={session_id}",
            "host": self.host,
            "xenops": f"{api_url}/services/xenops?session_id={session_id}",
            "session_id": session_id,
            "master": api_url,
            DEST_RECEIVER: f"{host}:{port}",
            DEST_TOKEN: ticket.token,
        }

    async def _arrival(self, hello: dict[str, Any]) -> Sink:
        return _Arrival(self, self._driver_sink())

    def _driver_sink(self) -> _DriverSink:
        if isinstance(self.driver, SimDriver):
            return SimSink(self.driver)
        if isinstance(self.driver, QemuDriver):
            return QemuSink(self.driver)
        raise ApiError("OPERATION_NOT_ALLOWED", f"the {self.driver.name} driver does not migrate")

    def _driver_source(self, vm_uuid: str, *, copy_disks: bool = False) -> SourceVm:
        """The driver's side of a VM leaving; ``copy_disks``: QEMU mirrors its disks to the
        destination (VM.migrate_send), else the destination opens the same files (a pool, a save)."""
        if isinstance(self.driver, SimDriver):
            return SimSource(self.driver, vm_uuid)
        if isinstance(self.driver, QemuDriver):
            return QemuSource(self.driver, vm_uuid, copy_disks=copy_disks)
        raise ApiError("OPERATION_NOT_ALLOWED", f"the {self.driver.name} driver does not migrate")

    # -- save and restore to a file anywhere (xl save / xl restore) ----------------------------------

    async def save_to(self, vm: str, path: str, bandwidth: str, task: TaskControl) -> None:
        """Write a running VM to ``path`` on this host; the VM is Halted afterwards (its state is in the file)."""
        db, ops = self.db, self.ops
        if not os.path.isabs(path):
            raise ApiError("INVALID_VALUE", "path", path)
        async with ops.operation(vm, "suspend", task):
            uuid = db.get("VM", vm)["uuid"]
            opts = _file_options(bandwidth)
            opts.progress = _progress_to(task)
            opts.cancel = _TaskCancel(task)
            try:
                await save(self._driver_source(uuid), path, opts)
            except MigrationCancelled as exc:
                raise ApiError("TASK_CANCELLED", task.ref) from exc
            except MigrationError as exc:
                raise ApiError("VM_MIGRATE_FAILED", vm, self.host, path,
                               f"{exc.phase.value}: {exc.reason}: {exc.message}") from exc  # fmt: skip
            await ops.departed(vm)
            record.halted(db, vm)

    async def restore_from(self, path: str, bandwidth: str, task: TaskControl) -> str:
        """Run the VM saved in ``path`` again; its record must be here and Halted. The VM's reference."""
        db, ops = self.db, self.ops
        try:
            header = read_header(path)
        except MigrationError as exc:
            raise ApiError("INVALID_VALUE", "path", path) from exc
        vm = db.by_uuid("VM", str(header.get("vm", "")))
        async with ops.operation(vm, "start", task):
            inner = self._driver_sink()
            inner.spec = domain_spec(db, vm)
            opts = _file_options(bandwidth)
            opts.progress = _progress_to(task)
            opts.cancel = _TaskCancel(task)
            try:
                await restore(_Restored(self, vm, inner), path, opts)
            except MigrationCancelled as exc:
                raise ApiError("TASK_CANCELLED", task.ref) from exc
            except MigrationError as exc:
                raise ApiError("VM_MIGRATE_FAILED", vm, path, self.host,
                               f"{exc.phase.value}: {exc.reason}: {exc.message}") from exc  # fmt: skip
            except DriverError as exc:
                raise ApiError("VM_MIGRATE_FAILED", vm, path, self.host, str(exc)) from exc
        return vm

    # -- source -----------------------------------------------------------------------------------

    def check(self, vm: str, dest: dict[str, str], vdi_map: dict[str, str], vif_map: dict[str, str]) -> dict[str, Any]:
        """``VM.assert_can_migrate``'s checks; the records the stream will carry."""
        db = self.db
        if not isinstance(self.driver, SimDriver | QemuDriver):
            raise ApiError("OPERATION_NOT_ALLOWED", f"the {self.driver.name} driver does not migrate")
        if DEST_RECEIVER not in dest or DEST_TOKEN not in dest:
            raise ApiError("VM_MIGRATE_CONTACT_REMOTE_SERVICE_FAILED")
        vifs = []
        for vif in db.referrers("VIF", "VM", vm):
            if vif not in vif_map:
                raise ApiError("VIF_NOT_IN_MAP", vif)
            rec = db.get("VIF", vif)
            vifs.append({**_portable(db, "VIF", rec, {"uuid", "VM", "network", "metrics"}), "network": vif_map[vif]})
        vbds, disks = [], []
        for vbd in db.referrers("VBD", "VM", vm):
            rec = db.get("VBD", vbd)
            if rec["type"] == "CD" or rec["empty"] or rec["VDI"] == NULL_REF:
                vbds.append(_portable(db, "VBD", rec, {"uuid", "VM", "VDI", "metrics"}))
                continue
            if rec["VDI"] not in vdi_map:
                raise ApiError("VDI_NOT_IN_MAP", rec["VDI"])
            vdi = db.get("VDI", rec["VDI"])
            disks.append({"VBD": _portable(db, "VBD", rec, {"uuid", "VM", "VDI", "metrics"}),
                          "VDI": _portable(db, "VDI", vdi, {"uuid", "SR", "VBDs", "location", "crash_dumps"}),
                          "SR": vdi_map[rec["VDI"]], "source": rec["VDI"]})  # fmt: skip
        return {"VM": _portable(db, "VM", db.get("VM", vm), _LOCAL), "VIFs": vifs, "VBDs": vbds, "disks": disks}

    async def send(self, vm: str, dest: dict[str, str], vdi_map: dict[str, str], vif_map: dict[str, str],
                   options: dict[str, str], task: TaskControl) -> str:  # fmt: skip
        """``VM.migrate_send``: move a live VM; the VM's reference on the destination."""
        db, ops = self.db, self.ops
        async with ops.operation(vm, "migrate_send", task):
            records = self.check(vm, dest, vdi_map, vif_map)
            uuid = db.get("VM", vm)["uuid"]
            host, _, port = dest[DEST_RECEIVER].rpartition(":")
            opts = _options(options)
            opts.progress = _progress_to(task)
            opts.cancel = _TaskCancel(task)
            try:
                paths = [vdi_path(db, d.pop("source")) for d in records["disks"]]
                if isinstance(self.driver, QemuDriver):
                    paths = []  # QEMU's block mirror copies them, tunnelled in the stream
                source_vdis = [db.get("VBD", b)["VDI"] for b in db.referrers("VBD", "VM", vm)
                               if db.get("VBD", b)["VDI"] in vdi_map]  # fmt: skip
                result = await migrate(_WithRecords(self._driver_source(uuid, copy_disks=True), records, paths), (host, int(port)),
                                       dest[DEST_TOKEN], opts)  # fmt: skip
            except MigrationCancelled as exc:
                raise ApiError("TASK_CANCELLED", task.ref) from exc
            except MigrationError as exc:
                if not exc.source_running:
                    log.error("VM %s: migration failed in %s and the source is not running", uuid, exc.phase.value)
                raise ApiError("VM_MIGRATE_FAILED", vm, self.host, dest.get("host", ""),
                               f"{exc.phase.value}: {exc.reason}: {exc.message}") from exc  # fmt: skip
            from xenia.api.handlers.vm import destroy_vm

            await ops.departed(vm)
            destroy_vm(db, vm)
            for vdi in source_vdis:  # the disks moved with the VM (xapi's storage motion)
                await self.storage.destroy_vdi(vdi)
            return str(result.destination.get("vm", NULL_REF))


class _Restored:
    """The sink of ``vm-restore``: the driver's sink for an existing, halted VM record."""

    def __init__(self, owner: Migrations, vm: str, inner: _DriverSink) -> None:
        self.owner, self.vm, self.inner = owner, vm, inner

    async def accept(self, hello: dict[str, Any]) -> None:
        await self.inner.accept(hello)

    async def data(self, payload: bytes) -> None:
        await self.inner.data(payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        return await self.inner.load(state)

    async def commit(self) -> dict[str, Any]:
        done = await self.inner.commit()
        await self.owner.ops.arrived(self.vm)
        return done

    async def abort(self) -> None:
        await self.inner.abort()


def _truncate(path: str) -> None:
    with open(path, "wb"):
        pass


def _write_at(path: str, offset: int, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, offset)
    finally:
        os.close(fd)


def _file_options(bandwidth: str) -> MigrationOptions:
    return _options({"bandwidth": bandwidth} if bandwidth else {})


def _options(options: dict[str, str]) -> MigrationOptions:
    """xenia's ``options`` keys (xapi passes ``force``, ``copy``, ``compress``: accepted, not needed)."""
    try:
        out = MigrationOptions()
        if "bandwidth" in options:
            out.bandwidth = float(options["bandwidth"])
        if "downtime" in options:
            out.downtime = float(options["downtime"])
        if "timeout" in options:
            out.timeout = float(options["timeout"])
        if "on_timeout" in options:
            out.on_timeout = TimeoutPolicy(options["on_timeout"])
    except ValueError as exc:
        raise ApiError("INVALID_VALUE", "options", str(options)) from exc
    return out
