"""Keep the cyclic collector's full passes short as the daemon grows.

CPython runs a full (generation 2) collection whenever the objects that survived earlier passes have
grown by a quarter since the last one. Filling a daemon with 10 000 running VMs so triggers a dozen
full passes, each walking every long-lived object (db records, store nodes, RRD banks): the last ones
took 1.0-1.2 s, holding the event loop, and a client's call waited that long (issue 12: the getter
beside ``get_all_records`` had a maximum of 1.0-1.6 s while its p99 was 10 ms; measured with a
``gc.callbacks`` probe, the stall and the last full pass coincide).

After a full pass that took long (:data:`SLOW`), what survived it is moved to the permanent
generation (``gc.freeze``), as ``xenia serve`` already does with what start-up loaded: later full
passes walk only what was made since. The cost is the one ``gc.freeze`` always has: a cycle of frozen
objects that later becomes garbage is not collected. The daemon's long-lived objects (records, store
nodes, banks) hold no cycles; short-lived ones (tasks, futures, requests) die in the young generations
before a full pass sees them. Small daemons (tests, a few hundred VMs) never have a slow full pass and
are unaffected.

The youngest generation is collected every :data:`YOUNG` net allocations instead of CPython's 700.
Each young pass visits what its survivors refer to; at 10 000 running VMs those are persistent maps of
10 000 entries whose nodes lie all over a 360 MB heap, and a pass cost 0.3-0.6 ms against 0.2-0.3 at
10 VMs, some 75 of them per 500 starts. With 5 000, the objects of a call that ends before the next
pass are never visited at all: the collector's time per 500 starts went from 175 to 98 ms at 10 000
running VMs and from 92 to 61 ms at 10 (four rounds each, ``gc.callbacks`` timing; issue 12). The
passes are longer: young ones up to 28-39 ms, middle ones up to 75-82 ms at 10 000, where the
longest before were full passes of up to 150 ms.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from typing import Any

__all__ = ["SLOW", "YOUNG", "freeze_after_slow_full_passes", "tune_collector"]

#: seconds a full collection may take before its survivors are frozen
SLOW = 0.1
#: net allocations of tracked objects between two passes over the youngest generation (CPython: 700)
YOUNG = 5_000


def tune_collector(loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
    """The daemon's collector settings (module docstring): :data:`YOUNG` and the freeze after slow full
    passes. Returns the function that puts back what was there (a daemon in a thread stops)."""
    previous = gc.get_threshold()
    gc.set_threshold(YOUNG, previous[1], previous[2])
    unwatch = freeze_after_slow_full_passes(loop)

    def undo() -> None:
        unwatch()
        gc.set_threshold(*previous)

    return undo


def freeze_after_slow_full_passes(loop: asyncio.AbstractEventLoop, slow: float = SLOW) -> Callable[[], None]:
    """Install the collector callback; the freeze itself runs on ``loop``, outside the collection.
    Returns the function that removes it (a daemon in a thread, as the test double runs it, stops)."""
    started = 0.0

    def watch(phase: str, info: dict[str, Any]) -> None:
        nonlocal started
        if info.get("generation") != 2:
            return
        if phase == "start":
            started = time.perf_counter()
        elif time.perf_counter() - started >= slow and not loop.is_closed():
            loop.call_soon_threadsafe(gc.freeze)

    gc.callbacks.append(watch)
    return lambda: gc.callbacks.remove(watch)
