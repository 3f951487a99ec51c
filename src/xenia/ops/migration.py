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
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Qualifier
from xenia.db import Db
from xenia.drivers.base import DomainSpec, Driver
from xenia.drivers.errors import DriverError
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

if TYPE_CHECKING:
    from xenia.drivers.qemu.driver import QemuDriver
    from xenia.migration.qemu import QemuSink

log = logging.getLogger(__name__)


def _is_qemu(driver: Driver) -> TypeGuard[QemuDriver]:
    """Whether ``driver`` is the QEMU driver, without importing it: its modules (and the QEMU side of
    the migration library) load only with the driver, not on every start (issue 12)."""
    module = sys.modules.get("xenia.drivers.qemu.driver")
    return module is not None and isinstance(driver, module.QemuDriver)


def _is_qemu_sink(sink: object) -> TypeGuard[QemuSink]:
    """Whether ``sink`` is the QEMU driver's migration sink (made only by a QEMU driver; see :func:`_is_qemu`)."""
    module = sys.modules.get("xenia.migration.qemu")
    return module is not None and isinstance(sink, module.QemuSink)

#: the keys xenia adds to xapi's ``dest`` map: where its receiver listens, and the one-time token
DEST_RECEIVER = "xenia_receiver"
DEST_TOKEN = "xenia_token"
#: the HELLO's and SWITCH's key of a VM that moves without a domain: its power state (Halted, Suspended)
COLD = "cold"
#: the records' key of a copy (xapi's ``copy`` option): the destination makes a new VM, the source stays
COPY = "copy"
#: xapi's refusal of a copy within a pool (``Xapi_vm_migrate.migrate_send'``)
_NO_INTRA_POOL_COPY = ("Copy mode is disallowed on intra pool storage migration, try efficient alternatives, "
                       "for example, VM.copy/clone.")  # fmt: skip
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
        left = sum(os.path.getsize(path) for path in self.disk_paths)  # the progress's bytes remaining
        for index, path in enumerate(self.disk_paths):
            offset = 0
            with open(path, "rb") as image:
                while chunk := await asyncio.to_thread(image.read, DISK_CHUNK):
                    run.check()
                    sent = await out.send(Kind.DISK, _DISK_HEADER.pack(index, offset) + chunk)
                    offset += len(chunk)
                    left = max(0, left - len(chunk))
                    run.sent(sent, left)
        await self.inner.send_memory(out, run)


class _ColdSource:
    """A Halted or Suspended VM leaving: no domain, only its records and disk images (xapi copies
    them; the suspend image is one more disk). Nothing here changes the source, so every failure
    leaves it as it was."""

    def __init__(self, vm_uuid: str, power_state: str) -> None:
        self.vm_uuid = vm_uuid
        self.power_state = power_state

    async def prepare(self) -> dict[str, Any]:
        return {"vm": self.vm_uuid, "driver": "none", COLD: self.power_state}

    async def send_memory(self, out: FrameWriter, run: Run) -> None:
        """No memory: the disks went before (:class:`_WithRecords`)."""

    async def switch_over(self, out: FrameWriter, run: Run) -> dict[str, Any]:
        return {COLD: self.power_state}

    async def resume(self) -> None:
        """Nothing was paused."""

    async def abandon(self) -> None:
        """Nothing was started."""

    async def release(self) -> None:
        """No domain: the caller removes the records and the disks."""


