"""The host's counters for a metrics sample, read from ``/proc`` in a handful of file reads.

CPU busy time per CPU from ``/proc/stat`` (everything but idle and iowait), memory from
``/proc/meminfo``, the load average from ``/proc/loadavg`` and every network interface but the
loopback and xenia's own taps from ``/proc/net/dev``.
"""

from __future__ import annotations

import os
from pathlib import Path

from xenia.drivers.base import HostSample, PifMetrics

__all__ = ["host_sample", "proc_net_dev"]

_TICK_NS = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def _cpu_busy_ns(stat: str) -> tuple[int, ...]:
    busy: list[int] = []
    for line in stat.splitlines():
        if not line.startswith("cpu") or line.startswith("cpu "):
            continue
        fields = [int(x) for x in line.split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        # guest time is already counted in user time (fields 8, 9), so it is left out of the sum
        busy.append((sum(fields[:8]) - idle) * _TICK_NS)
    return tuple(busy)


def proc_net_dev(text: str) -> dict[str, tuple[int, int, int, int, int, int, int, int]]:
    """Interface -> (rx bytes, rx packets, rx errors, rx drops, tx bytes, tx packets, tx errors, tx drops)."""
    out: dict[str, tuple[int, int, int, int, int, int, int, int]] = {}
    for line in text.splitlines()[2:]:
        name, _, rest = line.partition(":")
        f = [int(x) for x in rest.split()]
        if len(f) >= 12:
            out[name.strip()] = (f[0], f[1], f[2], f[3], f[8], f[9], f[10], f[11])
    return out


def host_sample(memory_total: int, memory_free: int) -> HostSample:
    """The host's counters now; ``memory_*`` are what the driver may give to domains."""
    load = float(Path("/proc/loadavg").read_text().split()[0])
    pifs = tuple(
        PifMetrics(name, c[0], c[4], c[2], c[6])
        for name, c in sorted(proc_net_dev(Path("/proc/net/dev").read_text()).items())
        if name != "lo" and not name.startswith("xq")
    )
    return HostSample(
        cpu_busy_ns=_cpu_busy_ns(Path("/proc/stat").read_text()),
        memory_total=memory_total,
        memory_free=memory_free,
        loadavg=load,
        pifs=pifs,
    )
