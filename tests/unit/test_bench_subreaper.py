"""bench/_common.py's Subreaper: orphans are reaped at once, children the benchmark started keep their status.

A benchmark runs as a child subreaper so that a peer's double-forked processes
are reaped as on a normal host (see bench/qemu.py).  The reaper must not take
the exit status of a child the benchmark started itself, however it started it:
``subprocess.Popen`` (before or inside the ``with``), asyncio's subprocesses,
``multiprocessing`` and a bare ``os.fork``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import time
from pathlib import Path

from tests.unit.bench_module import load_bench

common = load_bench("_common")


def gone(pid: int, deadline: float = 10.0) -> bool:
    """Whether ``pid`` disappears from /proc (a zombie stays listed until it is reaped)."""
    end = time.monotonic() + deadline
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > end:
            return False
        time.sleep(0.005)
    return True


def exit_with(code: int) -> None:
    os._exit(code)


async def asyncio_child_status() -> int | None:
    proc = await asyncio.create_subprocess_exec("sh", "-c", "sleep 0.05; exit 5")
    await asyncio.sleep(0.15)  # a zombie while the reaper looks
    return await proc.wait()


def test_orphan_is_reaped_and_own_children_keep_their_status() -> None:
    before = subprocess.Popen(["sh", "-c", "sleep 0.1; exit 6"])  # started before the reaper existed
    with common.Subreaper() as reaper:
        # a double fork: sh prints its background child's pid and exits, the child is orphaned to us
        parent = subprocess.Popen(
            ["sh", "-c", "sleep 0.1 </dev/null >/dev/null 2>&1 & echo $!"], stdout=subprocess.PIPE
        )
        assert parent.stdout is not None
        orphan = int(parent.stdout.readline())
        assert parent.wait() == 0

        popen = subprocess.Popen(["sh", "-c", "exit 7"])
        ctx = multiprocessing.get_context("fork")
        process = ctx.Process(target=exit_with, args=(3,))
        process.start()
        forked = os.fork()
        if forked == 0:
            os._exit(9)

        assert gone(orphan), "the orphan was not reaped"
        time.sleep(0.15)  # every other child is now a zombie the reaper has looked at many times
        assert popen.wait() == 7
        assert before.wait() == 6
        process.join()
        assert process.exitcode == 3
        assert os.waitstatus_to_exitcode(os.waitpid(forked, 0)[1]) == 9
        assert asyncio.run(asyncio_child_status()) == 5
        assert reaper.reaped == 1
        assert len(reaper.waited) == 1
    assert "reaped 1 orphaned" in reaper.summary()
    assert os.fork is not None and subprocess.Popen(["true"]).wait() == 0  # launches unwrapped again still work
