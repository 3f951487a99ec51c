"""Bulk metrics: one call reads every domain of the driver.

Per domain this costs a few QMP round trips (~0.2 ms each) plus ``/proc`` reads, and all domains
are read concurrently:

* CPU time per vCPU: the vCPU thread ids come from ``query-cpus-fast`` once (cached), the times
  from ``/proc/<pid>/task/<tid>/stat`` (utime + stime, in clock ticks).
* Memory: the balloon's ``actual``; ``memory_internal_free`` from the balloon's guest
  statistics (``stat-free-memory``), which the sample turns on (a 5 s polling interval) the
  first time it meets a domain; a guest without the balloon driver never fills them (None).
* Disks: ``query-blockstats`` (bytes, operations and total time, by qdev id ``vbd<userdevice>``).
* NICs: QEMU 7.2 has no NIC counters in QMP. A NIC on a host bridge is a tap device made by the
  driver, whose host counters are read from sysfs; with user networking there is no host device
  and no counter, so such NICs are listed with zero counters (documented in ``docs/qemu.md``).
* The host: ``/proc/stat``, ``/proc/meminfo``, ``/proc/loadavg``, ``/proc/net/dev``
  (:mod:`.hoststats`).
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import TYPE_CHECKING, Any

from xenia.drivers.base import Capability, DiskKind, DiskMetrics, DomainMetrics, MetricsSample, NicMetrics
from xenia.drivers.qemu.argv import disk_id
from xenia.drivers.qemu.domain import Domain
from xenia.drivers.qemu.hoststats import host_sample
from xenia.drivers.qemu.net import tap_name, tap_stats
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


_BALLOON = "/machine/peripheral/balloon0"
_POLL_SECONDS = 5


async def _guest_free(dom: Domain, polling: set[int]) -> int | None:
    """Free memory the guest's balloon driver reports, turning the statistics on once per domain."""
    if dom.domid not in polling:
        polling.add(dom.domid)
        await dom.qmp.execute(
            "qom-set", {"path": _BALLOON, "property": "guest-stats-polling-interval", "value": _POLL_SECONDS}
        )
        return None
    stats = await dom.qmp.execute("qom-get", {"path": _BALLOON, "property": "guest-stats"})
    free = int(stats.get("stats", {}).get("stat-free-memory", -1))
    return free if free >= 0 else None


async def _sample_domain(dom: Domain, polling: set[int]) -> DomainMetrics:
    spec = dom.record.spec
    vcpu_ns: tuple[int, ...] = tuple(0 for _ in range(spec.vcpus_at_startup))
    stats: dict[str, dict[str, Any]] = {}
    free: int | None = None
    if not dom.exited and dom.pid is not None:
        try:
            tids = await dom.vcpu_threads()
            vcpu_ns = tuple(thread_cpu_ns(dom.pid, tid) for tid in tids)
            stats = _block_stats(await dom.qmp.execute("query-blockstats"))
            free = await _guest_free(dom, polling)
        except (QMPError, Exception):  # a domain going away mid-sample reports what is known
            pass

    def disk(userdevice: str) -> DiskMetrics:
        s = stats.get(disk_id(userdevice), {})
        return DiskMetrics(
            userdevice=userdevice,
            read_bytes=int(s.get("rd_bytes", 0)),
            write_bytes=int(s.get("wr_bytes", 0)),
            read_ops=int(s.get("rd_operations", 0)),
            write_ops=int(s.get("wr_operations", 0)),
            read_time_ns=int(s.get("rd_total_time_ns", 0)),
            write_time_ns=int(s.get("wr_total_time_ns", 0)),
        )

    disks = tuple(disk(d.userdevice) for d in spec.disks if d.kind is DiskKind.DISK or d.kind is DiskKind.CD)
    nics = tuple(
        NicMetrics(n.device, *c) if (c := tap_stats(tap_name(dom.domid, n.device))) is not None
        else NicMetrics(device=n.device, rx_bytes=0, tx_bytes=0)
        for n in spec.nics
    )  # fmt: skip
    return DomainMetrics(
        vm_uuid=spec.vm_uuid,
        domid=dom.domid,
        vcpu_time_ns=vcpu_ns,
        memory_actual=await dom.memory_actual(),
        memory_target=dom.record.memory_target,
        memory_internal_free=free,
        disks=disks,
        nics=nics,
    )


class QemuMetrics:
    """:class:`~xenia.drivers.base.MetricsOps`."""

    def __init__(self, driver: QemuDriver) -> None:
        self._d = driver
        #: domids whose balloon statistics polling is on
        self._polling: set[int] = set()

    async def sample(self) -> MetricsSample:
        self._d.need(Capability.METRICS)
        taken_at = time.time()
        domains = sorted(self._d.domains.values(), key=lambda d: d.domid)
        self._polling &= {d.domid for d in domains}
        results = await asyncio.gather(*(_sample_domain(d, self._polling) for d in domains))
        free = self._d.memory_free()
        host = await asyncio.to_thread(host_sample, self._d.memory_total, free)
        return MetricsSample(taken_at=taken_at, host_memory_free=free, domains=tuple(results), host=host)
