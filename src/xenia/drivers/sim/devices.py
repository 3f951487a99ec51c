"""Disk, NIC, console and metrics parts of the simulator driver."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import math
import operator
import os
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from xenia.drivers.base import (
    Capability,
    ConsoleInfo,
    ConsoleProtocol,
    DiskKind,
    DiskQos,
    DiskSpec,
    DiskState,
    HostSample,
    MetricsSample,
    NicSpec,
    PifMetrics,
    RunState,
)
from xenia.drivers.columns import DISK_FIELDS, NIC_FIELDS, DomainBlock, DomainColumns
from xenia.drivers.errors import DeviceExists, InvalidState, NoSuchDevice, NoSuchImage
from xenia.drivers.sim.guest import tray_locked
from xenia.drivers.sim.workload import F64, ROW_WAVES, Waves, workload_row

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

    Domains are grouped by layout and each group's counters computed as numpy columns
    (:class:`~xenia.drivers.columns.DomainBlock`): the waves of a group are kept as arrays until
    its set of domains changes, so a tick costs a few array operations per group and reading a
    handful of attributes per domain, not a Python call per wave.
    """

    def __init__(self, sim: SimDriver) -> None:
        self._sim = sim
        #: (vm uuid, vcpus) -> the domain and its workload as a row (:func:`workload_row`); rows of
        #: domains that went are dropped in bulk, and a new domain of the same VM gets a new row
        self._rows: dict[tuple[str, int], tuple[SimDomain, F64]] = {}
        self._groups: dict[_Layout, _GroupWaves] = {}
        #: per group whose domains changed, this sample's :meth:`_GroupWaves.kept_rows` (see :meth:`_make_rows`)
        self._kept: dict[_Layout, I64 | None] = {}
        #: whether this sample rebuilt a group (see :meth:`sample`)
        self._rebuilt = False
        self._host_at: float | None = None
        self._host_busy = [0.0] * sim.cpu_count
        self._load = 0.0
        self._pif = [0.0, 0.0]

    def _row(self, dom: SimDomain) -> F64:
        key = (dom.spec.vm_uuid, dom.vcpus)
        got = self._rows.get(key)
        if got is not None and got[0] is dom:
            return got[1]
        row = workload_row(dom.spec.vm_uuid, dom.vcpus, dom.spec.other_config)
        self._rows[key] = (dom, row)
        return row

    def _waves(self, layout: _Layout, doms: list[SimDomain]) -> _GroupWaves:
        """The group's waves for these domains: the last tick's when its domains are the same, else
        those rows kept and the new domains' rows added (:meth:`_GroupWaves.changed`)."""
        group = self._groups.get(layout)
        if group is None:
            group = _GroupWaves(tuple(doms), np.stack([self._row(d) for d in doms]), layout[0])
        else:
            kept = self._kept.pop(layout) if layout in self._kept else group.kept_rows(doms)
            if kept is None:
                return group
            group = group.changed(doms, kept, [self._row(doms[i]) for i in np.flatnonzero(kept < 0).tolist()])
        self._groups[layout] = group
        self._rebuilt = True
        return group

    async def sample(self) -> MetricsSample:
        """Every domain's counters at one instant, read a slice of domains per loop step.

        At 10 000 domains one pass over them (their layouts, then their running times and memory)
        held the event loop about 0.1 s per tick, and the first tick after a restart, which also makes
        every domain's workload row, 0.6-1.4 s (issue 12). Every domain is read at the same ``now``,
        so the values do not depend on where the slices fall; a domain that goes meanwhile is
        reported once more, as it would have been had it gone just after the sample."""
        sim = self._sim
        sim.require(Capability.METRICS)
        await sim.faults.hit("metrics.sample")
        now = sim.clock.now()
        everyone = sim.domains()
        by_layout: dict[_Layout, list[SimDomain]] = {}
        for first in range(0, len(everyone), SAMPLE_SLICE):
            if first:
                await asyncio.sleep(0)
            for dom in everyone[first : first + SAMPLE_SLICE]:
                layout = (
                    dom.vcpus,
                    tuple(u for u, d in dom.disks.items() if d.kind is DiskKind.DISK),
                    tuple(n.device for n in dom.nics.values()),
                )
                by_layout.setdefault(layout, []).append(dom)
        for gone in self._groups.keys() - by_layout.keys():
            del self._groups[gone]
        await self._make_rows(by_layout)
        blocks = []
        demand = rx = tx = 0.0
        self._rebuilt = False
        for layout, doms in by_layout.items():
            parts = []
            for first in range(0, len(doms), SAMPLE_SLICE):
                await asyncio.sleep(0)
                parts.append(_DomainState.of(doms[first : first + SAMPLE_SLICE], now))
            state = _DomainState.join(parts)
            block, d, r, t = self._waves(layout, doms).block(layout, state, now)
            blocks.append(block)
            demand, rx, tx = demand + d, rx + r, tx + t
        # forget the rows of domains that went once they are as many as the running ones: a set of
        # every running domain built on each tick that followed a start cost 10 000 tuples (issue 12)
        if self._rebuilt and len(self._rows) > 2 * len(sim._domains) + 64:
            keep = {(d.spec.vm_uuid, d.vcpus) for doms in by_layout.values() for d in doms}
            for key in self._rows.keys() - keep:
                del self._rows[key]
        return MetricsSample(
            taken_at=now,
            host_memory_free=sim.memory_free(),
            domains=DomainColumns(blocks),
            host=self._host(now, demand, rx, tx),
        )

    async def _make_rows(self, by_layout: dict[_Layout, list[SimDomain]]) -> None:
        """The workload rows missing from the groups about to be rebuilt, :data:`ROW_SLICE` per loop
        step (a row is some 25 us of Python; after a restart all 10 000 are missing, and those slices
        wait for the clients' answers as start-up's other background work does)."""
        missing: list[SimDomain] = []
        rows = self._rows
        self._kept.clear()
        for layout, doms in by_layout.items():
            group = self._groups.get(layout)
            if group is not None:  # only the domains new to the group: a start or two, not 10 000
                kept = self._kept[layout] = group.kept_rows(doms)
                if kept is None:
                    continue
                doms = [doms[i] for i in np.flatnonzero(kept < 0).tolist()]
            missing += [d for d in doms if (got := rows.get((d.spec.vm_uuid, d.vcpus))) is None or got[0] is not d]
        foreground = self._sim.foreground if len(missing) > ROW_SLICE else None  # bulk: clients first
        for first in range(0, len(missing), ROW_SLICE):
            await (foreground.wait_idle() if foreground is not None else asyncio.sleep(0))
            for dom in missing[first : first + ROW_SLICE]:
                self._row(dom)

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


