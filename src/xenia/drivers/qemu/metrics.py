"""Bulk metrics: one call reads every domain of the driver.

Per domain this costs a few QMP round trips (~0.2 ms each) plus ``/proc`` reads, and all domains
are read concurrently:

* CPU time per vCPU: the vCPU thread ids come from ``query-cpus-fast`` once (cached), the times
  from ``/proc/<pid>/task/<tid>/stat`` (utime + stime, in clock ticks).
* Memory: the balloon's ``actual``; ``memory_internal_free`` is not reported (it needs the
  balloon's guest-stats polling, which a guest without the driver never fills).
* Disks: ``query-blockstats`` (bytes and operations, by qdev id ``vbd<userdevice>``).
* NICs: QEMU 7.2 has no NIC counters in QMP. A NIC on a host bridge is a tap device made by the
  driver, whose host counters are read from sysfs; with user networking there is no host device
  and no counter, so such NICs are listed with zero counters (documented in ``docs/qemu.md``).
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import TYPE_CHECKING, Any

from xenia.drivers.base import Capability, DiskKind, DiskMetrics, DomainMetrics, MetricsSample, NicMetrics
from xenia.drivers.qemu.argv import disk_id
from xenia.drivers.qemu.domain import Domain
from xenia.drivers.qemu.net import tap_counters, tap_name
from xenia.drivers.qemu.qmp import QMPError

if TYPE_CHECKING:
    from xenia.drivers.qemu.driver import QemuDriver

__all__ = ["QemuMetrics", "thread_cpu_ns"]

_TICK_NS = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def thread_cpu_ns(pid: int, tid: int) -> int:
    """CPU time (user + system) of one thread in nanoseconds; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        return 0
    fields = raw[raw.rfind(b")") + 2 :].split()
    # Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
    return (int(fields[11]) + int(fields[12])) * _TICK_NS


def _block_stats(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for entry in entries:
        qdev = str(entry.get("qdev", ""))
        # virtio-blk reports a QOM path (/machine/peripheral/vbd0/virtio-backend); others the id.
        parts = qdev.split("/")
        name = parts[3] if qdev.startswith("/machine/peripheral/") and len(parts) > 3 else qdev
        by_id[name] = entry.get("stats", {})
    return by_id


async def _sample_domain(dom: Domain) -> DomainMetrics:
    spec = dom.record.spec
    vcpu_ns: tuple[int, ...] = tuple(0 for _ in range(spec.vcpus_at_startup))
    stats: dict[str, dict[str, Any]] = {}
    if not dom.exited and dom.pid is not None:
        try:
            tids = await dom.vcpu_threads()
            vcpu_ns = tuple(thread_cpu_ns(dom.pid, tid) for tid in tids)
            stats = _block_stats(await dom.qmp.execute("query-blockstats"))
        except (QMPError, Exception):  # a domain going away mid-sample reports what is known
            pass
    disks = tuple(
        DiskMetrics(
            userdevice=d.userdevice,
            read_bytes=int(stats.get(disk_id(d.userdevice), {}).get("rd_bytes", 0)),
            write_bytes=int(stats.get(disk_id(d.userdevice), {}).get("wr_bytes", 0)),
            read_ops=int(stats.get(disk_id(d.userdevice), {}).get("rd_operations", 0)),
            write_ops=int(stats.get(disk_id(d.userdevice), {}).get("wr_operations", 0)),
        )
        for d in spec.disks
        if d.kind is DiskKind.DISK or d.kind is DiskKind.CD
    )
    nics = tuple(
        NicMetrics(device=n.device, rx_bytes=c[0], tx_bytes=c[1])
        if (c := tap_counters(tap_name(dom.domid, n.device))) is not None
        else NicMetrics(device=n.device, rx_bytes=0, tx_bytes=0)
        for n in spec.nics
    )
    return DomainMetrics(
        vm_uuid=spec.vm_uuid,
        domid=dom.domid,
        vcpu_time_ns=vcpu_ns,
        memory_actual=await dom.memory_actual(),
        memory_target=dom.record.memory_target,
        memory_internal_free=None,
        disks=disks,
        nics=nics,
    )


class QemuMetrics:
    """:class:`~xenia.drivers.base.MetricsOps`."""

    def __init__(self, driver: QemuDriver) -> None:
        self._d = driver

    async def sample(self) -> MetricsSample:
        self._d.need(Capability.METRICS)
        taken_at = time.time()
        domains = sorted(self._d.domains.values(), key=lambda d: d.domid)
        results = await asyncio.gather(*(_sample_domain(d) for d in domains))
        return MetricsSample(taken_at=taken_at, host_memory_free=self._d.memory_free(), domains=tuple(results))
