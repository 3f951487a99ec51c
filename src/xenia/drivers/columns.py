"""Domain counters as columns: a driver that computes every domain's counters in bulk hands them
over as numpy arrays, one :class:`DomainBlock` per layout, instead of one
:class:`~xenia.drivers.base.DomainMetrics` object per domain.

Why: at 1 000 simulated VMs, building and then taking apart a few thousand small objects per tick
cost more than the whole RRD update. :class:`DomainColumns` is still a sequence of
``DomainMetrics`` (built on demand, row by row) for callers that want one domain at a time, while
the collector (``xenia.metrics.collect``) reads the arrays directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

from xenia.drivers.base import DiskMetrics, DomainMetrics, NicMetrics

__all__ = ["DISK_FIELDS", "NIC_FIELDS", "DomainBlock", "DomainColumns"]

F64 = npt.NDArray[np.float64]

#: the last axis of :attr:`DomainBlock.disk`, in :class:`DiskMetrics` order
DISK_FIELDS = ("read_bytes", "write_bytes", "read_ops", "write_ops", "read_time_ns", "write_time_ns")
#: the last axis of :attr:`DomainBlock.nic`, in :class:`NicMetrics` order
NIC_FIELDS = ("rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors", "rx_drops", "tx_drops")


@dataclass(frozen=True, eq=False)
class DomainBlock:
    """The counters of ``n`` domains that share one layout (vCPU count, disks, NICs); one row per
    domain, whole numbers held as float64 (exact below 2**53)."""

    vm_uuids: tuple[str, ...]
    domids: tuple[int, ...]
    vcpus: int
    disks: tuple[str, ...]  #: userdevices
    nics: tuple[str, ...]  #: devices
    vcpu_time_ns: F64  #: (n, vcpus)
    memory_actual: F64  #: (n,)
    memory_target: F64  #: (n,)
    memory_internal_free: F64  #: (n,), NaN where the guest reports nothing
    disk: F64  #: (n, len(disks), len(DISK_FIELDS))
    nic: F64  #: (n, len(nics), len(NIC_FIELDS))

    def __len__(self) -> int:
        return len(self.vm_uuids)

    def row(self, i: int) -> DomainMetrics:
        free = float(self.memory_internal_free[i])
        disk, nic = self.disk[i].tolist(), self.nic[i].tolist()
        return DomainMetrics(
            vm_uuid=self.vm_uuids[i],
            domid=self.domids[i],
            vcpu_time_ns=tuple(int(t) for t in self.vcpu_time_ns[i].tolist()),
            memory_actual=int(self.memory_actual[i]),
            memory_target=int(self.memory_target[i]),
            memory_internal_free=None if free != free else int(free),
            disks=tuple(DiskMetrics(u, *(int(v) for v in d)) for u, d in zip(self.disks, disk, strict=True)),
            nics=tuple(NicMetrics(n, *(int(v) for v in c)) for n, c in zip(self.nics, nic, strict=True)),
        )


class DomainColumns(Sequence[DomainMetrics]):
    """Every domain of a sample as blocks of columns; indexing builds a ``DomainMetrics``."""

    __slots__ = ("_starts", "blocks")

    def __init__(self, blocks: Sequence[DomainBlock]) -> None:
        self.blocks = tuple(blocks)
        self._starts = np.cumsum([0] + [len(b) for b in self.blocks]).tolist()

    def __len__(self) -> int:
        return int(self._starts[-1])

    @overload
    def __getitem__(self, i: int) -> DomainMetrics: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[DomainMetrics]: ...
    def __getitem__(self, i: int | slice) -> DomainMetrics | Sequence[DomainMetrics]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        b = int(np.searchsorted(self._starts, i, side="right")) - 1
        return self.blocks[b].row(i - self._starts[b])

    def __iter__(self) -> Iterator[DomainMetrics]:
        for block in self.blocks:
            for i in range(len(block)):
                yield block.row(i)
