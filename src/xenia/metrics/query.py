"""The cooked query: reductions over a window, for many objects and sources in one call.

Seed 001 asked for "the thirty-second load average for the following list of stats", computed on
the host. One query gathers the (objects x sources) columns it needs from the bank in one numpy
indexing step per storage block and reduces each along time, so the cost is O(objects x sources)
in numpy, not a Python loop per object. Windows the raw ring still holds (10 minutes at the
default tick, and any window while the ring holds all the bank's history: :meth:`Bank.raw_span`)
are reduced over the raw per-tick rates, whole ticks; longer ones over the finest archive that
covers them (AVERAGE rows for ``average`` and ``p95``; MIN and MAX rows where the archive has
them).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from xenia.metrics.rrd import Bank, Cf

__all__ = ["REDUCTIONS", "reduce_window"]

REDUCTIONS = ("average", "min", "max", "p95", "last")


def _percentile(m: np.ndarray, q: float) -> np.ndarray:
    """``np.nanpercentile(m, q, axis=0)`` (linear interpolation) without its loop per column:
    one sort puts each column's NaNs last, and the known counts give the positions."""
    s = np.sort(m, axis=0)
    known = (~np.isnan(m)).sum(axis=0)
    pos = (np.maximum(known, 1) - 1) * (q / 100.0)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(known - 1, 0))
    cols = np.arange(m.shape[1])
    frac = pos - lo
    out = s[lo, cols] * (1 - frac) + s[hi, cols] * frac
    out[known == 0] = np.nan
    return out  # type: ignore[no-any-return]


def _reduce(m: np.ndarray, how: str) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns reduce to NaN
        if m.shape[0] == 0:
            return np.full(m.shape[1], np.nan)
        if how == "average":
            return np.nanmean(m, axis=0)  # type: ignore[no-any-return]
        if how == "min":
            return np.nanmin(m, axis=0)  # type: ignore[no-any-return]
        if how == "max":
            return np.nanmax(m, axis=0)  # type: ignore[no-any-return]
        if how == "p95":
            return _percentile(m, 95.0)
        # last: the newest known value of each column
        known = ~np.isnan(m)
        pos = m.shape[0] - 1 - np.argmax(known[::-1], axis=0)
        out = m[pos, np.arange(m.shape[1])]
        out[~known.any(axis=0)] = np.nan
        return out  # type: ignore[no-any-return]


def reduce_window(bank: Bank, idx: np.ndarray, window: float, reductions: Sequence[str]) -> dict[str, np.ndarray]:
    """Each reduction over the last ``window`` seconds of the DSs ``idx`` (-1: no such DS -> NaN)."""
    valid = idx >= 0
    cols = idx[valid]
    out: dict[str, np.ndarray] = {}
    if bank.last_updated is None:
        return {r: np.full(len(idx), np.nan) for r in reductions}
    if window <= bank.raw_span() or window <= 0:
        m = bank.raw_window(cols, bank.last_updated - window)
        matrices = dict.fromkeys(reductions, m)
    else:
        matrices = _archive_matrices(bank, cols, window, reductions)
    for r in reductions:
        full = np.full(len(idx), np.nan)
        full[valid] = _reduce(matrices[r], r)
        out[r] = full
    return out


def _archive_matrices(bank: Bank, cols: np.ndarray, window: float, reductions: Sequence[str]) -> dict[str, np.ndarray]:
    """The rows of the finest archive covering ``window``, per reduction's consolidation function."""
    spans = sorted({(a.period * a.rows, a.period, a.pdp_per_row) for a in bank.archives})
    span, period, per = next((s for s in spans if s[0] >= window), spans[-1])
    rows = max(1, math.ceil(window / period))
    want = {"min": Cf.MIN, "max": Cf.MAX}
    out: dict[str, np.ndarray] = {}
    average = next(ring for ring in bank.rings if ring.archive.pdp_per_row == per and ring.archive.cf is Cf.AVERAGE)
    for r in reductions:
        cf = want.get(r, Cf.AVERAGE)
        ring = next((ring for ring in bank.rings if ring.archive.pdp_per_row == per and ring.archive.cf is cf), None)
        if ring is None:
            ring = average
        m = ring.columns(cols, rows)
        plain = ~bank.minmax[cols]
        if ring is not average and plain.any():  # RRDs without MIN and MAX archives: their AVERAGE rows
            m[:, plain] = average.columns(cols[plain], rows)
        out[r] = m
    return out
