"""A token-bucket rate limiter shared by every stream the library writes.

Seed 003 asks for rate limiting "pushed down into every IO stream". Every writer in
:mod:`xenia.migration` (live migration, save to a file, export) takes its bytes through
:meth:`TokenBucket.acquire` before writing them, so one cap means one cap whatever the stream;
several streams given the same bucket share its rate. Written here rather than taken from a
library because it is twenty lines and must be asyncio-native and changeable while running
(``set_rate``, like QEMU's ``migrate-set-parameters max-bandwidth`` mid-way).

The bucket lets a caller run into debt: ``acquire(n)`` takes ``n`` tokens at once and sleeps
until the debt is paid. A large chunk is therefore never refused, and over any stretch longer
than the burst the average rate is the cap.

Two kinds of credit, kept apart. Time nobody asked for tokens (the source had nothing to send)
fills the bucket up to the *burst*, kept short (20 ms at the cap): a burst of 50 ms let a
one-second QEMU migration capped at 100 MiB/s run 5 % over its cap (the bucket, full from the
connection's start and from QEMU's pauses between passes, was spent at line rate). Time a writer
overslept in :meth:`acquire` (a loaded machine wakes it late) is owed to it in full, up to
:data:`LATE_CREDIT` seconds: capping that at the burst too made a stream under load lose every
late wake-up beyond 20 ms, and fall short of its cap.
"""

from __future__ import annotations

import asyncio
import time

__all__ = ["LATE_CREDIT", "TokenBucket"]

#: the default burst, in seconds at the cap
BURST_SECONDS = 0.02
#: at most this many seconds of a writer's late wake-up are owed to it
LATE_CREDIT = 0.25


class TokenBucket:
    """Limit a byte rate; ``rate=None`` means unlimited (``acquire`` returns at once).

    :param rate: bytes per second, or None.
    :param burst: bytes that may go at once after an idle moment (default: 20 ms worth).
    """

    def __init__(self, rate: float | None = None, *, burst: float | None = None) -> None:
        self._lock = asyncio.Lock()
        self._rate: float | None = None
        self._burst = 0.0
        self._tokens = 0.0
        self._stamp = time.monotonic()
        self._fixed_burst = burst
        self.set_rate(rate)

    @property
    def rate(self) -> float | None:
        """The cap in bytes per second, or None."""
        return self._rate

    def set_rate(self, rate: float | None) -> None:
        """Change the cap now; writers waiting pick the new rate up on their next chunk."""
        if rate is not None and rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self._refill()
        self._rate = rate
        self._burst = self._fixed_burst if self._fixed_burst is not None else (rate or 0.0) * BURST_SECONDS
        self._tokens = min(self._tokens, self._burst)

    def _refill(self, *, late: bool = False) -> None:
        """Tokens for the time since the last refill: up to the burst after an idle time, up to
        :data:`LATE_CREDIT` after a writer's own wait (``late``: it was woken after its time)."""
        now = time.monotonic()
        if self._rate is not None:
            ceiling = max(self._burst, self._rate * LATE_CREDIT) if late else self._burst
            # credit already owed stays; idle time adds to it only up to the burst
            self._tokens = min(max(ceiling, self._tokens), self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now

    async def acquire(self, amount: int) -> None:
        """Take ``amount`` bytes' worth of tokens, waiting while the bucket is in debt."""
        if self._rate is None:
            return
        async with self._lock:  # one writer at a time pays its debt: fair and exact
            self._refill()
            self._tokens -= amount
            while self._tokens < 0 and self._rate is not None:
                await asyncio.sleep(-self._tokens / self._rate)
                self._refill(late=True)
