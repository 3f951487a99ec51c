"""Stopping a helper task: cancel it and wait until it has unwound.

Cleanup code (a migration's close, a stream's finally block) stops the tasks it started and must not
go on while they still run: a pump cancelled but not awaited may still write to a socket the caller is
about to close. Their own outcome no longer matters then (cancelled, or failed while unwinding). Written
once here because the obvious spelling, ``task.cancel()`` then ``await`` under
``suppress(BaseException)``, also swallows a cancellation of the *caller* that arrives while it waits,
and the caller then runs on as if nothing had asked it to stop. :func:`asyncio.wait` does not raise the
awaited task's outcome, so only the caller's own cancellation propagates.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["cancel_and_wait"]


async def cancel_and_wait(task: asyncio.Future[Any] | None) -> None:
    """Cancel ``task`` (if not done) and wait for it to finish; its result or error is dropped.

    A cancellation of the caller while it waits propagates as usual.
    """
    if task is None:
        return
    task.cancel()
    await asyncio.wait((task,))
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved
