"""The simulator's virtual clock."""

from __future__ import annotations

import asyncio

import pytest

from xenia.drivers.sim import RealClock, VirtualClock


def test_callbacks_run_in_due_order_seeing_their_due_time() -> None:
    clock = VirtualClock(start=100.0)
    seen: list[tuple[str, float]] = []
    clock.call_later(5, lambda: seen.append(("b", clock.now())))
    clock.call_later(1, lambda: seen.append(("a", clock.now())))
    clock.call_later(5, lambda: seen.append(("c", clock.now())))
    clock.advance(4)
    assert seen == [("a", 101.0)] and clock.now() == 104.0
    clock.advance(10)
    assert seen == [("a", 101.0), ("b", 105.0), ("c", 105.0)] and clock.now() == 114.0


def test_cancelled_callbacks_do_not_run() -> None:
    clock = VirtualClock()
    seen: list[int] = []
    handle = clock.call_later(1, lambda: seen.append(1))
    assert clock.pending() == 1
    handle.cancel()
    clock.advance(2)
    assert seen == [] and clock.pending() == 0


def test_time_cannot_go_backwards() -> None:
    with pytest.raises(ValueError):
        VirtualClock().advance(-1)


@pytest.mark.asyncio
async def test_sleep_waits_for_advance() -> None:
    clock = VirtualClock()
    task = asyncio.create_task(clock.sleep(30))
    await asyncio.sleep(0)
    await clock.run_for(29)
    assert not task.done()
    await clock.run_for(1)
    assert task.done()


@pytest.mark.asyncio
async def test_real_clock_schedules_on_the_loop() -> None:
    clock = RealClock()
    fired = asyncio.Event()
    clock.call_later(0, fired.set)
    await asyncio.wait_for(fired.wait(), 5)
    await clock.sleep(0)
    assert clock.now() > 1_000_000_000
