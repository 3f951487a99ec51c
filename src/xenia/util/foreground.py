"""Clients first: background work that gives way while an answer is being produced.

After a restart with 10 000 VMs, ``xenia serve`` leaves work for after its API listens (following
10 000 guest agents, restoring the saved RRDs, replaying the store's older history). Each piece
yields to the event loop between slices, but a big answer is encoded in slices too
(``xenia.api.server``), so the two alternated: the first client's 10 000-record answer waited for
a hundred background slices (issue 12: 30-60 s on the loaded machine). :class:`Foreground` counts the answers being encoded,
and the connections whose answer waits for the client to read it (``xenia.api.http``: from the
transport's pause to its resume); background work waits for none (:meth:`Foreground.wait_idle`)
before each slice. The store's older history is replayed so too, on the loop rather than in a
thread, which would take the GIL from the answer. Short calls are answered in one turn of the loop
and are not counted: they never wait for more than one slice.

Starvation is bounded: a slice waits at most a second (a client that never reads its answer holds
its connection paused until the idle timeout), and background work proceeds whenever no large
answer is on its way, which is most of the time.
"""

from __future__ import annotations

import asyncio
import contextlib

__all__ = ["Foreground"]


class Foreground:
    """The answers being produced now; background work waits until there are none."""

    def __init__(self) -> None:
        self.count = 0
        self._waiters: list[asyncio.Future[None]] = []

    def enter(self) -> None:
        self.count += 1

    def leave(self) -> None:
        self.count -= 1
        if not self.count:
            waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def wait_idle(self, at_most: float = 1.0) -> None:
        """Yield to the loop once, then wait until no answer is being produced, ``at_most`` seconds
        (a client that reads its answer slowly, or never, delays background work, not stops it)."""
        await asyncio.sleep(0)
        if self.count:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, at_most)