class _Arrival:
    """The destination's :class:`Sink`: the driver's sink plus the VM's records in this db.

    A Halted or Suspended VM (HELLO's ``cold``) has no domain: the driver's sink is left out, the
    disks (and the suspend image) arrive as DISK frames whatever the driver."""

    def __init__(self, owner: Migrations, inner: _DriverSink) -> None:
        self.owner = owner
        self.inner = inner
        self.records: dict[str, Any] = {}
        self.vm = NULL_REF
        #: the VDIs made here for the disks the stream carries, in the stream's order
        self.vdis: list[str] = []
        self.uuid = ""
        #: the power state of a VM that comes without a domain (Halted, Suspended), else ""
        self.cold = ""
        #: the suspend image's VDI made here (a Suspended VM's)
        self.suspend_vdi = NULL_REF
        #: a copy (xapi's ``copy``): a new VM here, with its own uuid and MACs
        self.copy = False

    async def accept(self, hello: dict[str, Any]) -> None:
        db = self.owner.db
        self.records = dict(hello.get("xenapi") or {})
        vm_rec = self.records.get("VM")
        if not isinstance(vm_rec, dict):
            raise ValueError("the stream carries no VM record")
        self.copy = bool(self.records.get(COPY))
        if self.copy and not hello.get(COLD):
            raise ValueError("only a VM without a domain is copied")
        try:
            db.by_uuid("VM", str(hello.get("vm")))
        except ApiError:
            pass  # the usual case: no VM of that uuid here
        else:
            if not self.copy:  # a copy gets a uuid of its own
                raise VmAlreadyHere(f"a VM with uuid {hello.get('vm')} exists on this host")
        for vif in self.records.get("VIFs", []):
            db.get("network", vif["network"])  # HANDLE_INVALID when the map names no network of this host
        self.uuid = str(hello.get("vm"))
        self.cold = str(hello.get(COLD) or "")
        if self.cold not in ("", "Halted", "Suspended"):
            raise ValueError(f"a VM cannot arrive {self.cold}")
        suspend = self.records.get("suspend") if self.cold == "Suspended" else None
        if self.cold == "Suspended" and not isinstance(suspend, dict):
            raise ValueError("a Suspended VM comes with its suspend image")
        disks = list(self.records.get("disks", []))
        if suspend is not None:  # xapi's default: this pool's default SR when the map has none
            sr = suspend["SR"] if suspend["SR"] != NULL_REF else _default_sr(db)
            disks.append({"VDI": suspend["VDI"], "SR": sr})
        for disk in disks:
            db.get("SR", disk["SR"])  # HANDLE_INVALID when the map names no SR of this host
        for disk in disks:
            vdi = await self.owner.storage.create_vdi({**disk["VDI"], "SR": disk["SR"]})
            self.vdis.append(vdi)
            if _is_qemu_sink(self.inner) and not self.cold:  # empty, of the size: QEMU's mirror fills it
                continue
            await asyncio.to_thread(_truncate, vdi_path(db, vdi))
        if suspend is not None:
            self.suspend_vdi = self.vdis.pop()
        if self.cold:
            return
        if _is_qemu_sink(self.inner):
            self.inner.spec = self._local_spec(hello)
        await self.inner.accept(hello)

    def _local_spec(self, hello: dict[str, Any]) -> DomainSpec:
        """The source's spec with this host's images for its disks (QEMU opens them at start)."""
        spec = spec_from_json(hello["spec"])
        paths = {str(d["VBD"]["userdevice"]): vdi_path(self.owner.db, vdi)
                 for d, vdi in zip(self.records.get("disks", []), self.vdis, strict=True)}  # fmt: skip
        disks = tuple(replace(d, path=paths[d.userdevice]) if d.userdevice in paths else d for d in spec.disks)
        return replace(spec, disks=disks)

    @property
    def failed(self) -> asyncio.Future[None] | None:
        """The driver sink's own failure (a destination QEMU dying while the disks are copied), which
        the receiver watches between frames; read after :meth:`accept`."""
        return None if self.cold else getattr(self.inner, "failed", None)

    def bind(self, reply: Any) -> None:
        bind = getattr(self.inner, "bind", None)
        if bind is not None:
            bind(reply)

    async def nbd(self, payload: bytes) -> None:
        if not _is_qemu_sink(self.inner):
            raise ValueError("NBD frames for a driver that does not mirror disks")
        await self.inner.nbd(payload)

    async def disk(self, payload: bytes) -> None:
        index, offset = _DISK_HEADER.unpack_from(payload)
        images = self.vdis + ([self.suspend_vdi] if self.suspend_vdi != NULL_REF else [])
        if index >= len(images):
            raise ValueError(f"disk {index} was not announced")
        path = vdi_path(self.owner.db, images[index])
        await asyncio.to_thread(_write_at, path, offset, payload[_DISK_HEADER.size :])

    async def data(self, payload: bytes) -> None:
        if self.cold:
            raise ValueError(f"memory for a {self.cold} VM")
        await self.inner.data(payload)

    async def load(self, state: dict[str, Any]) -> dict[str, Any]:
        from xenia.api.handlers.vm import create_vm, random_mac  # the one way a VM record is made

        db = self.owner.db
        if self.cold and state.get(COLD) != self.cold:
            raise ValueError(f"the VM left {state.get(COLD)!r}, it came {self.cold}")
        with db.batch():
            uuid = self.uuid if self.cold else self.inner.vm_uuid
            self.vm = create_vm(db, {**self.records["VM"], "uuid": "" if self.copy else uuid})  # "": a fresh one
            for vif in self.records.get("VIFs", []):
                if self.copy:  # as xapi's import of a copy (no full restore): the MAC is made again
                    vif = {**vif, "MAC": random_mac(), "MAC_autogenerated": True}
                db.create("VIF", {**vif, "VM": self.vm, "currently_attached": False})
            for vbd in self.records.get("VBDs", []):
                db.create("VBD", {**vbd, "VM": self.vm, "VDI": NULL_REF, "empty": True, "currently_attached": False})
            for disk, vdi in zip(self.records.get("disks", []), self.vdis, strict=True):
                db.create("VBD", {**disk["VBD"], "VM": self.vm, "VDI": vdi, "empty": False, "currently_attached": False})
            if self.suspend_vdi != NULL_REF:
                record.suspended(db, self.vm, self.suspend_vdi)
        if self.cold:
            return {"vm": self.vm}
        self.inner.spec = domain_spec(db, self.vm)
        return {**await self.inner.load(state), "vm": self.vm}

    async def commit(self) -> dict[str, Any]:
        if self.cold:
            return {"vm": self.vm}
        done = await self.inner.commit()
        await self.owner.ops.arrived(self.vm)
        return {**done, "vm": self.vm}

    async def abort(self) -> None:
        from xenia.api.handlers.vm import destroy_vm

        try:
            if not self.cold:
                await self.inner.abort()
        finally:
            if self.vm != NULL_REF and self.owner.db.exists("VM", self.vm):
                destroy_vm(self.owner.db, self.vm)
            for vdi in [*self.vdis, self.suspend_vdi]:
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
        if _is_qemu(self.driver):
            from xenia.migration.qemu import QemuSink

            return QemuSink(self.driver)
        raise ApiError("OPERATION_NOT_ALLOWED", f"the {self.driver.name} driver does not migrate")

    def _driver_source(self, vm_uuid: str, *, copy_disks: bool = False) -> SourceVm:
        """The driver's side of a VM leaving; ``copy_disks``: QEMU mirrors its disks to the
        destination (VM.migrate_send), else the destination opens the same files (a pool, a save)."""
        if isinstance(self.driver, SimDriver):
            return SimSource(self.driver, vm_uuid)
        if _is_qemu(self.driver):
            from xenia.migration.qemu import QemuSource

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

    def check(self, vm: str, dest: dict[str, str], vdi_map: dict[str, str], vif_map: dict[str, str],
              options: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
        """``VM.assert_can_migrate``'s checks; the records the stream will carry."""
        db = self.db
        if not (isinstance(self.driver, SimDriver) or _is_qemu(self.driver)):
            raise ApiError("OPERATION_NOT_ALLOWED", f"the {self.driver.name} driver does not migrate")
        if DEST_RECEIVER not in dest or DEST_TOKEN not in dest:
            raise ApiError("VM_MIGRATE_CONTACT_REMOTE_SERVICE_FAILED")
        copy = _copy_checked(db, vm, dest, options or {})
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
        out: dict[str, Any] = {"VM": _portable(db, "VM", db.get("VM", vm), _LOCAL), "VIFs": vifs, "VBDs": vbds,
                               "disks": disks, COPY: copy}  # fmt: skip
        rec = db.get("VM", vm)
        if rec["power_state"] == "Suspended" and rec["suspend_VDI"] != NULL_REF:
            # xapi's map may name the suspend image's SR; else the first disk's, else the destination's default
            sr = vdi_map.get(rec["suspend_VDI"]) or (disks[0]["SR"] if disks else NULL_REF)
            out["suspend"] = {"VDI": _portable(db, "VDI", db.get("VDI", rec["suspend_VDI"]), {"uuid", "SR", "VBDs", "location", "crash_dumps"}),
                              "SR": sr, "source": rec["suspend_VDI"]}  # fmt: skip
        return out

    async def send(self, vm: str, dest: dict[str, str], vdi_map: dict[str, str], vif_map: dict[str, str],
                   options: dict[str, str], task: TaskControl) -> str:  # fmt: skip
        """``VM.migrate_send``: move a VM (live, or Halted / Suspended with its disks and suspend
        image, as xapi); the VM's reference on the destination."""
        db, ops = self.db, self.ops
        async with ops.operation(vm, "migrate_send", task):
            records = self.check(vm, dest, vdi_map, vif_map, options)
            uuid = db.get("VM", vm)["uuid"]
            host, _, port = dest[DEST_RECEIVER].rpartition(":")
            opts = _options(options)
            opts.compress = _compressed(db, options, dest.get("host", "") == self.host)
            opts.progress = _progress_to(task)
            opts.cancel = _TaskCancel(task)
            power_state = db.get("VM", vm)["power_state"]
            cold = power_state in ("Halted", "Suspended")
            try:
                source_vdis = [d.pop("source") for d in records["disks"]]
                if "suspend" in records:  # the last image in the stream (xapi moves it with the disks)
                    source_vdis.append(records["suspend"].pop("source"))
                paths = [vdi_path(db, v) for v in source_vdis]
                if _is_qemu(self.driver) and not cold:
                    paths = []  # QEMU's block mirror copies them while the guest runs, tunnelled in the stream
                inner = _ColdSource(uuid, power_state) if cold else self._driver_source(uuid, copy_disks=True)
                result = await migrate(_WithRecords(inner, records, paths), (host, int(port)), dest[DEST_TOKEN], opts)
            except MigrationCancelled as exc:
                raise ApiError("TASK_CANCELLED", task.ref) from exc
            except MigrationError as exc:
                if not exc.source_running:
                    log.error("VM %s: migration failed in %s and the source is not running", uuid, exc.phase.value)
                raise ApiError("VM_MIGRATE_FAILED", vm, self.host, dest.get("host", ""),
                               f"{exc.phase.value}: {exc.reason}: {exc.message}") from exc  # fmt: skip
            from xenia.api.handlers.vm import destroy_vm

            if records[COPY]:  # xapi's copy: the source VM and its disks stay as they are
                return str(result.destination.get("vm", NULL_REF))
            if not cold:
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


def _copy_checked(db: Db, vm: str, dest: dict[str, str], options: dict[str, str]) -> bool:
    """Whether ``options`` ask for a copy (xapi's ``copy``), refused where xapi refuses it.

    As xapi (``bool_of_string``): only ``"true"`` is true, for ``copy`` and ``force``. xapi refuses
    a copy within a pool (the destination host is in this db), and a copy of a VM that is not
    Halted unless ``force``; xenia refuses the latter even with ``force`` (docs/migration.md).
    """
    if options.get("copy") != "true":
        return False
    if db.exists("host", dest.get("host", NULL_REF)):
        raise ApiError("OPERATION_NOT_ALLOWED", _NO_INTRA_POOL_COPY)
    state = str(db.get("VM", vm)["power_state"])
    if state != "Halted":
        raise ApiError("VM_BAD_POWER_STATE", vm, "halted", state.lower())
    return True


def _compressed(db: Db, options: dict[str, str], same_host: bool) -> bool:
    """xapi's ``use_compression``: ``compress`` as given (true/on/1, false/off/0, any case), else
    never to the same host, else the pool's ``migration_compression``."""
    word = options.get("compress", "").lower()
    if word in ("true", "on", "1"):
        return True
    if word in ("false", "off", "0") or same_host:
        return False
    pools = db.refs("pool")
    return bool(db.get("pool", pools[0])["migration_compression"]) if pools else False


def _default_sr(db: Db) -> str:
    """This pool's default SR (where a suspend image goes when the ``vdi_map`` names none)."""
    pools = db.refs("pool")
    sr = str(db.get("pool", pools[0])["default_SR"]) if pools else NULL_REF
    if sr == NULL_REF:
        raise ApiError("SR_NOT_FOUND", sr)
    return sr


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
    """xenia's ``options`` keys (xapi's ``copy`` and ``force`` are :func:`_copy_checked`'s, its
    ``compress`` :func:`_compressed`'s)."""
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
