"""The RRD engine against values computed by hand from xcp-rrdd's rules (``rrd.ml``).

Times are chosen on 5 s boundaries unless a test is about unaligned updates; a day starts at
86 400 so every archive's rows begin at a known instant.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from xenia.metrics.rrd import ARCHIVES, BLOCK, Bank, Cf, DsDef, DsType

T0 = 86_400.0  # a multiple of every archive's period (5 s, 60 s, 3600 s, 86 400 s)
NAN = math.nan

CPU = DsDef("cpu0", DsType.DERIVE, "(fraction)", max=1.0)
BYTES = DsDef("vif_0_rx", DsType.DERIVE, "B/s")
MEM = DsDef("memory", DsType.GAUGE, "B")
OPS = DsDef("ops", DsType.ABSOLUTE, "/s")


def feed(bank: Bank, idx: np.ndarray, points: list[tuple[float, list[float]]]) -> None:
    for t, values in points:
        bank.update(t, idx, np.array(values, dtype=float))


def newest(bank: Bank, idx: np.ndarray, rows: int, archive: int = 0) -> list[list[float]]:
    rows_: list[list[float]] = bank.rings[archive].columns(idx, rows).tolist()
    return rows_


def same(a: list[list[float]], b: list[list[float]]) -> bool:
    return bool(np.allclose(np.array(a), np.array(b), equal_nan=True))


def test_archives_are_xcp_rrdds_timescales() -> None:
    shape = [(a.cf.value, a.rows, a.pdp_per_row) for a in ARCHIVES]
    assert shape[0] == ("AVERAGE", 120, 1)
    for cf in ("AVERAGE", "MIN", "MAX"):
        assert (cf, 120, 12) in shape and (cf, 168, 720) in shape and (cf, 366, 17280) in shape


def test_gauge_derive_absolute_on_aligned_ticks() -> None:
    bank = Bank()
    idx = bank.allocate([MEM, BYTES, OPS])
    # memory 100 then 200 B; rx counter 0 -> 5000 -> 15000 B; 50 then 100 operations per tick
    feed(bank, idx, [(T0, [100, 0, 0]), (T0 + 5, [200, 5000, 50]), (T0 + 10, [300, 15000, 100])])
    assert same(newest(bank, idx, 2), [[200, 1000, 10], [300, 2000, 20]])


def test_unaligned_updates_are_spread_over_the_pdps_they_cover() -> None:
    bank = Bank()
    idx = bank.allocate([BYTES])
    # updates at +2, +7, +12: the counter grows 5 B per 5 s, i.e. 1 B/s throughout.  The PDP
    # ending at +5 knows 3 s (2 s before the first update are unknown) -> 3 B / 3 s = 1.0.
    feed(bank, idx, [(T0 + 2, [0]), (T0 + 7, [5]), (T0 + 12, [10]), (T0 + 17, [25])])
    # PDP ending at +10: 2 s at 1 B/s + 3 s at 1 B/s -> 1.0; PDP ending at +15: 2 s at 1 + 3 s at 3 -> 11/5
    assert same(newest(bank, idx, 3), [[1.0], [1.0], [11 / 5]])


def test_counter_reset_and_wrap_are_unknown_not_spikes() -> None:
    bank = Bank()
    idx = bank.allocate([BYTES, CPU])
    wrap = 2**32 - 100
    feed(
        bank,
        idx,
        [
            (T0, [100, 10.0]),
            (T0 + 5, [200, 12.5]),  # 20 B/s, cpu 0.5
            (T0 + 10, [50, 10.0]),  # the counters went backwards: a reset
            (T0 + 15, [150, 12.5]),  # 20 B/s, 0.5 again from the new start
            (T0 + 20, [wrap, 15.0]),
            (T0 + 25, [50, 17.5]),  # a 32-bit counter wrapped: backwards, unknown
        ],
    )
    assert same(newest(bank, idx, 5), [[20, 0.5], [NAN, NAN], [20, 0.5], [(wrap - 150) / 5, 0.5], [NAN, 0.5]])


def test_missed_ticks_fill_the_gap_with_the_mean_rate() -> None:
    bank = Bank()
    idx = bank.allocate([BYTES, MEM])
    # a 15 s gap: 3000 B arrived -> 200 B/s in each of the three PDPs, no 600 B/s spike
    feed(bank, idx, [(T0, [0, 7]), (T0 + 5, [1000, 7]), (T0 + 20, [4000, 9])])
    assert same(newest(bank, idx, 4), [[200, 7], [200, 9], [200, 9], [200, 9]])


def test_a_gap_longer_than_the_heartbeat_is_unknown() -> None:
    bank = Bank()
    idx = bank.allocate([BYTES, MEM])
    feed(bank, idx, [(T0, [0, 7]), (T0 + 5, [1000, 7]), (T0 + 315, [2000, 8]), (T0 + 320, [3000, 8])])
    rows = newest(bank, idx, 64)
    assert rows[0] == [200, 7]  # before the gap
    assert all(math.isnan(v) for row in rows[1:63] for v in row)  # the 310 s gap: 62 unknown PDPs
    assert rows[63] == [200, 8]  # known again one tick later


def test_cpu_derive_slightly_over_max_is_capped_far_over_is_unknown() -> None:
    bank = Bank()
    idx = bank.allocate([CPU])
    feed(bank, idx, [(T0, [0.0]), (T0 + 5, [5.15]), (T0 + 10, [11.15])])  # 1.03 then 1.2 s/s
    assert same(newest(bank, idx, 2), [[1.0], [NAN]])


def test_unknown_value_of_a_fed_source() -> None:
    bank = Bank()
    idx = bank.allocate([MEM, BYTES])
    feed(bank, idx, [(T0, [1, 0]), (T0 + 5, [2, 10]), (T0 + 10, [NAN, NAN]), (T0 + 15, [4, 30])])
    # the rx counter's NaN breaks the chain: the next rate has no previous value either
    assert same(newest(bank, idx, 3), [[2, 2], [NAN, NAN], [4, NAN]])


def _minute_of_gauges(values: list[float]) -> tuple[Bank, np.ndarray]:
    bank = Bank()
    idx = bank.allocate([MEM])
    feed(bank, idx, [(T0 + 5 * i, [v]) for i, v in enumerate(values)])
    return bank, idx


def test_one_minute_consolidation_average_min_max() -> None:
    # PDPs ending at T0+5 .. T0+60 hold 1..12 (the value at T0 only starts the series)
    bank, idx = _minute_of_gauges([0.0] + [float(v) for v in range(1, 13)] + [50.0])
    by_cf = {a.cf: i for i, a in enumerate(ARCHIVES) if a.pdp_per_row == 12}
    assert newest(bank, idx, 1, by_cf[Cf.AVERAGE]) == [[6.5]]
    assert newest(bank, idx, 1, by_cf[Cf.MIN]) == [[1.0]]
    assert newest(bank, idx, 1, by_cf[Cf.MAX]) == [[12.0]]
    assert bank.cdp_time(ARCHIVES[by_cf[Cf.AVERAGE]]) == T0 + 60


def test_consolidation_with_unknown_pdps_uses_the_known_ones() -> None:
    # PDPs 3 and 4 unknown: xff 1.0 keeps the CDP, averaging the 10 known values
    values = [0.0] + [float(v) for v in range(1, 13)] + [50.0]
    values[3] = values[4] = NAN
    bank, idx = _minute_of_gauges(values)
    known = [v for v in range(1, 13) if v not in (3, 4)]
    minute = {a.cf: i for i, a in enumerate(ARCHIVES) if a.pdp_per_row == 12}
    # kept as float32: 7.1 to float32 precision
    assert newest(bank, idx, 1, minute[Cf.AVERAGE])[0][0] == pytest.approx(sum(known) / len(known), rel=2**-24)
    assert newest(bank, idx, 1, minute[Cf.MIN]) == [[1.0]]
    assert newest(bank, idx, 1, minute[Cf.MAX]) == [[12.0]]


def test_a_cdp_of_only_unknown_pdps_is_unknown() -> None:
    bank, idx = _minute_of_gauges([0.0] + [NAN] * 12 + [1.0])
    minute = [i for i, a in enumerate(ARCHIVES) if a.pdp_per_row == 12]
    assert all(math.isnan(newest(bank, idx, 1, i)[0][0]) for i in minute)


def test_sources_added_later_start_empty_and_freed_indices_are_reused() -> None:
    bank = Bank()
    first = bank.allocate([MEM])
    feed(bank, first, [(T0, [1]), (T0 + 5, [2])])
    later = bank.allocate([MEM])
    both = np.concatenate([first, later])
    feed(bank, both, [(T0 + 10, [3, 30])])
    assert same(newest(bank, both, 2), [[2, NAN], [3, 30]])
    bank.free(later)
    again = bank.allocate([BYTES])
    assert again.tolist() == later.tolist()
    assert all(math.isnan(v) for v in bank.rings[0].column(int(again[0])))


def test_forget_drops_history() -> None:
    bank = Bank()
    idx = bank.allocate([MEM])
    feed(bank, idx, [(T0, [1]), (T0 + 5, [2]), (T0 + 10, [3])])
    bank.reset(idx)
    assert all(math.isnan(v) for ring in bank.rings for v in ring.column(int(idx[0])))


def test_time_going_backwards_is_ignored() -> None:
    bank = Bank()
    idx = bank.allocate([MEM])
    feed(bank, idx, [(T0, [1]), (T0 + 5, [2]), (T0 + 3, [99]), (T0 + 10, [3])])
    assert same(newest(bank, idx, 2), [[2], [3]])


def test_memory_is_constant_per_source_and_within_xcp_rrdds_sizing() -> None:
    bank = Bank()
    idx = bank.allocate([MEM] * BLOCK)
    values = np.ones(len(idx))
    # a year and a day of daily pairs of updates 5 s apart (every 5 s would take too long): each
    # pair puts a known value into every archive, so every tile (a day of 1 h rows, 24 days of
    # 1 day rows) is allocated in the first turn; the gaps between pairs leave unknown rows
    day = 86_400
    for t in range(0, 367 * day, day):
        bank.update(T0 + t, idx, values)
        bank.update(T0 + t + 5, idx, values)
    for ring in bank.rings:
        assert ring.store.nbytes() == ring.archive.rows * bank.capacity * 4
    per_ds = bank.nbytes() / bank.capacity
    assert per_ds == pytest.approx(bank.bytes_per_ds())
    assert per_ds <= 20 * 1024


def test_archives_cost_memory_only_for_the_rows_the_bank_has_reached() -> None:
    bank = Bank()
    idx = bank.allocate([MEM] * 10)
    feed(bank, idx, [(T0 + 5 * i, [float(i)] * 10) for i in range(721)])  # one hour of 5 s ticks
    rows = {(a.cf, a.pdp_per_row): len(bank.rings[i].store.tiles) for i, a in enumerate(ARCHIVES)}
    # the 5 s and 1 min archives are one tile each (they fill within hours); the 1 h archive has
    # one CDP, so one tile of 24 rows; the 1 day archive none yet
    assert rows[(Cf.AVERAGE, 1)] == 1 and rows[(Cf.AVERAGE, 12)] == 1
    assert rows[(Cf.MAX, 720)] == 1 and rows[(Cf.MAX, 17280)] == 0
    assert bank.rings[[a.pdp_per_row for a in ARCHIVES].index(720)].store.nbytes() == 24 * BLOCK * 4
    # unwritten rows read as unknown
    day_ring = [a.pdp_per_row for a in ARCHIVES].index(17280)
    assert np.isnan(bank.rings[day_ring].columns(idx, 366)).all()


def test_values_are_kept_to_float32_precision() -> None:
    bank = Bank()
    idx = bank.allocate([MEM, BYTES])
    big = 8 * 2**30 + 12_345  # 8 GiB and a bit: more digits than float32 holds
    feed(bank, idx, [(T0, [big, 0]), (T0 + 5, [big, 1.0]), (T0 + 10, [NAN, 2.0])])
    (row1, row2) = newest(bank, idx, 2)
    assert row1[0] == pytest.approx(big, rel=2**-24) and row1[0] != big
    assert row1[1] == pytest.approx(0.2, rel=2**-24)
    assert math.isnan(row2[0]) and row2[1] == pytest.approx(0.2, rel=2**-24)


def test_growing_past_a_block_keeps_every_source_updated() -> None:
    bank = Bank()
    first = bank.allocate([MEM] * (BLOCK // 2))
    second = bank.allocate([MEM] * BLOCK)  # 1.5 blocks in all: the bank grows to two whole ones
    idx = np.concatenate([first, second])
    feed(bank, idx, [(T0, [1.0] * len(idx)), (T0 + 5, [2.0] * len(idx))])
    assert bank.capacity % BLOCK == 0
    assert bank.latest(idx).tolist() == [2.0] * len(idx)


def test_raw_window_holds_per_update_rates() -> None:
    bank = Bank()
    idx = bank.allocate([BYTES, MEM])
    feed(bank, idx, [(T0 + i, [100.0 * i, float(i)]) for i in range(0, 40)])  # 1 s ticks
    window = bank.raw_window(idx, T0 + 30)  # updates at +31 .. +39
    assert window.tolist() == [[100.0, float(i)] for i in range(31, 40)]


def test_sources_without_min_max_have_average_archives_with_xff_half() -> None:
    # xcp-rrdd's create_rras without use_min_max (a VM's RRD by default): AVERAGE only, xff 0.5
    bank = Bank()
    plain = bank.allocate([MEM], minmax=False)
    full = bank.allocate([MEM])
    assert int(plain[0]) // BLOCK != int(full[0]) // BLOCK  # kept in blocks of their own kind
    both = np.concatenate([plain, full])
    # PDPs ending at +5 .. +60: 7 of the 12 unknown -> more than half: unknown with xff 0.5, while
    # xff 1.0 averages the 5 known ones (1, 2, 3, 4, 5)
    values = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] + [NAN] * 7 + [9.0]
    feed(bank, both, [(T0 + 5 * i, [v, v]) for i, v in enumerate(values)])
    minute = {a.cf: i for i, a in enumerate(ARCHIVES) if a.pdp_per_row == 12}
    (avg,) = newest(bank, both, 1, minute[Cf.AVERAGE])
    assert math.isnan(avg[0]) and avg[1] == pytest.approx(3.0)
    # the MIN and MAX archives hold nothing for them, and allocate no tile for their block
    assert math.isnan(newest(bank, both, 1, minute[Cf.MAX])[0][0])
    assert newest(bank, both, 1, minute[Cf.MAX])[0][1] == 5.0
    assert {b for b, _ in bank.rings[minute[Cf.MAX]].store.tiles} == {int(full[0]) // BLOCK}
    assert [a.cf for _, a in bank.rings_of(False)] == [Cf.AVERAGE] * 4
    assert {a.xff for _, a in bank.rings_of(False)} == {0.5}
    assert bank.bytes_per_ds(False) < bank.bytes_per_ds(True) / 2
    # 6 of 12 unknown is not more than half: known with xff 0.5 too
    bank2 = Bank()
    idx = bank2.allocate([MEM], minmax=False)
    feed(bank2, idx, [(T0 + 5 * i, [v]) for i, v in enumerate([0.0] + [2.0] * 6 + [NAN] * 6 + [9.0])])
    assert newest(bank2, idx, 1, minute[Cf.AVERAGE]) == [[2.0]]
    # freed indices go back to their own kind
    bank2.free(idx)
    assert bank2.allocate([MEM], minmax=False).tolist() == idx.tolist()


def test_each_kind_of_source_grows_by_its_own_size() -> None:
    bank = Bank()
    bank.allocate([MEM] * (4 * BLOCK), minmax=False)  # many VM sources...
    before = bank.capacity
    bank.allocate([MEM] * 10)  # ...then the host's few: one block more, not half the bank
    assert bank.capacity == before + BLOCK


def test_tiles_made_ahead_are_the_ones_updates_fill_and_change_no_value() -> None:
    """The tiles of a bank's live blocks can be made ahead, off the event loop (issue 12: at 10 000
    VMs the second update allocated some 200 of them, 0.23 s on the loop); an update finds them and
    every archive reads the same as a bank that allocated its tiles as it went."""
    from xenia.metrics.rrd import make_tiles

    lazy, ahead = Bank(), Bank()
    defs = [CPU, MEM, BYTES] * (BLOCK // 2)  # a block and a half of DSs with MIN and MAX archives
    idx = lazy.allocate(defs)
    assert (ahead.allocate(defs) == idx).all()
    plain = ahead.allocate([MEM] * 3, minmax=False)  # a block without them: no MIN or MAX tile
    assert (lazy.allocate([MEM] * 3, minmax=False) == plain).all()
    due = ahead.tiles_due()
    minmax_rings = sum(1 for a in ARCHIVES if a.cf is not Cf.AVERAGE and a.rows * a.period <= 86_400)
    whole = 1 + sum(1 for a in ARCHIVES if a.rows * a.period <= 86_400)  # raw + archives in one tile per block
    assert len(due) == 3 * whole - minmax_rings  # three live blocks; the third has no MIN or MAX archives
    Bank.install_tiles(make_tiles(due))
    assert ahead.tiles_due() == []
    rng = np.random.default_rng(12)
    both = np.concatenate([idx, plain])
    for i in range(30):  # two and a half minutes of 5 s updates: raw, 5 s and 1 min rows written
        values = np.cumsum(rng.uniform(0, 0.5, len(both))) if i % 7 else np.full(len(both), np.nan)
        for bank in (lazy, ahead):
            bank.update(T0 + 5 * i, both, values)
    for a, b in zip(lazy.rings, ahead.rings, strict=True):
        assert np.array_equal(a.columns(both, a.archive.rows), b.columns(both, b.archive.rows), equal_nan=True)
    assert np.array_equal(lazy.raw_window(both, T0), ahead.raw_window(both, T0), equal_nan=True)
