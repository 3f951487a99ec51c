"""Simulated workloads: CPU, disk and network activity that moves, repeatably.

Every rate is ``base + amplitude * sin(2 pi s / period + phase)`` of the domain's running
seconds ``s``, with ``amplitude <= base`` so it never goes negative; the counters a guest
would show are the closed-form integrals of those rates. Counters are therefore derived from
the running time alone (monotonic across pause, suspend and daemon restarts, nothing stored),
and the parameters are drawn from a generator seeded by the VM's uuid, so the same VM shows
the same curves in every run -- graphs have something to show and tests can repeat.

:class:`Waves` holds the same waves of many VMs as numpy arrays, so one tick's counters of every
VM are a few array operations rather than a Python call per wave.

``other_config["xenia-sim-cpu"]`` (a fraction 0..1) pins every vCPU of a VM to a constant
load, for tests and benchmarks that want to know the answer in advance.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CPU_KEY", "ROW_WAVES", "Wave", "Waves", "Workload", "workload_of", "workload_row"]

F64 = npt.NDArray[np.float64]

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


@dataclass(frozen=True, eq=False)
class Waves:
    """Many :class:`Wave` s as arrays of one shape; :meth:`rate` and :meth:`integral` broadcast
    the running seconds against that shape."""

    base: F64
    amplitude: F64
    k: F64  #: period / 2 pi
    phase: F64
    cos_phase: F64

    @classmethod
    def of(cls, waves: Sequence[Wave], shape: tuple[int, ...]) -> Waves:
        """The waves, in row-major order, as arrays of ``shape``."""
        params = np.array([(w.base, w.amplitude, w.period, w.phase) for w in waves], dtype=np.float64)
        return cls.from_params(params.reshape((*shape, 4)))

    @classmethod
    def from_params(cls, params: F64) -> Waves:
        """The waves whose (base, amplitude, period, phase) are the last axis of ``params``."""
        phase = params[..., 3]
        return cls(params[..., 0], params[..., 1], params[..., 2] / _TWO_PI, phase, np.cos(phase))

    def rate(self, s: F64) -> F64:
        return self.base + self.amplitude * np.sin(s / self.k + self.phase)

    def integral(self, s: F64) -> F64:
        """The integral of :meth:`rate` from 0 to ``s``."""
        return self.base * s + self.amplitude * self.k * (self.cos_phase - np.cos(s / self.k + self.phase))


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


#: the waves of a :func:`workload_row` after its vCPUs', in this order (then disk_block, disk_latency_ns)
ROW_WAVES = ("disk_read", "disk_write", "nic_rx", "nic_tx", "free_memory")


def workload_row(vm_uuid: str, vcpus: int, other_config: Mapping[str, str]) -> F64:
    """A VM's :func:`workload_of` as one flat row: (base, amplitude, period, phase) of each vCPU's wave,
    then of the :data:`ROW_WAVES`, then disk_block and disk_latency_ns.

    Why: the simulator keeps its running domains' waves as arrays per group, rebuilt whenever a
    group's domains change -- on every start and stop.  From cached rows that rebuild is one
    ``np.stack`` (about 2 ms at 10 000 domains) instead of a Python pass over 80 000 waves (about
    100 ms), and a row (30 floats) is smaller than the Workload's objects it replaces.

    The same draws as :func:`workload_of`, in the same order and by the same expressions
    (``random.uniform`` is ``a + (b - a) * random()``), without a :class:`Wave` object per wave:
    after a restart the first sample makes 10 000 rows, and building them through
    :func:`workload_of` took 60 us each, 0.6 s of the event loop (issue 12); this takes a third."""
    rng = random.Random(zlib.crc32(vm_uuid.encode()))
    rnd = rng.random
    out: list[float] = []
    pinned = other_config.get(CPU_KEY)
    if pinned is not None:
        try:
            level = min(1.0, max(0.0, float(pinned)))
        except ValueError:
            level = 0.25
        out += (level, 0.0, 60.0, 0.0) * vcpus
    else:
        for _ in range(vcpus):
            base = 0.03 + (0.45 - 0.03) * rnd()
            out += (base, base * (0.3 + (1.0 - 0.3) * rnd()), 60.0 + (600.0 - 60.0) * rnd(), 0.0 + (_TWO_PI - 0.0) * rnd())
    waves: list[float] = []
    for low, high in ((8_192, 2_000_000), (4_096, 1_000_000)):  # disk_read, disk_write
        base = low + (high - low) * rnd()
        waves += (base, base * (0.3 + (1.0 - 0.3) * rnd()), 60.0 + (600.0 - 60.0) * rnd(), 0.0 + (_TWO_PI - 0.0) * rnd())
    block = rng.choice((4096, 16384, 65536))
    latency = rng.randrange(100_000, 5_000_000)
    for low, high in ((1_000, 1_000_000), (500, 500_000)):  # nic_rx, nic_tx
        base = low + (high - low) * rnd()
        waves += (base, base * (0.3 + (1.0 - 0.3) * rnd()), 60.0 + (600.0 - 60.0) * rnd(), 0.0 + (_TWO_PI - 0.0) * rnd())
    waves += (0.4, 0.15, 120.0 + (900.0 - 120.0) * rnd(), 0.0 + (_TWO_PI - 0.0) * rnd())  # free_memory
    out += waves
    out += (block, latency)
    return np.array(out, dtype=np.float64)
