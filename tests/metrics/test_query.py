"""The cooked query's reductions over the raw ring and over the archives, by hand."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest

from xenia.metrics import persist
from xenia.metrics.query import reduce_window
from xenia.metrics.registry import Registry
from xenia.metrics.rrd import Bank, DsDef, DsType

T0 = 86_400.0 * 10
GAUGE = DsDef("g", DsType.GAUGE, "")


def test_raw_window_reductions() -> None:
    bank = Bank()
    idx = bank.allocate([GAUGE, GAUGE])
    for i in range(20):  # values 0..19 and 100 - i, one per second
        bank.update(T0 + i, idx, np.array([float(i), 100.0 - i]))
    # the last 10 s: updates at +10 .. +19
    got = reduce_window(bank, np.array([idx[0], -1, idx[1]]), 9.5, ["average", "min", "max", "p95", "last"])
    assert got["average"][0] == pytest.approx(sum(range(10, 20)) / 10)
    assert got["min"][0] == 10 and got["max"][0] == 19 and got["last"][0] == 19
    assert got["p95"][0] == pytest.approx(np.percentile(np.arange(10, 20), 95))
    assert got["average"][2] == pytest.approx(100 - 14.5)
    assert all(math.isnan(got[r][1]) for r in got)  # -1: no such source


def test_p95_matches_numpys_with_unknowns() -> None:
    bank = Bank()
    idx = bank.allocate([GAUGE] * 3)
    rng = np.random.default_rng(7)
    for i in range(30):
        row = rng.random(3) * 100
        row[0] = np.nan if i % 3 == 0 else row[0]
        row[2] = np.nan  # never known
        bank.update(T0 + i, idx, row)
    window = bank.raw_window(idx, T0 + 29 - 24.5)  # the rows the query below reduces
    got = reduce_window(bank, idx, 24.5, ["p95"])["p95"]
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.nanpercentile(window, 95, axis=0)
    assert got[:2] == pytest.approx(expected[:2]) and math.isnan(got[2])


def test_long_window_reads_the_archives() -> None:
    bank = Bank(raw_rows=4)  # a raw ring of 4 ticks: anything longer goes to the archives
    idx = bank.allocate([GAUGE])
    # 30 minutes at 5 s: each minute's 12 PDPs hold the minute's number (0..29)
    for i in range(0, 30 * 12 + 1):
        bank.update(T0 + 5 * i, idx, np.array([float((i - 1) // 12 if i else 0)]))
    got = reduce_window(bank, idx, 1800.0, ["average", "min", "max"])
    # the 1 min archive (2 h span) holds minutes 0..29; 30 rows reach back over all of them
    assert got["average"][0] == pytest.approx(sum(range(30)) / 30)
    assert got["min"][0] == 0 and got["max"][0] == 29


def test_long_window_min_max_of_sources_without_min_max_archives_read_their_averages() -> None:
    bank = Bank(raw_rows=4)
    idx = bank.allocate([GAUGE], minmax=False)
    for i in range(0, 30 * 12 + 1):
        bank.update(T0 + 5 * i, idx, np.array([float((i - 1) // 12 if i else 0)]))
    got = reduce_window(bank, idx, 1800.0, ["min", "max"])
    # no MIN or MAX archive: the extremes of the 1 min averages, minutes 0 and 29
    assert got["min"][0] == 0 and got["max"][0] == 29


COUNTER = DsDef("c", DsType.DERIVE, "")


def test_a_young_bank_reduces_short_windows_over_whole_ticks() -> None:
    """A window longer than the collection's age is still the raw ring's: the archives know no
    more. An SR's counter runs from the first tick; its one disk (1 000 B/s) appears at the third,
    its first rate at the fourth. Every tick's SR rate is the disk's, so the newest known values of
    both (``last``) agree; the 5 s archive's newest row would mix them with the SR's zero seconds
    before the disk was there (the SR's rate 0.6 of the disk's)."""
    bank = Bank()
    sr, disk = bank.allocate([COUNTER, COUNTER])
    for i in range(6):  # updates at +0 .. +5: the first 5 s PDP completes at +5
        counter = max(0, i - 2) * 1000.0
        bank.update(T0 + i, np.array([sr, disk]), np.array([counter, counter if i >= 2 else np.nan]))
    got = reduce_window(bank, np.array([sr, disk]), 4.5, ["last", "average"])
    assert got["last"].tolist() == [1000.0, 1000.0]
    # the rows of +1 .. +5: the SR's 0, 0, then three ticks at the disk's rate (which is unknown before)
    assert got["average"].tolist() == pytest.approx([600.0, 1000.0])


def test_a_restored_history_is_read_from_the_archives() -> None:
    """After a restore the raw ring holds only the ticks since: a window reaching back before them
    is the archives', where the restored rows are. 10 minutes of a gauge at 7, saved and restored;
    two ticks at 1 since: the last 5 minutes' 60 rows of 5 s are 58 restored 7s and two 1s."""
    old = Registry(Bank())
    obj = old.obtain("vm", "u")
    old.add_sources(obj, [GAUGE])
    for i in range(121):
        old.bank.update(T0 + 5 * i, obj.idx, np.array([7.0]))
    snap = persist.snapshot(old.bank, obj)
    assert snap is not None
    new = Registry(Bank())
    with tempfile.TemporaryDirectory() as root:
        persist.save(Path(root), "vm", "u", snap)
        assert persist.load_all(Path(root), new) == 1
    restored = new.get("vm", "u")
    assert restored is not None
    for i in (1, 2):
        new.bank.update(T0 + 600 + 5 * i, restored.idx, np.array([1.0]))
    assert reduce_window(new.bank, restored.idx, 300.0, ["average"])["average"][0] == pytest.approx((58 * 7 + 2) / 60)
    assert reduce_window(new.bank, restored.idx, 10.0, ["average"])["average"][0] == 1.0  # the raw ring's ticks
