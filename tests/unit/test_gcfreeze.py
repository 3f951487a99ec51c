"""A slow full collection moves its survivors out of later full passes (``gc.freeze``); young
collections and the callback's removal leave the collector as it was."""

from __future__ import annotations

import asyncio
import gc

from xenia.util.gcfreeze import freeze_after_slow_full_passes


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