I64 = npt.NDArray[np.int64]
#: a domain's VM uuid, mapped over 10 000 domains at C speed
_VM_UUID = operator.attrgetter("spec.vm_uuid")

#: (vCPUs, disk userdevices, NIC devices)
_Layout = tuple[int, tuple[str, ...], tuple[str, ...]]

#: domains a sample reads per loop step (about 5 ms of Python at a time)
SAMPLE_SLICE = 1000
#: workload rows a sample makes per loop step (about 6 ms)
ROW_SLICE = 250


@dataclasses.dataclass(frozen=True, eq=False)
class _DomainState:
    """What a sample reads of each of some domains at one instant, as columns."""

    secs: F64  #: running seconds
    running: np.ndarray
    actual: F64
    target: F64
    pv: np.ndarray
    domids: tuple[int, ...]

    @classmethod
    def of(cls, doms: list[SimDomain], now: float) -> _DomainState:
        n = len(doms)
        return cls(
            np.fromiter((d.running_seconds(now) for d in doms), np.float64, n),
            np.fromiter((d.running_since is not None for d in doms), np.bool_, n),
            np.fromiter((d.memory_actual for d in doms), np.float64, n),
            np.fromiter((d.memory_target for d in doms), np.float64, n),
            np.fromiter((d.profile == "pv" for d in doms), np.bool_, n),
            tuple(d.domid for d in doms),
        )

    @classmethod
    def join(cls, parts: list[_DomainState]) -> _DomainState:
        if len(parts) == 1:
            return parts[0]
        return cls(
            np.concatenate([p.secs for p in parts]),
            np.concatenate([p.running for p in parts]),
            np.concatenate([p.actual for p in parts]),
            np.concatenate([p.target for p in parts]),
            np.concatenate([p.pv for p in parts]),
            tuple(i for p in parts for i in p.domids),
        )


