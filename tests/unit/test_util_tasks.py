"""``cancel_and_wait``: a stopped task has unwound when it returns, its outcome is dropped, and a
cancellation of the caller still reaches the caller."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from xenia.util.tasks import cancel_and_wait


def test_waits_until_the_task_has_unwound() -> None:
    unwound: list[str] = []

    async def pump() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(0.01)  # cleanup that takes a few turns of the loop
            unwound.append("pump")

    async def main() -> None:
        task = asyncio.create_task(pump())
        await asyncio.sleep(0)
        await cancel_and_wait(task)
        assert unwound == ["pump"] and task.cancelled()
        await cancel_and_wait(task)  # a finished task: nothing to do
        await cancel_and_wait(None)

    asyncio.run(main())


def test_a_failure_while_unwinding_is_dropped_and_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def pump() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            raise OSError("broken pipe while closing") from None

    async def main() -> None:
        task = asyncio.create_task(pump())
        await asyncio.sleep(0)
        await cancel_and_wait(task)
        assert isinstance(task.exception(), OSError)

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        asyncio.run(main())
        gc.collect()
    assert "never retrieved" not in caplog.text


def test_the_callers_own_cancellation_propagates() -> None:
    """suppress(BaseException) around the await would swallow this one."""

    async def slow_to_stop() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(0.2)

    async def cleanup(task: asyncio.Task[None], after: list[str]) -> None:
        await cancel_and_wait(task)
        after.append("ran on")

    async def main() -> None:
        after: list[str] = []
        task = asyncio.create_task(slow_to_stop())
        await asyncio.sleep(0)
        caller = asyncio.create_task(cleanup(task, after))
        await asyncio.sleep(0.05)  # the caller now waits for the task's slow finally
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        assert after == []
        await asyncio.wait((task,))

    asyncio.run(main())
