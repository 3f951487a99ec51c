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

A client's calls come one after another: between its login and its next call, or while it reads
one answer before asking the next, no answer is being produced, and a background slice started
there holds its next call (after a restart: the first metrics tick, 1-2 s at 10 000 VMs, landed
between a client's login and its query). So background work also waits until no call has come in
for :data:`QUIET` seconds, and while a call is in progress that came in less than :data:`BUSY`
seconds ago (a login waits for its password check in a thread; a long poll such as ``event.from``,
parked for many seconds, does not hold background work). The HTTP layer notes each call as it hands
it to its handler and as it answers it (:meth:`Foreground.called`, :meth:`Foreground.answered`): a
client working through a sequence of calls goes first, for the bound below.

Under a steady stream of calls each slice waits its whole bound (following 10 000 agents 64 at a
time: some 150 s instead of a few); a bound counted from the slice's wait rather than from the
client's calls (half a second) let slices in between a client's login and its query again.

A call's handler may work for most of a second before its answer is encoded (the query of
10 000 VMs, evaluated in one piece): the busy window counts again from the end of that stretch
(:meth:`Foreground.worked`), or the slices that came due during it (the first metrics tick, 1-2 s)
ran between the evaluation and the encoding of the first answer after a restart.

Starvation is bounded: a slice waits at most a second (a client that never reads its answer holds
its connection paused until the idle timeout), and background work proceeds whenever no large
answer is on its way, which is most of the time. Slices whose bound ran out while an answer is
being produced go one at a time, a bound apart (:attr:`Foreground.next_forced`): after a
restart four kinds of background work (the store's older history, the simulated guests' boot,
following the agents, the metrics) each waited its second and each ran a slice between the first
answer's slices, half of its encoding time; one at a time, a task waits at most a second per kind
of background work waiting with it, still a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

__all__ = ["BUSY", "QUIET", "Foreground"]

#: seconds without a call coming in or being answered after which the API counts as quiet
QUIET = 0.1
#: seconds a call in progress holds background work (counted from the last call that came or went)
BUSY = 0.5


class Foreground:
    """The answers being produced now; background work waits until there are none."""

    def __init__(self, quiet: float = QUIET, busy: float = BUSY) -> None:
        self.count = 0
        self.quiet = quiet
        self.busy = busy
        #: calls handed to their handlers and not answered yet
        self.calls = 0
        #: when the last call came in or was answered (``time.monotonic``)
        self.last_call = -float("inf")
        self._waiters: list[asyncio.Future[None]] = []
        #: when the next slice whose bound ran out may go while answers are being produced
        #: (``time.monotonic``): one at a time, a bound apart
        self.next_forced = -float("inf")

    def called(self) -> None:
        """A call came in (the hot path: one clock read)."""
        self.calls += 1
        self.last_call = time.monotonic()

    def worked(self) -> None:
        """A call in progress did a stretch of work on the loop (its handler's synchronous part) and
        its answer is encoded next: background work waits :attr:`busy` seconds from now, not from
        the call's arrival."""
        self.last_call = time.monotonic()

    def answered(self) -> None:
        """A call :meth:`called` noted is answered (or failed)."""
        self.calls -= 1
        self.last_call = time.monotonic()
        if not self.calls and self._waiters:
            self._wake()

    def enter(self) -> None:
        self.count += 1

    def leave(self) -> None:
        self.count -= 1
        if not self.count:
            self._wake()

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait_idle(self, at_most: float = 1.0) -> None:
        """Yield to the loop once, then wait until no answer is being produced and no call came or went
        for :attr:`quiet` seconds (:attr:`busy` while one is in progress), ``at_most`` seconds (a client
        that reads its answer slowly, or never, or calls without a pause, delays background work, not
        stops it); past that bound, after the slices whose bound ran out before, one at a time."""
        await asyncio.sleep(0)
        deadline = time.monotonic() + at_most
        while True:
            now = time.monotonic()
            calm = 0.0 if self.count else self.last_call + (self.busy if self.calls else self.quiet) - now
            if not self.count and calm <= 0:
                return
            if now >= deadline:
                if not self.count:  # calls without a pause, no answer on its way: each goes at its bound
                    return
                if now >= self.next_forced:
                    self.next_forced = now + at_most
                    return
                deadline = self.next_forced  # another slice went past its bound less than a bound ago
            waiter = asyncio.get_running_loop().create_future()  # woken when an answer or a call ends
            self._waiters.append(waiter)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, deadline - now if self.count else min(calm, deadline - now))
