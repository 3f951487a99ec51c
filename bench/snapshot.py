#!/usr/bin/env python3
"""What a store snapshot at 10 000 domains costs the clients of the event loop, by the way it is written.

    python bench/snapshot.py                  # 10 000 domains of 35 nodes (350 000 nodes)
    python bench/snapshot.py --domains 2000

A workload runs on the event loop (one journaled write, then a yield to the loop, again and again: what a
busy store does) while the snapshot of the head is written, in turn:

- ``loop``: in the loop's own thread (:meth:`Journal.compact`; xenia before issue 12's background
  snapshots), so nothing else runs until it is done;
- ``thread``: by a thread of the same process (the file written by the same code), which holds the GIL
  against the loop in 5 ms slices;
- ``fork``: by a forked child (:meth:`Journal.compact_background`, what ``Journal.applied`` does).

Each line prints the snapshot's wall time, the writes per second the loop made meanwhile beside the same
workload alone, and the loop's longest stall (the longest time between two of its writes). The load
average is printed: on a shared machine the peer (the workload alone) is measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import threading
import time
from pathlib import Path

from xenia.store.engine import Engine
from xenia.store.perms import DEFAULT_PERMS, Perms
from xenia.store.persist import FORMAT, Journal

KEYS = [f"{d}/{k}" for d in ("device/vbd/768", "device/vif/0", "control", "data", "memory", "cpu/0", "cpu/1")
        for k in ("state", "backend", "a", "b")]  # fmt: skip


def domain_nodes(dom: int) -> list[tuple[str, bytes, Perms]]:
    """About 35 nodes, as a running sim VM's home holds."""
    home = f"/local/domain/{dom}"
    out: list[tuple[str, bytes, Perms]] = [(home, b"", DEFAULT_PERMS), (f"{home}/name", f"vm-{dom}".encode(), DEFAULT_PERMS)]
    seen = {home}
    for key in KEYS:
        parts = key.split("/")
        for i in range(1, len(parts)):
            path = f"{home}/{'/'.join(parts[:i])}"
            if path not in seen:
                seen.add(path)
                out.append((path, b"", DEFAULT_PERMS))
        out.append((f"{home}/{key}", b"4", DEFAULT_PERMS))
    return out


def build(domains: int) -> Engine:
    nodes: list[tuple[str, bytes, Perms]] = [("/", b"", DEFAULT_PERMS), ("/local", b"", DEFAULT_PERMS),
                                              ("/local/domain", b"", DEFAULT_PERMS)]  # fmt: skip
    for dom in range(1, domains + 1):
        nodes += domain_nodes(dom)
    e = Engine()
    e.restore(1, nodes, {})
    return e


async def workload(e: Engine, running: threading.Event | None, until: float | None) -> tuple[int, float, float, float]:
    """Writes with a yield after each, while ``running`` is set (or until ``until``): (writes, seconds,
    longest gap between two, this process's CPU seconds meanwhile, every thread)."""
    s = e.open_session(lambda p, t: None)
    n, gap, start, cpu = 0, 0.0, time.perf_counter(), time.process_time()
    last = start
    while (running.is_set() if running is not None else time.perf_counter() < (until or 0)):
        e.request(s, "write", f"/local/domain/{1 + n % 100}/data/a", str(n).encode())
        n += 1
        await asyncio.sleep(0)
        now = time.perf_counter()
        gap, last = max(gap, now - last), now
    return n, last - start, gap, time.process_time() - cpu


def in_thread(journal: Journal, e: Engine, running: threading.Event) -> None:
    """The head's snapshot written by a thread (the file :meth:`Journal.compact` writes); clears ``running``."""
    seq = e.head.seq
    head = {"format": FORMAT, "seq": seq, "time": e.head.time, "state": e.state()}
    tree = e.head.root.tree

    def write() -> None:
        journal._write_file(seq, head, tree)
        running.clear()

    threading.Thread(target=write).start()


async def child_ended(journal: Journal, running: threading.Event) -> None:
    """Clears ``running`` once the journal has noticed its child's end."""
    while journal._pending is not None:
        await asyncio.sleep(0.001)
    running.clear()


async def run(args: argparse.Namespace) -> None:
    e = build(args.domains)
    nodes = len(e.snapshot())
    with tempfile.TemporaryDirectory(prefix="xenia-snapbench") as tmp:
        journal = Journal(Path(tmp), compact_after=1 << 40)
        journal.load(e)  # an empty directory: the first snapshot, in the foreground
        gc.collect()
        gc.freeze()  # as xenia serve does after a long collection (util/gcfreeze.py): no full pass over the tree
        print(f"{args.domains} domains, {nodes} nodes; load average {os.getloadavg()[0]:.2f}")
        for _ in range(args.rounds):
            for mode in ("loop", "thread", "fork"):
                running = threading.Event()
                running.set()
                t0 = time.perf_counter()
                if mode == "loop":
                    t0 = time.perf_counter()
                    journal.compact(e)
                    wall = time.perf_counter() - t0
                    await asyncio.sleep(0)
                    during, secs, gap, cpu = 0, wall, wall, wall
                else:
                    if mode == "thread":
                        in_thread(journal, e, running)
                    else:
                        journal.compact_background(e)
                        watcher = asyncio.ensure_future(child_ended(journal, running))
                    during, secs, gap, cpu = await workload(e, running, None)
                    wall = time.perf_counter() - t0
                    if mode == "fork":
                        await watcher
                alone, alone_secs, alone_gap, alone_cpu = await workload(e, None, time.perf_counter() + max(wall, 0.5))
                rate = during / secs if secs else 0.0
                # the process's CPU beyond what its writes cost alone: the snapshot's share of this process
                extra = cpu - during * alone_cpu / alone
                print(f"{mode:>6}: snapshot {wall * 1000:5.0f} ms, its CPU in this process {extra * 1000:5.0f} ms | "
                      f"loop writes/s meanwhile {rate:5.0f}, alone {alone / alone_secs:5.0f} "
                      f"({rate / (alone / alone_secs):4.2f}x) | longest stall {gap * 1000:5.1f} ms (alone "
                      f"{alone_gap * 1000:4.1f} ms) | load {os.getloadavg()[0]:.2f}")  # fmt: skip
        journal.close(e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--domains", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
