"""Durations of lifecycle steps, kept per operation so the daemon (and benchmarks) can read them.

Each step (create, resume, unpause, pause, suspend, destroy, ...) records how long it took, in
milliseconds, in a bounded window of recent values, and logs it at debug level.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Iterator

__all__ = ["Timings"]

log = logging.getLogger(__name__)


class Timings:
    """Recent step durations per operation name.

    :param keep: how many recent durations to keep per operation.
    """

    def __init__(self, keep: int = 100) -> None:
        self._keep = keep
        self._values: dict[str, deque[float]] = {}

    @contextlib.contextmanager
    def measure(self, operation: str, vm_uuid: str) -> Iterator[None]:
        """Time the enclosed block; only steps that succeed are recorded."""
        start = time.perf_counter()
        yield
        ms = (time.perf_counter() - start) * 1000
        self._values.setdefault(operation, deque(maxlen=self._keep)).append(ms)
        log.debug("VM %s: %s took %.1f ms", vm_uuid, operation, ms)

    def recent(self, operation: str) -> list[float]:
        """The recorded durations of ``operation`` in milliseconds, oldest first."""
        return list(self._values.get(operation, ()))

    def operations(self) -> list[str]:
        """Operation names with at least one recorded duration."""
        return sorted(self._values)
