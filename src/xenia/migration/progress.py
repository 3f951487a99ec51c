"""Progress of a migration, reported through a plain callback.

A :class:`Progress` is an immutable snapshot: more than a percentage, as seed 003 asks. The
library calls the caller's callback at every phase change and at most :data:`MIN_INTERVAL`
apart while bytes flow, from the event loop; a callback must be quick and must not raise (an
exception from it is logged and ignored, never allowed to break the migration).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from xenia.migration.errors import Phase

__all__ = ["MIN_INTERVAL", "Progress", "ProgressCallback", "ProgressMeter"]

log = logging.getLogger(__name__)

#: Seconds between two reports while nothing but byte counts changes (10 per second).
MIN_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class Progress:
    """One report. Sizes are bytes, times seconds, rates bytes per second."""

    phase: Phase
    bytes_sent: int
    bytes_remaining: int
    iteration: int  #: pre-copy pass (1 = the first full copy)
    dirty_rate: float  #: how fast the running guest dirties memory
    transfer_rate: float  #: achieved rate of the stream
    expected_downtime: float  #: what pausing now would cost: remaining / transfer rate
    eta: float | None  #: seconds to the end, None while unknown
    cancellable: bool  #: False once the source is paused for the final copy
    fraction: float  #: 0..1, for a task's progress field


ProgressCallback = Callable[[Progress], None]


class ProgressMeter:
    """Keeps the counters of one migration and calls the callback with snapshots."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._last = 0.0
        self._start = time.monotonic()
        self.phase = Phase.PREPARE
        self.bytes_sent = 0
        self.bytes_remaining = 0
        self.iteration = 0
        self.dirty_rate = 0.0
        self.expected_downtime = 0.0
        self.reports = 0

    @property
    def transfer_rate(self) -> float:
        elapsed = time.monotonic() - self._start
        return self.bytes_sent / elapsed if elapsed > 0 else 0.0

    def snapshot(self) -> Progress:
        rate = self.transfer_rate
        total = self.bytes_sent + self.bytes_remaining
        order = list(Phase).index(self.phase)
        if self.phase in (Phase.PREPARE, Phase.CONNECT):
            fraction = 0.01 * order
        elif self.phase in (Phase.SEND_MEMORY, Phase.SWITCH_OVER):
            fraction = 0.05 + 0.9 * (self.bytes_sent / total if total else 0.0)
        else:
            fraction = 0.95 + 0.02 * (order - 4)
        eta = self.bytes_remaining / rate if rate > 0 and self.bytes_remaining else None
        return Progress(
            phase=self.phase,
            bytes_sent=self.bytes_sent,
            bytes_remaining=self.bytes_remaining,
            iteration=self.iteration,
            dirty_rate=self.dirty_rate,
            transfer_rate=rate,
            expected_downtime=self.expected_downtime,
            eta=eta,
            cancellable=self.phase.cancellable,
            fraction=min(1.0, fraction),
        )

    def enter(self, phase: Phase) -> None:
        """A new phase: always reported."""
        self.phase = phase
        self.report(force=True)

    def report(self, *, force: bool = False) -> None:
        """Report unless the last report is younger than :data:`MIN_INTERVAL`."""
        if self._callback is None:
            return
        now = time.monotonic()
        if not force and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        self.reports += 1
        try:
            self._callback(self.snapshot())
        except Exception:
            log.exception("migration progress callback failed")
