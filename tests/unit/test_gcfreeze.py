"""A slow full collection moves its survivors out of later full passes (``gc.freeze``); young
collections and the callback's removal leave the collector as it was; the daemon's settings collect
the young generation less often than CPython's default and are put back when it stops."""

from __future__ import annotations

import asyncio
import gc

from xenia.util.gcfreeze import YOUNG, freeze_after_slow_full_passes, tune_collector


def test_a_slow_full_pass_freezes_its_survivors_and_young_passes_do_not() -> None:
    async def scenario() -> tuple[int, int, int]:
        loop = asyncio.get_running_loop()
        unwatch = freeze_after_slow_full_passes(loop, slow=0.0)  # every full pass counts as slow
        try:
            gc.collect(0)
            await asyncio.sleep(0)
            after_young = gc.get_freeze_count()
            survivor = [object() for _ in range(100)]  # tracked: a list
            gc.collect(2)
            await asyncio.sleep(0)  # the freeze runs on the loop, after the collection
            after_full = gc.get_freeze_count()
            del survivor
        finally:
            unwatch()
        gc.collect(2)
        await asyncio.sleep(0)
        return after_young, after_full, gc.get_freeze_count()

    gc.unfreeze()
    try:
        young, full, removed = asyncio.run(scenario())
    finally:
        gc.unfreeze()
    assert young == 0
    assert full > 0
    assert removed <= full  # removed: the later full pass froze nothing more (freed ones leave)


def test_the_daemon_s_settings_collect_the_young_generation_less_often_and_are_put_back() -> None:
    before = gc.get_threshold()

    async def scenario() -> tuple[int, int, int]:
        undo = tune_collector(asyncio.get_running_loop())
        try:
            return gc.get_threshold()
        finally:
            undo()

    during = asyncio.run(scenario())
    assert during == (YOUNG, before[1], before[2])
    assert YOUNG > 700  # CPython's default: the point of the setting
    assert gc.get_threshold() == before
