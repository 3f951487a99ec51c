"""Simulated workloads: CPU, disk and network activity that moves, repeatably.

Every rate is ``base + amplitude * sin(2 pi s / period + phase)`` of the domain's running
seconds ``s``, with ``amplitude <= base`` so it never goes negative; the counters a guest
would show are the closed-form integrals of those rates. Counters are therefore derived from
the running time alone (monotonic across pause, suspend and daemon restarts, nothing stored),
and the parameters are drawn from a generator seeded by the VM's uuid, so the same VM shows
the same curves in every run -- graphs have something to show and tests can repeat.

``other_config["xenia-sim-cpu"]`` (a fraction 0..1) pins every vCPU of a VM to a constant
load, for tests and benchmarks that want to know the answer in advance.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["CPU_KEY", "Wave", "Workload", "workload_of"]

#: ``other_config`` key pinning a constant vCPU load (fraction of one CPU)
CPU_KEY = "xenia-sim-cpu"

_TWO_PI = 2 * math.pi


@dataclass(frozen=True, slots=True)
class Wave:
    """A rate that oscillates around ``base``."""

    base: float
    amplitude: float
    period: float
    phase: float

    def rate(self, s: float) -> float:
        return self.base + self.amplitude * math.sin(_TWO_PI * s / self.period + self.phase)

    def integral(self, s: float) -> float:
        """The integral of :meth:`rate` from 0 to ``s``."""
        k = self.period / _TWO_PI
        return self.base * s + self.amplitude * k * (math.cos(self.phase) - math.cos(s / k + self.phase))


def _wave(rng: random.Random, low: float, high: float) -> Wave:
    base = rng.uniform(low, high)
    return Wave(base, base * rng.uniform(0.3, 1.0), rng.uniform(60.0, 600.0), rng.uniform(0.0, _TWO_PI))


@dataclass(frozen=True, slots=True)
class Workload:
    """One VM's activity: per vCPU, per disk and per NIC waves (device slots are reused)."""

    cpu: tuple[Wave, ...]
    disk_read: Wave
    disk_write: Wave
    disk_block: int  #: bytes per request
    disk_latency_ns: int  #: per request
    nic_rx: Wave
    nic_tx: Wave
    free_memory: Wave  #: fraction of memory the guest reports free (of wall-clock time)


def workload_of(vm_uuid: str, vcpus: int, other_config: Mapping[str, str]) -> Workload:
    rng = random.Random(zlib.crc32(vm_uuid.encode()))
    pinned = other_config.get(CPU_KEY)
    cpu: tuple[Wave, ...]
    if pinned is not None:
        try:
            level = min(1.0, max(0.0, float(pinned)))
        except ValueError:
            level = 0.25
        cpu = tuple(Wave(level, 0.0, 60.0, 0.0) for _ in range(vcpus))
    else:
        cpu = tuple(_wave(rng, 0.03, 0.45) for _ in range(vcpus))
    return Workload(
        cpu=cpu,
        disk_read=_wave(rng, 8_192, 2_000_000),
        disk_write=_wave(rng, 4_096, 1_000_000),
        disk_block=rng.choice((4096, 16384, 65536)),
        disk_latency_ns=rng.randrange(100_000, 5_000_000),
        nic_rx=_wave(rng, 1_000, 1_000_000),
        nic_tx=_wave(rng, 500, 500_000),
        free_memory=Wave(0.4, 0.15, rng.uniform(120.0, 900.0), rng.uniform(0.0, _TWO_PI)),
    )