class _GroupWaves:
    """The workloads of the domains of one layout, as :class:`Waves` arrays.

    A start or a stop changes a group's domains; :meth:`changed` then keeps the rows of the domains
    that stay (one numpy gather) and stacks only the new domains' rows. Stacking all 10 000 rows
    again took some 18 ms of every tick that followed a start or a stop at 10 000 domains (issue 12).
    The rows are the same numbers either way, so every value is too."""

    def __init__(self, doms: tuple[SimDomain, ...], params: F64, vcpus: int) -> None:
        n = len(doms)
        c = 4 * vcpus
        m = params if n else np.empty((0, c + 4 * len(ROW_WAVES) + 2))
        #: the domains, held so that no other domain can take one's ``id`` while the group lives
        self.doms = doms
        self.params = m
        self.vcpus = vcpus
        self.uuids = tuple(map(_VM_UUID, doms))
        self._at: dict[int, int] | None = None
        self.cpu = Waves.from_params(m[:, :c].reshape(n, vcpus, 4))
        waves = m[:, c : c + 4 * len(ROW_WAVES)].reshape(n, len(ROW_WAVES), 4)
        self.disk_read, self.disk_write, self.nic_rx, self.nic_tx, self.free_memory = (
            Waves.from_params(waves[:, i]) for i in range(len(ROW_WAVES)))  # fmt: skip
        self.disk_block = m[:, -2].copy()
        self.disk_latency_ns = m[:, -1].copy()

    def kept_rows(self, doms: list[SimDomain]) -> I64 | None:
        """None when ``doms`` are this group's domains in its order; else each one's row here (-1:
        new to the group). A domain is matched by identity (a VM started again is a new domain,
        whose workload may differ), at C speed: no Python step per domain."""
        if len(doms) == len(self.doms) and all(map(operator.is_, doms, self.doms)):
            return None
        if self._at is None:
            self._at = dict(zip(map(id, self.doms), range(len(self.doms)), strict=True))
        return np.fromiter(map(self._at.get, map(id, doms), itertools.repeat(-1)), np.int64, len(doms))

    def changed(self, doms: list[SimDomain], kept: I64, new_rows: list[F64]) -> _GroupWaves:
        """The waves of ``doms``: the kept rows (``kept``, from :meth:`kept_rows`) gathered, and
        ``new_rows`` (the rows of the domains at ``kept < 0``, in order) put in their places."""
        params = np.take(self.params, kept, axis=0)  # a new domain's row (-1: the last) is replaced below
        if new_rows:
            params[kept < 0] = np.stack(new_rows)
        return _GroupWaves(tuple(doms), params, self.vcpus)

    def block(self, layout: _Layout, state: _DomainState, now: float) -> tuple[DomainBlock, float, float, float]:
        """This tick's counters of the domains the waves were built for (``state``: theirs, in
        order), and their CPU demand and NIC receive and transmit rates while running (for the host)."""
        vcpus, disks, nics = layout
        n = len(state.domids)
        secs, running, actual, target, pv = state.secs, state.running, state.actual, state.target, state.pv
        col = secs[:, None]
        reads = np.floor(self.disk_read.integral(secs))
        writes = np.floor(self.disk_write.integral(secs))
        read_ops = np.floor(reads / self.disk_block)
        write_ops = np.floor(writes / self.disk_block)
        lat = self.disk_latency_ns
        disk = np.stack([reads, writes, read_ops, write_ops, read_ops * lat, write_ops * lat], axis=1)
        rx = np.floor(self.nic_rx.integral(secs))
        tx = np.floor(self.nic_tx.integral(secs))
        zero = np.zeros(n)
        nic = np.stack([rx, tx, np.floor(rx / 800), np.floor(tx / 800), zero, zero, np.floor(rx / 50_000_000), zero], axis=1)
        free = np.where(pv, np.floor(actual * self.free_memory.rate(np.full(n, now))), np.nan)
        block = DomainBlock(
            vm_uuids=self.uuids,
            domids=state.domids,
            vcpus=vcpus,
            disks=disks,
            nics=nics,
            vcpu_time_ns=np.floor(self.cpu.integral(col) * 1e9),
            memory_actual=actual,
            memory_target=target,
            memory_internal_free=free,
            disk=np.broadcast_to(disk[:, None, :], (n, len(disks), len(DISK_FIELDS))),
            nic=np.broadcast_to(nic[:, None, :], (n, len(nics), len(NIC_FIELDS))),
        )
        demand = float(self.cpu.rate(col).sum(axis=1) @ running) if vcpus else 0.0
        net = len(nics) * running
        return block, demand, float(self.nic_rx.rate(secs) @ net), float(self.nic_tx.rate(secs) @ net)


