"""Device operations of live domains: CD media, NICs, consoles.

CD drives keep their identity (``vbd<userdevice>``) for the life of the domain; media changes go
through QMP ``blockdev-change-medium`` / ``eject``. A guest that has locked its tray makes
``eject`` fail at once with QEMU's "is locked" error, which is reported as
:class:`InvalidState` (nothing waits for the guest to unlock it).

Hot-plug of disks and NICs is in :mod:`.hotplug`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xenia.drivers.base import (
    Capability,
    ConsoleInfo,
    ConsoleProtocol,
    DiskKind,
    DiskQos,
    DiskSpec,
    NicSpec,
    RunState,
)
from xenia.drivers.errors import BackendFailure, InvalidState, NoSuchDevice
from xenia.drivers.qemu import hotplug, qos
from xenia.drivers.qemu.argv import disk_id
from xenia.drivers.qemu.domain import Domain

if TYPE_CHECKING:
    from xenia.drivers.qemu.driver import QemuDriver

__all__ = ["QemuConsole", "QemuDisk", "QemuNet"]

_LIVE = (RunState.RUNNING, RunState.PAUSED)


def _cd(dom: Domain, userdevice: str) -> DiskSpec:
    for disk in dom.record.spec.disks:
        if disk.userdevice == userdevice:
            if disk.kind is not DiskKind.CD:
                raise InvalidState(dom.vm_uuid, "disk", ("cd",), detail=f"device {userdevice} is not a CD drive")
            return disk
    raise NoSuchDevice(dom.vm_uuid, "disk", userdevice)


class QemuDisk:
    """:class:`~xenia.drivers.base.DiskOps`: disk hot-plug and CD media change."""

    def __init__(self, driver: QemuDriver) -> None:
        self._d = driver

    async def plug(self, vm_uuid: str, disk: DiskSpec) -> None:
        self._d.need(Capability.DISK_HOTPLUG)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await hotplug.plug_disk(dom, disk)

    async def unplug(self, vm_uuid: str, userdevice: str) -> None:
        self._d.need(Capability.DISK_HOTPLUG)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await hotplug.unplug_disk(dom, userdevice)

    async def insert(self, vm_uuid: str, userdevice: str, path: str) -> None:
        self._d.need(Capability.CD_MEDIA_CHANGE)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            cd = _cd(dom, userdevice)
            if dom.record.media.get(userdevice) is not None:
                raise InvalidState(vm_uuid, "cd-not-empty", ("cd-empty",), detail=f"CD drive {userdevice} has media")
            await dom.require(*_LIVE)
            await dom.execute(
                "blockdev-change-medium",
                {"id": disk_id(userdevice), "filename": path, "format": "raw", "read-only-mode": "read-only"},
            )
            if cd.qos.limited:  # an empty drive takes no limits: they come with the medium
                await qos.throttle(dom, userdevice, cd.qos)
            dom.record.media[userdevice] = path
            if userdevice in dom.record.trays_open:
                dom.record.trays_open.remove(userdevice)
            dom.persist()

    async def eject(self, vm_uuid: str, userdevice: str) -> None:
        self._d.need(Capability.CD_MEDIA_CHANGE)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            _cd(dom, userdevice)
            if dom.record.media.get(userdevice) is None:
                raise InvalidState(vm_uuid, "cd-empty", ("cd-not-empty",), detail=f"CD drive {userdevice} is empty")
            await dom.require(*_LIVE)
            try:
                await dom.execute("eject", {"id": disk_id(userdevice)})
            except BackendFailure as exc:
                if "locked" in str(exc):
                    raise InvalidState(
                        vm_uuid,
                        "cd-locked",
                        ("cd-unlocked",),
                        detail=f"the guest has locked the tray of CD {userdevice}",
                    ) from exc
                raise
            dom.record.media[userdevice] = None
            if userdevice not in dom.record.trays_open:
                dom.record.trays_open.append(userdevice)
            dom.persist()

    async def set_qos(self, vm_uuid: str, userdevice: str, limits: DiskQos) -> None:
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await qos.set_disk_qos(dom, userdevice, limits)


class QemuNet:
    """:class:`~xenia.drivers.base.NetOps`: NIC hot-plug."""

    def __init__(self, driver: QemuDriver) -> None:
        self._d = driver

    async def plug(self, vm_uuid: str, nic: NicSpec) -> None:
        self._d.need(Capability.NIC_HOTPLUG)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await hotplug.plug_nic(dom, nic)

    async def unplug(self, vm_uuid: str, device: str) -> None:
        self._d.need(Capability.NIC_HOTPLUG)
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await hotplug.unplug_nic(dom, device)

    async def set_rate(self, vm_uuid: str, device: str, kbps: int) -> None:
        dom = self._d.domain(vm_uuid)
        async with dom.lock:
            await qos.set_nic_rate(dom, device, kbps)


class QemuConsole:
    """:class:`~xenia.drivers.base.ConsoleOps`: the serial socket (vt100) and VNC (rfb)."""

    def __init__(self, driver: QemuDriver) -> None:
        self._d = driver

    async def consoles(self, vm_uuid: str) -> list[ConsoleInfo]:
        self._d.need(Capability.CONSOLE)
        dom = self._d.domain(vm_uuid)
        result = [ConsoleInfo(ConsoleProtocol.VT100, f"unix:{dom.paths.serial}")]
        if dom.exited:
            return result
        vnc = await dom.execute("query-vnc")
        if vnc.get("enabled") and vnc.get("service"):
            result.append(ConsoleInfo(ConsoleProtocol.RFB, f"tcp:{vnc.get('host', '127.0.0.1')}:{vnc['service']}"))
        return result
