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
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CPU_KEY", "ROW_WAVES", "Waves", "workload_row"]

F64 = npt.NDArray[np.float64]

#: ``other_config`` key pinning a constant vCPU load (fraction of one CPU)
CPU_KEY = "xenia-sim-cpu"

_TWO_PI = 2 * math.pi


@dataclass(frozen=True, eq=False)
class Waves:
    """Many waves as arrays of one shape; :meth:`rate` and :meth:`integral` broadcast
    the running seconds against that shape."""

    base: F64
    amplitude: F64
    k: F64  #: period / 2 pi
    phase: F64
    cos_phase: F64

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


#: the waves of a :func:`workload_row` after its vCPUs', in this order (then disk_block, disk_latency_ns)
ROW_WAVES = ("disk_read", "disk_write", "nic_rx", "nic_tx", "free_memory")


def _wave(uniform: Callable[[float, float], float], low: float, high: float) -> tuple[float, float, float, float]:
    """(base, amplitude, period, phase) of a wave around a base drawn between ``low`` and ``high``."""
    base = uniform(low, high)
    return base, base * uniform(0.3, 1.0), uniform(60.0, 600.0), uniform(0.0, _TWO_PI)


def workload_row(vm_uuid: str, vcpus: int, other_config: Mapping[str, str]) -> F64:
    """A VM's workload as one flat row: (base, amplitude, period, phase) of each vCPU's wave, then of
    the :data:`ROW_WAVES`, then disk_block (bytes per request) and disk_latency_ns (per request).

    Why a row: the simulator keeps its running domains' waves as arrays per group, rebuilt whenever
    a group's domains change -- on every start and stop.  From cached rows that rebuild is one
    ``np.stack`` (about 2 ms at 10 000 domains) instead of a Python pass over 80 000 waves (about
    100 ms).  Why no object per wave: after a restart the first sample makes 10 000 rows, and making
    them through a dataclass per wave took 60 us each, 0.6 s of the event loop (issue 12).

    The draws are the simulator's since its first release, in their order (``uniform`` is
    ``random.uniform``'s own expression, inlined): a VM's graphs look the same in every version."""
    rng = random.Random(zlib.crc32(vm_uuid.encode()))
    rnd = rng.random

    def uniform(low: float, high: float) -> float:
        return low + (high - low) * rnd()

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
            out += _wave(uniform, 0.03, 0.45)
    disk = (*_wave(uniform, 8_192, 2_000_000), *_wave(uniform, 4_096, 1_000_000))  # read, write
    block = rng.choice((4096, 16384, 65536))
    latency = rng.randrange(100_000, 5_000_000)
    nic = (*_wave(uniform, 1_000, 1_000_000), *_wave(uniform, 500, 500_000))  # rx, tx
    free_memory = (0.4, 0.15, uniform(120.0, 900.0), uniform(0.0, _TWO_PI))  # fraction of memory free
    out += (*disk, *nic, *free_memory, block, latency)
    return np.array(out, dtype=np.float64)
