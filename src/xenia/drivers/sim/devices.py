"""Disk, NIC, console and metrics parts of the simulator driver."""

from __future__ import annotations

import dataclasses
import math
import os
from typing import TYPE_CHECKING

from xenia.drivers.base import (
    Capability,
    ConsoleInfo,
    ConsoleProtocol,
    DiskKind,
    DiskMetrics,
    DiskQos,
    DiskSpec,
    DiskState,
    DomainMetrics,
    HostSample,
    MetricsSample,
    NicMetrics,
    NicSpec,
    PifMetrics,
    RunState,
)
from xenia.drivers.errors import DeviceExists, InvalidState, NoSuchDevice, NoSuchImage
from xenia.drivers.sim.guest import tray_locked
from xenia.drivers.sim.workload import Workload, workload_of

if TYPE_CHECKING:
    from xenia.drivers.sim.driver import SimDriver
    from xenia.drivers.sim.state import SimDomain

__all__ = ["SimConsole", "SimDisk", "SimMetrics", "SimNet"]

_LIVE = (RunState.RUNNING, RunState.PAUSED)

#: the control domain's own share of every host CPU
_DOM0_LOAD = 0.02


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
        dom.disks[disk.userdevice] = DiskState(disk.userdevice, disk.path, disk.kind, disk.mode, qos=disk.qos)
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
        dom.disks[userdevice] = dataclasses.replace(cd, path=path, tray_open=False)
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
        dom.disks[userdevice] = dataclasses.replace(cd, path=None, tray_open=True)
        sim.save(dom)

    async def set_qos(self, vm_uuid: str, userdevice: str, qos: DiskQos) -> None:
        """Record the limits (the simulator's disks have no speed to hold them to)."""
        sim = self._sim
        sim.get(vm_uuid)
        dom = sim.get_in(vm_uuid, _LIVE)
        disk = dom.disks.get(userdevice)
        if disk is None:
            raise NoSuchDevice(vm_uuid, "disk", userdevice)
        dom.disks[userdevice] = dataclasses.replace(disk, qos=qos)
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

    async def set_rate(self, vm_uuid: str, device: str, kbps: int) -> None:
        """Record the cap (the simulator's NICs carry no traffic to shape)."""
        sim = self._sim
        sim.get(vm_uuid)
        dom = sim.get_in(vm_uuid, _LIVE)
        nic = dom.nics.get(device)
        if nic is None:
            raise NoSuchDevice(vm_uuid, "nic", device)
        dom.nics[device] = dataclasses.replace(nic, rate_kbps=kbps)
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
    """:class:`~xenia.drivers.base.MetricsOps`: counters integrated from each domain's workload.

    Domain counters are closed-form integrals over the domain's running time
    (:mod:`.workload`), so they stay monotonic across pause, suspend/resume and daemon restarts
    without being stored. The host's counters are integrated from one sample to the next
    (their sum over domains would go backwards when a domain is destroyed).
    """

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim
        self._workloads: dict[tuple[str, int], Workload] = {}
        self._host_at: float | None = None
        self._host_busy = [0.0] * sim.cpu_count
        self._load = 0.0
        self._pif = [0.0, 0.0]

    def _workload(self, dom: SimDomain) -> Workload:
        key = (dom.spec.vm_uuid, dom.vcpus)
        w = self._workloads.get(key)
        if w is None:
            w = self._workloads[key] = workload_of(dom.spec.vm_uuid, dom.vcpus, dom.spec.other_config)
        return w

    async def sample(self) -> MetricsSample:
        sim = self._sim
        sim.require(Capability.METRICS)
        await sim.faults.hit("metrics.sample")
        now = sim.clock.now()
        out: list[DomainMetrics] = []
        demand = rx = tx = 0.0
        for dom in sim.domains():
            w = self._workload(dom)
            secs = dom.running_seconds(now)
            running = dom.running_since is not None
            if running:
                demand += sum(c.rate(secs) for c in w.cpu)
                rx += w.nic_rx.rate(secs) * len(dom.nics)
                tx += w.nic_tx.rate(secs) * len(dom.nics)
            out.append(_domain_metrics(dom, w, secs, now))
        return MetricsSample(
            taken_at=now, host_memory_free=sim.memory_free(), domains=tuple(out), host=self._host(now, demand, rx, tx)
        )

    def _host(self, now: float, demand: float, rx: float, tx: float) -> HostSample:
        """Advance the host's counters by the time since the last sample at today's rates."""
        sim = self._sim
        dt = 0.0 if self._host_at is None else max(0.0, now - self._host_at)
        self._host_at = now
        n = len(self._host_busy)
        per_cpu = min(1.0, _DOM0_LOAD + demand / n)
        for i in range(n):
            self._host_busy[i] += dt * per_cpu
        alpha = math.exp(-dt / 60.0)
        self._load = self._load * alpha + demand * (1 - alpha)
        self._pif[0] += dt * rx
        self._pif[1] += dt * tx
        return HostSample(
            cpu_busy_ns=tuple(int(b * 1e9) for b in self._host_busy),
            memory_total=sim.memory_total,
            memory_free=sim.memory_free(),
            loadavg=self._load,
            pifs=(PifMetrics("eth0", int(self._pif[0]), int(self._pif[1])),),
        )


def _domain_metrics(dom: SimDomain, w: Workload, secs: float, now: float) -> DomainMetrics:
    reads, writes = w.disk_read.integral(secs), w.disk_write.integral(secs)
    read_ops, write_ops = int(reads) // w.disk_block, int(writes) // w.disk_block
    rx, tx = int(w.nic_rx.integral(secs)), int(w.nic_tx.integral(secs))
    free = None
    if dom.profile == "pv":
        free = int(dom.memory_actual * w.free_memory.rate(now))
    return DomainMetrics(
        vm_uuid=dom.spec.vm_uuid,
        domid=dom.domid,
        vcpu_time_ns=tuple(int(c.integral(secs) * 1e9) for c in w.cpu),
        memory_actual=dom.memory_actual,
        memory_target=dom.memory_target,
        memory_internal_free=free,
        disks=tuple(
            DiskMetrics(
                d.userdevice,
                int(reads),
                int(writes),
                read_ops,
                write_ops,
                read_ops * w.disk_latency_ns,
                write_ops * w.disk_latency_ns,
            )
            for d in dom.disks.values()
            if d.kind is DiskKind.DISK
        ),
        nics=tuple(
            NicMetrics(n.device, rx, tx, rx // 800, tx // 800, 0, 0, rx // 50_000_000, 0) for n in dom.nics.values()
        ),
    )
