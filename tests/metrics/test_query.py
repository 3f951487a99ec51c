"""The cooked query's reductions over the raw ring and over the archives, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from xenia.metrics.query import reduce_window
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
