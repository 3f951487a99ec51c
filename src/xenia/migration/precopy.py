"""Pre-copy over a page model: send everything, then what was dirtied meanwhile, until the rest fits.

Used by the simulator's adapter (:mod:`.sim`); QEMU runs its own pre-copy inside its migration
stream. The stop rule is QEMU's: switch over once the dirty memory left could be sent within the
downtime target at the rate achieved so far (or when ``run.force`` or the iteration bound says so).
"""

from __future__ import annotations

import time

from xenia.migration.live import Run
from xenia.migration.memory import SimMemory
from xenia.migration.stream import FrameWriter, Kind

__all__ = ["BATCH_PAGES", "precopy", "send_pages"]

#: Pages per DATA frame at most (256 KiB of 4 KiB pages).
BATCH_PAGES = 64
#: Under a cap, a frame holds at most this many seconds of the stream, so a cancel is seen that soon.
FRAME_SECONDS = 0.05


async def send_pages(mem: SimMemory, pages: list[int], out: FrameWriter, run: Run, *, check: bool = True) -> None:
    """Send ``pages`` in DATA frames, accounting progress."""
    record = mem.page_size + 4
    rate = out.limiter.rate
    step = BATCH_PAGES if rate is None else max(1, min(BATCH_PAGES, int(rate * FRAME_SECONDS) // record))
    for start in range(0, len(pages), step):
        if check:
            run.check()
        batch = pages[start : start + step]
        sent = await out.send(Kind.DATA, mem.encode(batch))
        left = len(pages) - start - len(batch)
        run.sent(sent, (left + mem.dirty_count()) * record)


async def precopy(mem: SimMemory, out: FrameWriter, run: Run) -> None:
    """Iterate until the rest fits the downtime target; the last dirty pages stay for the switch-over."""
    record = mem.page_size + 4
    pages = mem.all_pages()
    iteration = 1
    while True:
        run.meter.iteration = iteration
        began, before = time.monotonic(), out.bytes_written
        await send_pages(mem, pages, out, run)
        elapsed = max(time.monotonic() - began, 1e-6)
        rate = (out.bytes_written - before) / elapsed
        dirty = mem.dirty_count()
        run.meter.dirty_rate = dirty * mem.page_size / elapsed
        run.meter.expected_downtime = dirty * record / rate if rate > 0 else 0.0
        run.meter.report(force=True)
        if run.meter.expected_downtime <= run.options.downtime or run.force:
            return
        if iteration >= run.options.max_iterations:
            return
        run.check()
        pages = mem.take_dirty()
        iteration += 1
