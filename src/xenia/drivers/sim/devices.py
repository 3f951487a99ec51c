"""Disk, NIC, console and metrics parts of the simulator driver."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from xenia.drivers.base import (
    Capability,
    ConsoleInfo,
    ConsoleProtocol,
    DiskKind,
    DiskMetrics,
    DiskSpec,
    DiskState,
    DomainMetrics,
    MetricsSample,
    NicMetrics,
    NicSpec,
    RunState,
)
from xenia.drivers.errors import DeviceExists, InvalidState, NoSuchDevice, NoSuchImage
from xenia.drivers.sim.guest import tray_locked

if TYPE_CHECKING:
    from xenia.drivers.sim.driver import SimDriver

__all__ = ["SimConsole", "SimDisk", "SimMetrics", "SimNet"]

_LIVE = (RunState.RUNNING, RunState.PAUSED)

# Simulated load: every running vCPU is 25 % busy; disks and NICs move a little data each second.
_CPU_SHARE = 0.25
_DISK_READ_BPS = 40_960
_DISK_WRITE_BPS = 20_480
_NIC_RX_BPS = 2_000
_NIC_TX_BPS = 1_000


class SimDisk:
    """:class:`~xenia.drivers.base.DiskOps` of the simulator."""

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def plug(self, vm_uuid: str, disk: DiskSpec) -> None:
        sim = self._sim
        sim.require(Capability.DISK_HOTPLUG)
        sim.get(vm_uuid)
        await sim.faults.hit("disk.plug")
        dom = sim.get_in(vm_uuid, _LIVE)
        if disk.userdevice in dom.disks:
            raise DeviceExists(vm_uuid, "disk", disk.userdevice)
        if disk.path is not None and not os.path.exists(disk.path):
            raise NoSuchImage(disk.path)
        dom.disks[disk.userdevice] = DiskState(disk.userdevice, disk.path, disk.kind, disk.mode)
        sim.save(dom)

    async def unplug(self, vm_uuid: str, userdevice: str) -> None:
        sim = self._sim
        sim.require(Capability.DISK_HOTPLUG)
        sim.get(vm_uuid)
        await sim.faults.hit("disk.unplug")
        dom = sim.get_in(vm_uuid, _LIVE)
        if dom.disks.pop(userdevice, None) is None:
            raise NoSuchDevice(vm_uuid, "disk", userdevice)
        sim.save(dom)

    def _cd(self, vm_uuid: str, userdevice: str) -> DiskState:
        dom = self._sim.get_in(vm_uuid, _LIVE)
        disk = dom.disks.get(userdevice)
        if disk is None:
            raise NoSuchDevice(vm_uuid, "disk", userdevice)
        if disk.kind is not DiskKind.CD:
            raise InvalidState(vm_uuid, "disk", ("cd",), detail=f"device {userdevice} is not a CD drive")
        return disk

    async def insert(self, vm_uuid: str, userdevice: str, path: str) -> None:
        sim = self._sim
        sim.require(Capability.CD_MEDIA_CHANGE)
        sim.get(vm_uuid)
        await sim.faults.hit("disk.insert")
        cd = self._cd(vm_uuid, userdevice)
        if cd.path is not None:
            raise InvalidState(vm_uuid, "cd-full", ("cd-empty",), detail=f"CD drive {userdevice} has media")
        if not os.path.exists(path):
            raise NoSuchImage(path)
        dom = sim.get(vm_uuid)
        dom.disks[userdevice] = DiskState(userdevice, path, cd.kind, cd.mode, tray_open=False)
        sim.save(dom)

    async def eject(self, vm_uuid: str, userdevice: str) -> None:
        sim = self._sim
        sim.require(Capability.CD_MEDIA_CHANGE)
        sim.get(vm_uuid)
        await sim.faults.hit("disk.eject")
        cd = self._cd(vm_uuid, userdevice)
        if cd.path is None:
            raise InvalidState(vm_uuid, "cd-empty", ("cd-full",), detail=f"CD drive {userdevice} is empty")
        dom = sim.get(vm_uuid)
        if tray_locked(dom.spec.other_config):
            raise InvalidState(vm_uuid, "cd-locked", ("cd-unlocked",),
                               detail=f"the guest has locked the tray of CD {userdevice}")  # fmt: skip
        dom.disks[userdevice] = DiskState(userdevice, None, cd.kind, cd.mode, tray_open=True)
        sim.save(dom)


class SimNet:
    """:class:`~xenia.drivers.base.NetOps` of the simulator."""

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def plug(self, vm_uuid: str, nic: NicSpec) -> None:
        sim = self._sim
        sim.require(Capability.NIC_HOTPLUG)
        sim.get(vm_uuid)
        await sim.faults.hit("nic.plug")
        dom = sim.get_in(vm_uuid, _LIVE)
        if nic.device in dom.nics:
            raise DeviceExists(vm_uuid, "nic", nic.device)
        dom.nics[nic.device] = nic
        sim.save(dom)

    async def unplug(self, vm_uuid: str, device: str) -> None:
        sim = self._sim
        sim.require(Capability.NIC_HOTPLUG)
        sim.get(vm_uuid)
        await sim.faults.hit("nic.unplug")
        dom = sim.get_in(vm_uuid, _LIVE)
        if dom.nics.pop(device, None) is None:
            raise NoSuchDevice(vm_uuid, "nic", device)
        sim.save(dom)


class SimConsole:
    """:class:`~xenia.drivers.base.ConsoleOps` of the simulator: locations are ``sim:`` names."""

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def consoles(self, vm_uuid: str) -> list[ConsoleInfo]:
        sim = self._sim
        sim.require(Capability.CONSOLE)
        sim.get(vm_uuid)
        await sim.faults.hit("console.list")
        dom = sim.get(vm_uuid)
        return [
            ConsoleInfo(ConsoleProtocol.VT100, f"sim:{dom.spec.vm_uuid}/serial"),
            ConsoleInfo(ConsoleProtocol.RFB, f"sim:{dom.spec.vm_uuid}/vnc"),
        ]


class SimMetrics:
    """:class:`~xenia.drivers.base.MetricsOps`: counters derived from each domain's running time.

    Deriving them (rather than storing them) keeps per-domain state small and the counters
    monotonic across pause, suspend/resume and daemon restarts.
    """

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim

    async def sample(self) -> MetricsSample:
        sim = self._sim
        sim.require(Capability.METRICS)
        await sim.faults.hit("metrics.sample")
        now = sim.clock.now()
        out: list[DomainMetrics] = []
        for dom in sim.domains():
            secs = dom.running_seconds(now)
            cpu_ns = int(secs * _CPU_SHARE * 1e9)
            out.append(
                DomainMetrics(
                    vm_uuid=dom.spec.vm_uuid,
                    domid=dom.domid,
                    vcpu_time_ns=(cpu_ns,) * dom.vcpus,
                    memory_actual=dom.memory_actual,
                    memory_target=dom.memory_target,
                    memory_internal_free=dom.memory_actual // 2 if dom.profile == "pv" else None,
                    disks=tuple(
                        DiskMetrics(
                            d.userdevice,
                            int(secs * _DISK_READ_BPS),
                            int(secs * _DISK_WRITE_BPS),
                            int(secs * _DISK_READ_BPS) // 4096,
                            int(secs * _DISK_WRITE_BPS) // 4096,
                        )
                        for d in dom.state().disks
                    ),
                    nics=tuple(
                        NicMetrics(n.device, int(secs * _NIC_RX_BPS), int(secs * _NIC_TX_BPS)) for n in dom.state().nics
                    ),
                )
            )
        return MetricsSample(taken_at=now, host_memory_free=sim.memory_free(), domains=tuple(out))
