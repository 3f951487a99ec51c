"""Snapshots written by a forked child while the engine goes on (issue 12): whatever the child does --
never finishing, failing, or the daemon killed meanwhile -- no committed record is lost, the logs chain
from the snapshot before, and pruning waits for the new snapshot to be on disk.

A child that never finishes: ``snapshot-<seq>.tmp`` made a FIFO beforehand, so the child's ``open``
blocks until a reader comes; the reader then hangs up, and the child's write (or fsync) fails.
"""

from __future__ import annotations

import asyncio
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from xenia.store.engine import Engine
from xenia.store.persist import Journal

from .test_replay import fingerprint


def names(directory: Path, pattern: str) -> list[str]:
    return sorted((p.name for p in directory.glob(pattern)), key=lambda n: (int(n.split("-")[1].split(".")[0]), n))


def write(e: Engine, first: int, last: int) -> None:
    s = e.open_session(lambda p, t: None)
    for i in range(first, last + 1):
        e.request(s, "write", f"/local/domain/{i % 17}/k{i}", str(i).encode())


def unblock(fifo: Path) -> None:
    """Let the child opening ``fifo`` for writing go on, with nobody left reading: its write (or its
    fsync) fails.  The reader stays until the child is there: one that came and went before the child
    reached its ``open`` (a loaded machine) left it blocked for good, and ``settle`` with it."""
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        for _ in range(6000):  # a bound against hanging (30 s), not a measurement
            try:
                if os.read(fd, 1 << 16):
                    return  # it has written: it is there
            except BlockingIOError:
                return  # a writer holds the FIFO open, nothing written yet
            time.sleep(0.005)  # end of file: no writer yet
        raise AssertionError("the snapshot's child never opened its file")
    finally:
        os.close(fd)


