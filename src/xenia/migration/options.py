"""What a caller can ask of a migration: cap, downtime target, timeout and its policy, cancel."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field

from xenia.migration.limiter import TokenBucket
from xenia.migration.progress import ProgressCallback

__all__ = ["DEFAULT_DOWNTIME", "CancelToken", "MigrationOptions", "TimeoutPolicy"]

#: QEMU's default downtime target (``downtime-limit`` 300 ms).
DEFAULT_DOWNTIME = 0.3


class TimeoutPolicy(enum.Enum):
    """What to do when the total timeout passes during pre-copy."""

    CANCEL = "cancel"  #: give up; the VM keeps running on the source
    FORCE = "force"  #: pause now and send what is left (longer downtime, but it finishes)


class CancelToken:
    """Lets another task cancel a migration; refused once the switch-over began.

    :meth:`cancel` returns whether the cancel was accepted. XenAPI's ``task.cancel`` calls it.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._closed = False

    def cancel(self) -> bool:
        if self._closed:
            return False
        self._event.set()
        return True

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def close(self) -> None:
        """Called by the library when the switch-over begins: no cancel is possible after."""
        self._closed = True

    async def wait(self) -> None:
        await self._event.wait()


@dataclass
class MigrationOptions:
    """Options of :func:`xenia.migration.migrate` (and save/restore, which take the same).

    :param bandwidth: bytes per second for this stream, or None for no cap.
    :param limiter: a shared :class:`TokenBucket` (overrides ``bandwidth``; lets streams share a cap).
    :param downtime: the target pause length in seconds; the switch-over starts once the
        remaining dirty memory can be sent within it.
    :param timeout: total seconds, or None.
    :param on_timeout: what the timeout does during pre-copy (after it, nothing can be undone).
    :param progress: the callback.
    :param cancel: a token another task may use to cancel.
    :param max_iterations: pre-copy passes before the switch-over is forced anyway
        (QEMU keeps iterating; xenia bounds it so a guest dirtying faster than the link still moves).
    :param compress: a live migration's memory goes zstd-compressed (xapi's ``compress``); the
        cap counts the compressed bytes, those on the wire.
    """

    bandwidth: float | None = None
    limiter: TokenBucket | None = None
    downtime: float = DEFAULT_DOWNTIME
    timeout: float | None = None
    on_timeout: TimeoutPolicy = TimeoutPolicy.CANCEL
    progress: ProgressCallback | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    max_iterations: int = 30
    compress: bool = False

    def bucket(self) -> TokenBucket:
        return self.limiter if self.limiter is not None else TokenBucket(self.bandwidth)
