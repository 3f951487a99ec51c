"""xcp-rrdd's data sources: their names, types and units, and their values from a driver sample.

A VM's or the host's sources depend only on its *layout* (vCPU count, disk and NIC devices,
PIF names), so the definitions are built once per layout and cached, and every tick produces
just a flat list of floats in the same order. Names follow xcp-rrdd (``rrdp-cpu``,
``rrdp-squeezed``, ``rrdp-iostat``, ``rrdp-netdev``); the ``vif_<N>_{rx,tx}_{packets,drops}``
sources are xenia's, not xapi's, and are not recorded by default.
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
import numpy.typing as npt

from xenia.drivers.base import DiskMetrics, DomainMetrics, HostSample
from xenia.drivers.columns import DomainBlock
from xenia.metrics.rrd import DsDef, DsType

__all__ = [
    "block_layout",
    "disk_name",
    "host_defs",
    "host_layout",
    "host_values",
    "SR_COUNTERS",
    "SR_DEFS",
    "sr_values",
    "vm_defs",
    "vm_layout",
    "vm_value_matrix",
    "vm_values",
]

NAN = math.nan
D, G = DsType.DERIVE, DsType.GAUGE
MIB = float(1 << 20)

VmLayout = tuple[int, tuple[str, ...], tuple[str, ...]]
#: (CPUs, PIF devices, the first 8 characters of each plugged SR's uuid)
HostLayout = tuple[int, tuple[str, ...], tuple[str, ...]]


def disk_name(userdevice: str) -> str:
    """The backend device name xcp-rrdd uses for a VBD (``xvda`` for userdevice 0)."""
    if userdevice.isdigit():
        n = int(userdevice)
        letters = ""
        while True:
            letters = chr(ord("a") + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                return "xvd" + letters
    return userdevice


def vm_layout(m: DomainMetrics) -> VmLayout:
    return (len(m.vcpu_time_ns), tuple(d.userdevice for d in m.disks), tuple(n.device for n in m.nics))


@functools.lru_cache(maxsize=1024)
def vm_defs(layout: VmLayout) -> tuple[DsDef, ...]:
    """Every source of a VM of this layout, recorded ones by default first."""
    vcpus, disks, nics = layout
    out = [DsDef(f"cpu{i}", D, "(fraction)", f"CPU{i} usage", max=1.0) for i in range(vcpus)]
    out += [
        DsDef("cpu_usage", D, "(fraction)", "Domain CPU usage", max=1.0),
        DsDef("cpu_avg", D, "(fraction)", "Average vCPU usage (xenia; the same as cpu_usage)", max=1.0),
        DsDef("memory", G, "B", "Memory currently allocated to VM"),
        DsDef("memory_target", G, "B", "Target of VM balloon driver"),
        DsDef("memory_internal_free", G, "KiB", "Memory free as reported by the guest"),
    ]
    for u in disks:
        v = disk_name(u)
        out += [
            DsDef(f"vbd_{v}_read", D, "B/s", f"Reads from device {v} in bytes per second"),
            DsDef(f"vbd_{v}_write", D, "B/s", f"Writes to device {v} in bytes per second"),
            DsDef(f"vbd_{v}_read_latency", G, "μs", f"Reads from device {v} latency"),
            DsDef(f"vbd_{v}_write_latency", G, "μs", f"Writes to device {v} latency"),
            DsDef(f"vbd_{v}_iops_read", D, "requests/s", f"Read requests per second on device {v}"),
            DsDef(f"vbd_{v}_iops_write", D, "requests/s", f"Write requests per second on device {v}"),
            DsDef(f"vbd_{v}_iops_total", D, "requests/s", f"I/O requests per second on device {v}"),
            DsDef(f"vbd_{v}_io_throughput_read", D, "MiB/s", f"Data read from device {v}, in MiB/s"),
            DsDef(f"vbd_{v}_io_throughput_write", D, "MiB/s", f"Data written to device {v}, in MiB/s"),
            DsDef(f"vbd_{v}_io_throughput_total", D, "MiB/s", f"All I/O on device {v}, in MiB/s"),
        ]
    for n in nics:
        out += [
            DsDef(f"vif_{n}_rx", D, "B/s", f"Bytes per second received on virtual interface number '{n}'"),
            DsDef(f"vif_{n}_tx", D, "B/s", f"Bytes per second transmitted on virtual interface number '{n}'"),
        ]
    for n in nics:
        for what in ("rx_errors", "tx_errors", "rx_packets", "tx_packets", "rx_drops", "tx_drops"):
            unit = "err/s" if "errors" in what else "packets/s"
            out.append(DsDef(f"vif_{n}_{what}", D, unit, f"{what} per second on VIF {n}", default=False))
    return tuple(out)


def _latency_us(time_ns: int, ops: int, prev_time_ns: int, prev_ops: int) -> float:
    done = ops - prev_ops
    return (time_ns - prev_time_ns) / done / 1000.0 if done > 0 else 0.0


def vm_values(m: DomainMetrics, prev: tuple[DiskMetrics, ...] | None) -> list[float]:
    """Raw values in :func:`vm_defs` order; ``prev`` is the disks of the previous sample (latency)."""
    cpu = [t / 1e9 for t in m.vcpu_time_ns]
    avg = sum(cpu) / len(cpu) if cpu else NAN
    out = [*cpu, avg, avg, float(m.memory_actual), float(m.memory_target)]
    out.append(m.memory_internal_free / 1024 if m.memory_internal_free is not None else NAN)
    before = {d.userdevice: d for d in prev} if prev else {}
    for d in m.disks:
        p = before.get(d.userdevice)
        rl = _latency_us(d.read_time_ns, d.read_ops, p.read_time_ns, p.read_ops) if p else NAN
        wl = _latency_us(d.write_time_ns, d.write_ops, p.write_time_ns, p.write_ops) if p else NAN
        rb, wb = float(d.read_bytes), float(d.write_bytes)
        out += [rb, wb, rl, wl, float(d.read_ops), float(d.write_ops), float(d.read_ops + d.write_ops)]
        out += [rb / MIB, wb / MIB, (rb + wb) / MIB]
    for n in m.nics:
        out += [float(n.rx_bytes), float(n.tx_bytes)]
    for n in m.nics:
        out += [float(n.rx_errors), float(n.tx_errors), float(n.rx_packets), float(n.tx_packets)]
        out += [float(n.rx_drops), float(n.tx_drops)]
    return out


def block_layout(b: DomainBlock) -> VmLayout:
    return (b.vcpus, b.disks, b.nics)


def vm_value_matrix(b: DomainBlock, prev_disk: npt.NDArray[np.float64] | None) -> npt.NDArray[np.float64]:
    """:func:`vm_values` of every domain of a block at once: shape (domains, sources of
    :func:`vm_defs`). ``prev_disk`` is the previous tick's ``disk`` array of the same domains
    (NaN rows where a domain had none), for the latencies."""
    n = len(b)
    cpu = b.vcpu_time_ns / 1e9
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = cpu.mean(axis=1) if b.vcpus else np.full(n, NAN)
        parts = [cpu, avg[:, None], avg[:, None], b.memory_actual[:, None], b.memory_target[:, None]]
        parts.append((b.memory_internal_free / 1024)[:, None])
        d = b.disk  # read_bytes, write_bytes, read_ops, write_ops, read_time_ns, write_time_ns
        if b.disks:
            if prev_disk is None:
                lat = np.full((n, len(b.disks), 2), NAN)
            else:
                done = d[:, :, 2:4] - prev_disk[:, :, 2:4]
                spent = d[:, :, 4:6] - prev_disk[:, :, 4:6]
                lat = np.where(done > 0, spent / np.where(done > 0, done, 1) / 1000.0, 0.0)
                lat[np.isnan(done)] = NAN
            rb, wb = d[:, :, 0], d[:, :, 1]
            per_disk = np.stack(
                [rb, wb, lat[:, :, 0], lat[:, :, 1], d[:, :, 2], d[:, :, 3], d[:, :, 2] + d[:, :, 3],
                 rb / MIB, wb / MIB, (rb + wb) / MIB],
                axis=2,
            )  # fmt: skip
            parts.append(per_disk.reshape(n, -1))
        if b.nics:
            c = b.nic  # rx_bytes, tx_bytes, rx_packets, tx_packets, rx_errors, tx_errors, rx_drops, tx_drops
            parts.append(c[:, :, 0:2].reshape(n, -1))
            parts.append(c[:, :, [4, 5, 2, 3, 6, 7]].reshape(n, -1))
    return np.concatenate(parts, axis=1)


def host_layout(h: HostSample, srs: tuple[str, ...] = ()) -> HostLayout:
    return (len(h.cpu_busy_ns), tuple(p.device for p in h.pifs), srs)


@functools.lru_cache(maxsize=64)
def host_defs(layout: HostLayout) -> tuple[DsDef, ...]:
    cpus, pifs, srs = layout
    out = [DsDef(f"cpu{i}", D, "(fraction)", f"Physical cpu usage for cpu {i}", max=1.0) for i in range(cpus)]
    out += [
        DsDef("cpu_avg", D, "(fraction)", "Average physical cpu usage", max=1.0),
        DsDef("loadavg", G, "(fraction)", "Domain0 loadavg"),
        DsDef("memory_total_kib", G, "KiB", "Total amount of memory in use"),
        DsDef("memory_free_kib", G, "KiB", "Total amount of free memory"),
        DsDef("running_vcpus", G, "count", "The total number of running vCPUs per host"),
        DsDef("running_domains", G, "count", "The total number of running domains per host"),
    ]
    for p in pifs:
        out += [
            DsDef(f"pif_{p}_rx", D, "B/s", f"Bytes per second received on physical interface {p}"),
            DsDef(f"pif_{p}_tx", D, "B/s", f"Bytes per second sent on physical interface {p}"),
        ]
    out += [
        DsDef("pif_aggr_rx", D, "B/s", "Bytes per second received on all physical interfaces"),
        DsDef("pif_aggr_tx", D, "B/s", "Bytes per second sent on all physical interfaces"),
    ]
    for p in pifs:
        out += [
            DsDef(f"pif_{p}_rx_errors", D, "err/s", f"Receive errors per second on physical interface {p}", default=False),
            DsDef(f"pif_{p}_tx_errors", D, "err/s", f"Transmit errors per second on physical interface {p}", default=False),
        ]  # fmt: skip
    for sr8 in srs:  # rrdp-iostat's SR-level statistics, as xcp-rrdd files them in the host's RRD
        out += [dataclasses.replace(d, name=f"{d.name}_{sr8}") for d in SR_DEFS[:SR_IO_SOURCES]]
    return tuple(out)


def host_values(
    h: HostSample, running_vcpus: int, running_domains: int, sr_io: list[list[float]] | None = None
) -> list[float]:
    """Raw values in :func:`host_defs` order; ``sr_io``: each SR's :func:`sr_values` in the
    layout's SR order (their I/O part goes into the host's ``<name>_<sr8>`` sources)."""
    cpu = [t / 1e9 for t in h.cpu_busy_ns]
    out = [*cpu, sum(cpu) / len(cpu) if cpu else NAN, h.loadavg, h.memory_total / 1024, h.memory_free / 1024]
    out += [float(running_vcpus), float(running_domains)]
    for p in h.pifs:
        out += [float(p.rx_bytes), float(p.tx_bytes)]
    out += [float(sum(p.rx_bytes for p in h.pifs)), float(sum(p.tx_bytes for p in h.pifs))]
    for p in h.pifs:
        out += [float(p.rx_errors), float(p.tx_errors)]
    for values in sr_io or ():
        out += values[:SR_IO_SOURCES]
    return out


#: the counters an SR's RRD is fed from: its disks' increments summed since the daemon started
#: (``DiskMetrics`` order: read and write bytes, operations, time spent in ns)
SR_COUNTERS = 6

#: An SR's sources: rrdp-iostat's SR-level statistics (which xcp-rrdd files in the host's RRD as
#: ``<name>_<first 8 characters of the SR uuid>``) under their plain names, summed over the disks
#: of every VM running here, and the SR's sizes from the database.
SR_DEFS: tuple[DsDef, ...] = (
    DsDef("read", D, "B/s", "Reads from device SR, in B/s"),
    DsDef("write", D, "B/s", "Writes from device SR, in B/s"),
    DsDef("read_latency", G, "μs", "Read latency from device SR, in microseconds"),
    DsDef("write_latency", G, "μs", "Write latency from device SR, in microseconds"),
    DsDef("io_throughput_read", D, "MiB/s", "Data read from the SR, in MiB/s"),
    DsDef("io_throughput_write", D, "MiB/s", "Data written to the SR, in MiB/s"),
    DsDef("io_throughput_total", D, "MiB/s", "All SR I/O, in MiB/s"),
    DsDef("iops_read", D, "requests/s", "Read requests per second"),
    DsDef("iops_write", D, "requests/s", "Write requests per second"),
    DsDef("iops_total", D, "requests/s", "I/O Requests per second"),
    DsDef("iowait", D, "s/s", "Total I/O wait time (all requests) per second"),
    DsDef("latency", G, "μs", "Average I/O latency"),
    # (the I/O statistics above; the sizes below are the SR RRD's alone)
    DsDef("physical_utilisation", G, "B", "Physical space used on the SR (xenia)"),
    DsDef("physical_size", G, "B", "Total physical size of the SR (xenia)"),
    DsDef("virtual_allocation", G, "B", "Sum of the virtual sizes of the SR's VDIs (xenia)"),
)


#: how many of :data:`SR_DEFS` are I/O statistics (the host's RRD has these per SR)
SR_IO_SOURCES = 12


def sr_values(
    totals: npt.NDArray[np.float64], last: npt.NDArray[np.float64] | None, sizes: tuple[float, float, float]
) -> list[float]:
    """Raw values in :data:`SR_DEFS` order from the SR's summed counters now and at the previous
    tick (``last``: None at the first, whose latencies are then unknown) and its
    (physical_utilisation, physical_size, virtual_allocation)."""
    rb, wb, rops, wops, rt, wt = totals.tolist()
    if last is None:
        rl = wl = lat = NAN
    else:
        prb, pwb, pro, pwo, prt, pwt = last.tolist()
        rl = _latency_us(int(rt), int(rops), int(prt), int(pro))
        wl = _latency_us(int(wt), int(wops), int(pwt), int(pwo))
        lat = _latency_us(int(rt + wt), int(rops + wops), int(prt + pwt), int(pro + pwo))
    out = [rb, wb, rl, wl, rb / MIB, wb / MIB, (rb + wb) / MIB, rops, wops, rops + wops, (rt + wt) / 1e9, lat]
    return out + [float(v) for v in sizes]