def test_a_snapshot_that_never_finishes_or_fails_loses_nothing_and_the_logs_chain(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live = tmp_path / "live"
    e = Engine()
    journal = Journal(live, compact_after=50, keep_segments=1)
    journal.load(e)
    fifo = live / "snapshot-50.tmp"
    os.mkfifo(fifo)
    write(e, 1, 80)  # commit 50 starts the snapshot; its child waits on the FIFO; 51..80 go on
    assert names(live, "snapshot-*.json") == ["snapshot-0.json"]
    assert names(live, "journal-*.log") == ["journal-0.log", "journal-50.log"]  # switched at once

    # the daemon SIGKILLed now: its files, with the child's partial file
    killed = tmp_path / "killed"
    shutil.copytree(live, killed, ignore=shutil.ignore_patterns("*.tmp"))
    (killed / "snapshot-50.tmp").write_bytes(b'{"format":3,"seq":50,"nodes":[0,"",0,')
    loaded = Engine()
    Journal(killed).load(loaded)  # snapshot-0 + journal-0.log (ends at 50) + journal-50.log
    assert fingerprint(loaded) == fingerprint(e)
    assert [c.seq for c in loaded.history.commits()] == list(range(81))
    assert not list(killed.glob("*.tmp"))

    # the child fails: a warning, its .tmp deleted, nothing pruned, the chain kept
    unblock(fifo)
    with caplog.at_level(logging.WARNING, logger="xenia.store.persist"):
        journal.settle()
    assert "the snapshot at commit 50 failed" in caplog.text
    assert not fifo.exists()
    assert names(live, "*") == ["journal-0.log", "snapshot-0.json", "journal-50.log"]

    # the next snapshot succeeds (50 records after the switch); with one older kept, nothing to prune yet
    write(e, 81, 120)
    journal.settle()
    assert names(live, "*") == ["journal-0.log", "snapshot-0.json", "journal-50.log", "journal-100.log",
                                "snapshot-100.json"]  # fmt: skip
    whole = Engine()
    Journal(live).load(whole)  # the older logs are small: replayed at start
    deferred = Engine()
    later = Journal(live, defer_bytes=0)
    later.load(deferred)  # snapshot-100 now; snapshot-0, journal-0 and journal-50 for the history later
    assert fingerprint(whole) == fingerprint(deferred) == fingerprint(e)
    assert [c.seq for c in deferred.history.commits()] == list(range(100, 121))
    for _ in later.older_history(deferred):
        pass
    assert [c.seq for c in deferred.history.commits()] == [c.seq for c in whole.history.commits()]
    assert [c.seq for c in whole.history.commits()] == list(range(121))

    # the snapshot after: snapshot-0 and the two logs of its chain go, once snapshot-150 is on disk
    write(e, 121, 160)
    journal.settle()
    assert names(live, "*") == ["journal-100.log", "snapshot-100.json", "journal-150.log", "snapshot-150.json"]
    journal.close(e)
    again = Engine()
    Journal(live).load(again)
    assert fingerprint(again) == fingerprint(e)
    assert names(live, "snapshot-*.json")[-1] == "snapshot-160.json"  # a clean stop ends with a snapshot


def test_a_clean_stop_during_a_snapshot_that_never_ends_ends_with_a_complete_snapshot(tmp_path: Path) -> None:
    e = Engine()
    journal = Journal(tmp_path, compact_after=20)
    journal.load(e)
    os.mkfifo(tmp_path / "snapshot-20.tmp")
    write(e, 1, 20)  # no record after the switch: close must still write a snapshot at 20
    journal.close(e)  # gives the child up (it would wait for a reader forever)
    assert names(tmp_path, "*") == ["journal-0.log", "snapshot-0.json", "journal-20.log", "snapshot-20.json"]
    loaded = Engine()
    Journal(tmp_path, defer_bytes=0).load(loaded)
    assert fingerprint(loaded) == fingerprint(e) and loaded.history.commits()[0].seq == 20


def test_on_a_running_loop_the_end_of_the_child_is_noticed_without_another_commit(tmp_path: Path) -> None:
    """Pruning (which follows the child's end) happens while the engine is idle: the loop watches a pidfd."""
    e = Engine()
    journal = Journal(tmp_path, compact_after=30, keep_segments=1)
    journal.load(e)

    async def fill_then_idle() -> None:
        write(e, 1, 30)
        journal.settle()  # snapshot-30 written
        write(e, 31, 60)  # snapshot-60 started by the last commit: nothing but the loop sees its end
        for _ in range(1200):  # a bound against hanging, not a measurement
            if not (tmp_path / "snapshot-0.json").exists():
                return
            await asyncio.sleep(0.05)

    asyncio.run(fill_then_idle())
    assert names(tmp_path, "*") == ["journal-30.log", "snapshot-30.json", "journal-60.log", "snapshot-60.json"]
    loaded = Engine()
    Journal(tmp_path).load(loaded)
    assert fingerprint(loaded) == fingerprint(e)


def test_the_child_dies_with_the_daemon(tmp_path: Path) -> None:
    """A daemon SIGKILLed while its child waits forever: the child does not outlive it (PR_SET_PDEATHSIG)."""
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from xenia.store.engine import Engine
        from xenia.store.persist import Journal
        d = Path({str(tmp_path)!r})
        e = Engine()
        journal = Journal(d, compact_after=5)
        journal.load(e)
        os.mkfifo(d / "snapshot-5.tmp")
        s = e.open_session(lambda p, t: None)
        for i in range(5):
            e.request(s, "write", f"/k{{i}}", b"")
        print("ready", flush=True)
        sys.stdin.read()
    """)
    daemon = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert daemon.stdout is not None and daemon.stdin is not None
    try:
        assert daemon.stdout.readline() == b"ready\n"
        children = Path(f"/proc/{daemon.pid}/task/{daemon.pid}/children").read_text().split()
        assert len(children) == 1
        child = os.pidfd_open(int(children[0]))
    finally:
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        daemon.stdin.close()
        daemon.stdout.close()
    try:
        readable, _, _ = select.select([child], [], [], 120)  # readable once the process has ended
        assert readable == [child]
    finally:
        os.close(child)
    assert names(tmp_path, "*") == ["journal-0.log", "snapshot-0.json", "journal-5.log", "snapshot-5.tmp"]
