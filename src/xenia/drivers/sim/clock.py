"""Time for the simulator: real (the event loop's) or virtual (advanced explicitly by tests).

Simulated guests act "later" (a clean shutdown takes a second, a crash-prone guest crashes after
a while). With a :class:`VirtualClock` those delays pass only when a test calls
:meth:`VirtualClock.advance`, so tests need no sleeps and are deterministic on a loaded machine.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["Clock", "RealClock", "TimerHandle", "VirtualClock"]


class TimerHandle(Protocol):
    """Something that can cancel a scheduled callback."""

    def cancel(self) -> None:
        """Cancel the callback if it has not run yet."""
        ...


class Clock(Protocol):
    """The simulator's source of time."""

    def now(self) -> float:
        """Wall-clock time in epoch seconds."""
        ...

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        """Run ``callback`` once ``delay`` seconds have passed on this clock."""
        ...

    async def sleep(self, delay: float) -> None:
        """Wait ``delay`` seconds of this clock's time."""
        ...


class RealClock:
    """Real time: :func:`time.time` and the running event loop's timers."""

    def now(self) -> float:
        return time.time()

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        return asyncio.get_running_loop().call_later(max(0.0, delay), callback)

    async def sleep(self, delay: float) -> None:
        await asyncio.sleep(delay)


class _VirtualTimer:
    """A pending callback of a :class:`VirtualClock`."""

    __slots__ = ("callback", "cancelled")

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """Time that moves only when :meth:`advance` is called.

    Callbacks run synchronously inside :meth:`advance`, in due-time order (ties in scheduling
    order), each seeing :meth:`now` equal to its due time. Tasks blocked in :meth:`sleep` are woken
    through futures, so after advancing a test should yield (``await asyncio.sleep(0)``) or use
    :meth:`run_for`, which does so.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._seq = itertools.count()
        self._heap: list[tuple[float, int, _VirtualTimer]] = []

    def now(self) -> float:
        return self._now

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        timer = _VirtualTimer(callback)
        heapq.heappush(self._heap, (self._now + max(0.0, delay), next(self._seq), timer))
        return timer

    async def sleep(self, delay: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake() -> None:
            if not future.done():
                future.set_result(None)

        handle = self.call_later(delay, wake)
        try:
            await future
        finally:
            handle.cancel()

    def pending(self) -> int:
        """Number of scheduled, uncancelled callbacks (for tests)."""
        return sum(1 for _, _, t in self._heap if not t.cancelled)

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, running every callback that falls due."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        end = self._now + seconds
        while self._heap and self._heap[0][0] <= end:
            when, _, timer = heapq.heappop(self._heap)
            self._now = max(self._now, when)
            if not timer.cancelled:
                timer.callback()
        self._now = end

    async def run_for(self, seconds: float) -> None:
        """Let ready tasks reach their waits, advance, then let woken tasks run.

        Yielding first matters: a task created just before (``create_task(drv.vm.unpause(..))``)
        must have scheduled its sleep before time moves, or it would sleep from the later time.
        """
        await _turns()
        self.advance(seconds)
        await _turns()


async def _turns(n: int = 5) -> None:
    for _ in range(n):
        await asyncio.sleep(0)
