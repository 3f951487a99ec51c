"""The RRD engine: xcp-rrdd's round-robin archives for every data source at once, with numpy.

Pure maths, no I/O. One :class:`Bank` holds every data source (DS) of the host, its VMs and
its SRs. All of them share one clock (the collector feeds them in one bulk step per tick), so
each archive's ring has a single head for all DSs, and one :meth:`Bank.update` is a few dozen
numpy operations over arrays as long as the number of DSs, whatever that number is. xcp-rrdd
(``ocaml/libs/xapi-rrd/lib/rrd.ml``) does the same arithmetic one DS at a time in OCaml; a
Python loop per DS would cost far more than the one core percent the issue allows, which is why
this is written here instead of wrapping rrdtool (one file and one process call per RRD).

Semantics follow ``rrd.ml``:

* a DS is ``GAUGE`` (the value itself), ``ABSOLUTE`` (a count since the last update, divided by
  the interval) or ``DERIVE`` (a counter: the difference from the last value over the interval);
* primary data points (PDPs) fall on multiples of ``step`` (5 s); an update spanning several
  steps fills each of them with the interval's mean rate (a missed tick is no spike);
* an interval longer than the heartbeat (300 s) makes every PDP in it unknown (NaN);
* a rate outside ``[min, max]`` is unknown -- a counter that went backwards (a reset, or a wrap)
  gives a negative DERIVE rate and so NaN, never a spike; a DERIVE rate at most 5 % above its
  maximum is capped at the maximum (CA-411679, rounding in CPU time accounting);
* consolidated data points (CDPs) take ``pdp_per_row`` PDPs through AVERAGE, MIN or MAX and are
  unknown when more than ``xff`` of them were unknown.

Where this differs from ``rrd.ml`` (documented in ``docs/metrics.md``): an unknown GAUGE gives an
unknown PDP (``rrd.ml`` keeps the previous value, or 0); unknown PDPs are always counted (``rrd.ml``
stops counting them once every PDP of a CDP is unknown, and then writes the CDP's initial value,
0.0); MIN and MAX are not rescaled by the AVERAGE renormalisation; an update whose time is not
after the previous one is ignored (``rrd.ml`` pretends 5 s passed).

Memory per DS is bounded and constant once every archive has turned once: 2 082 archived values
plus a short ring of raw rates (for window queries finer than 5 s), all float32 (8.6 KiB), and a
few float64 scalars. Values are kept as float32 because the archives are read back as rates and
averages, which rrdtool's own XML prints with 7 significant digits; the arithmetic (counters,
rates, consolidation) stays float64. Rows live in tiles of :data:`BLOCK` DSs so the bank grows
without copying what it holds, and the rows of an archive that takes more than a day to fill
are allocated a day's worth at a time, as the head reaches them (:class:`_Rows`).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "ARCHIVES",
    "BLOCK",
    "HEARTBEAT",
    "RAW_ROWS",
    "STEP",
    "Archive",
    "Bank",
    "Cf",
    "DsDef",
    "DsType",
    "make_tiles",
]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

STEP = 5  #: seconds per primary data point
HEARTBEAT = 300.0  #: ``minimal_heartbeat``: a longer gap between updates is unknown
BLOCK = 2048  #: DSs per storage block
RAW_ROWS = 120  #: raw rates kept per DS (10 minutes at the default 5 s tick)
DERIVE_SLACK = 1.05  #: DERIVE rates up to 5 % above max are capped, beyond are unknown
STORE_DTYPE = np.float32  #: archived values (7 significant digits, as rrdtool's XML prints them)
CHUNK_ROWS = 24  #: rows allocated at a time for an archive that takes more than a day to fill
DAY = 86_400
#: xff of the AVERAGE archives of an RRD without MIN and MAX archives (``create_rras``)
PLAIN_XFF = 0.5


class DsType(enum.IntEnum):
    GAUGE = 0
    ABSOLUTE = 1
    DERIVE = 2


class Cf(enum.Enum):
    AVERAGE = "AVERAGE"
    MIN = "MIN"
    MAX = "MAX"


@dataclass(frozen=True, slots=True)
class Archive:
    """One round-robin archive: ``rows`` CDPs of ``pdp_per_row`` PDPs through ``cf``."""

    cf: Cf
    rows: int
    pdp_per_row: int
    xff: float

    @property
    def period(self) -> int:
        """Seconds per row."""
        return STEP * self.pdp_per_row


def _timescale(rows: int, pdps: int) -> tuple[Archive, ...]:
    return tuple(Archive(cf, rows, pdps, 1.0) for cf in (Cf.AVERAGE, Cf.MIN, Cf.MAX))


#: xcp-rrdd's timescales (``rrdd_shared.ml``) with AVERAGE, MIN and MAX, as in a host RRD:
#: 10 minutes of 5 s, 2 hours of 1 min, a week of 1 h and a year of 1 day.
ARCHIVES: tuple[Archive, ...] = (
    (Archive(Cf.AVERAGE, 120, 1, 0.5),) + _timescale(120, 12) + _timescale(168, 720) + _timescale(366, 17280)
)


@dataclass(frozen=True, slots=True)
class DsDef:
    """What a data source is: xcp-rrdd's ``ds`` plus the data_source record's fields."""

    name: str
    type: DsType
    units: str
    description: str = ""
    min: float = 0.0
    max: float = math.inf
    #: recorded without ``record_data_source`` (xapi's ``standard``)
    default: bool = True


class _Rows:
    """``rows`` x every DS of float32, kept in tiles of ``chunk_rows`` rows x :data:`BLOCK` DSs.

    A tile is allocated when the first known (non-NaN) value is written into it; a missing tile
    reads as NaN. So a slow archive (the 1 h rows fill in a week, the 1 day rows in a year) costs
    memory only for the part of its turn the bank has lived through, and storage blocks that hold
    no live DS (the growth margin, freed DSs) cost nothing until they are used.
    """

    __slots__ = ("chunk_rows", "rows", "tiles")

    def __init__(self, rows: int, chunk_rows: int) -> None:
        self.rows = rows
        self.chunk_rows = max(1, min(chunk_rows, rows))
        self.tiles: dict[tuple[int, int], F32] = {}

    def _new_tile(self, block: int, chunk: int) -> F32:
        height = min(self.chunk_rows, self.rows - chunk * self.chunk_rows)
        tile: F32 = np.full((height, BLOCK), np.nan, dtype=STORE_DTYPE)
        self.tiles[(block, chunk)] = tile
        return tile

    def write_rows(self, ridx: I64, values: F64) -> None:
        """Rows ``ridx`` all take ``values`` (one per DS; the bank's whole capacity)."""
        per_block = values.reshape(-1, BLOCK)
        known = np.logical_not(np.isnan(per_block).all(axis=1, keepdims=True))[:, 0]
        chunk, row = np.divmod(ridx, self.chunk_rows)
        for c in np.unique(chunk).tolist():
            rsel = row[chunk == c]
            for b in range(len(per_block)):
                tile = self.tiles.get((b, c))
                if tile is None:
                    if not known[b]:
                        continue
                    tile = self._new_tile(b, c)
                tile[rsel, :] = per_block[b]

    def _groups(self, ridx: I64, cols: I64) -> Iterator[tuple[F32, I64, I64, I64, I64]]:
        """(tile, positions in ridx, rows in the tile, positions in cols, columns in the tile)."""
        blk, col = np.divmod(cols, BLOCK)
        chunk, row = np.divmod(ridx, self.chunk_rows)
        blocks = np.unique(blk).tolist()
        for c in np.unique(chunk).tolist():
            rsel = np.flatnonzero(chunk == c)
            for b in blocks:
                tile = self.tiles.get((b, c))
                if tile is not None:
                    csel = np.flatnonzero(blk == b)
                    yield tile, rsel, row[rsel], csel, col[csel]

    def read(self, ridx: I64, cols: I64) -> F64:
        """Rows ``ridx`` of DSs ``cols``, shape (len(ridx), len(cols)), in float64."""
        out: F64 = np.full((len(ridx), len(cols)), np.nan)
        for tile, rsel, rows, csel, tcols in self._groups(ridx, cols):
            out[np.ix_(rsel, csel)] = tile[np.ix_(rows, tcols)]
        return out

    def write(self, ridx: I64, cols: I64, data: F64) -> None:
        """Rows ``ridx`` of DSs ``cols`` take ``data`` (shape (len(ridx), len(cols)))."""
        blk, col = np.divmod(cols, BLOCK)
        chunk, row = np.divmod(ridx, self.chunk_rows)
        for c in np.unique(chunk).tolist():
            rsel = np.flatnonzero(chunk == c)
            for b in np.unique(blk).tolist():
                csel = np.flatnonzero(blk == b)
                part = data[np.ix_(rsel, csel)]
                tile = self.tiles.get((b, c))
                if tile is None:
                    if np.isnan(part).all():
                        continue
                    tile = self._new_tile(b, c)
                tile[np.ix_(row[rsel], col[csel])] = part

    def forget(self, cols: I64) -> None:
        """Every row of DSs ``cols`` becomes unknown."""
        if not self.tiles:
            return
        blk, col = np.divmod(cols, BLOCK)
        chunks = -(-self.rows // self.chunk_rows)
        for b in np.unique(blk).tolist():  # only the tiles of the blocks concerned, not all of them
            sel = col[blk == b]
            for c in range(chunks):
                tile = self.tiles.get((b, c))
                if tile is not None:
                    tile[:, sel] = np.nan

    def nbytes(self) -> int:
        return sum(t.nbytes for t in self.tiles.values())


class _Ring:
    """One archive of every DS: its rows, the head they share, and the CDP in preparation."""

    __slots__ = ("acc", "archive", "head", "store", "unknown")

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        # an archive that takes more than a day to fill is allocated a day's worth of rows at a time
        slow = archive.rows * archive.period > DAY
        self.store = _Rows(archive.rows, CHUNK_ROWS if slow else archive.rows)
        self.head = archive.rows - 1  # the row written last; the next push goes to head + 1
        self.acc: F64 = np.empty(0)
        self.unknown: I32 = np.empty(0, dtype=np.int32)

    def init_value(self) -> float:
        return {Cf.AVERAGE: 0.0, Cf.MIN: math.inf, Cf.MAX: -math.inf}[self.archive.cf]

    def grow(self, capacity: int) -> None:
        old = len(self.acc)
        self.acc = np.concatenate([self.acc, np.full(capacity - old, self.init_value())])
        self.unknown = np.concatenate([self.unknown, np.zeros(capacity - old, dtype=np.int32)])

    def add_pdps(self, count: int, pdps: F64) -> None:
        """Feed ``count`` PDPs of value ``pdps`` (per DS) into the CDP being prepared."""
        if count <= 0:
            return
        known = ~np.isnan(pdps)
        self.unknown[~known] += count
        cf = self.archive.cf
        if cf is Cf.AVERAGE:
            self.acc[known] += pdps[known] * count
        elif cf is Cf.MIN:
            np.fmin(self.acc, pdps, out=self.acc)
        else:
            np.fmax(self.acc, pdps, out=self.acc)

    def finish_cdp(self, minmax: npt.NDArray[np.bool_]) -> F64:
        """The consolidated values of the CDP just completed; then start the next one.

        ``minmax`` tells the DSs whose RRD has MIN and MAX archives: the others' AVERAGE archives
        have xff 0.5 (:data:`PLAIN_XFF`), as xcp-rrdd creates them."""
        a = self.archive
        known = a.pdp_per_row - self.unknown
        with np.errstate(invalid="ignore", divide="ignore"):
            value = self.acc / known if a.cf is Cf.AVERAGE else self.acc.copy()
        limit = np.where(minmax, math.floor(a.xff * a.pdp_per_row), math.floor(PLAIN_XFF * a.pdp_per_row))
        value[(self.unknown > limit) | (known <= 0)] = np.nan
        self.acc.fill(self.init_value())
        self.unknown.fill(0)
        return value

    def push(self, values: F64, times: int = 1) -> None:
        """Write ``values`` as the next ``times`` rows (at most one full turn)."""
        rows = self.archive.rows
        times = min(times, rows)
        idx = (self.head + 1 + np.arange(times)) % rows
        self.head = int(idx[-1])
        self.store.write_rows(idx, values)

    def order(self) -> I64:
        """Row indices, oldest first."""
        rows = self.archive.rows
        order: I64 = (self.head + 1 + np.arange(rows)) % rows
        return order

    def column(self, ds: int) -> F64:
        """Every row of one DS, oldest first."""
        col: F64 = self.store.read(self.order(), np.array([ds], dtype=np.int64))[:, 0]
        return col

    def columns(self, ds: I64, last: int) -> F64:
        """The newest ``last`` rows of several DSs, shape (last, len(ds)), oldest first."""
        rows = self.archive.rows
        last = min(last, rows)
        ridx = (self.head - np.arange(last)[::-1]) % rows
        return self.store.read(ridx, ds)


class Bank:
    """Every data source of a host, updated together.

    A DS is an index into the bank's arrays, handed out by :meth:`allocate` and returned by
    :meth:`free`; the bank knows nothing of names or owners (see ``xenia.metrics.registry``).
    """

    def __init__(self, archives: Sequence[Archive] = ARCHIVES, raw_rows: int = RAW_ROWS) -> None:
        self.archives = tuple(archives)
        self.rings = [_Ring(a) for a in self.archives]
        self.capacity = 0
        self.used: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self.type: npt.NDArray[np.int8] = np.zeros(0, dtype=np.int8)
        self.min: F64 = np.empty(0)
        self.max: F64 = np.empty(0)
        self.last_raw: F64 = np.empty(0)  #: the last value fed (counters for DERIVE)
        self.pdp_value: F64 = np.empty(0)  #: the PDP being prepared (a sum of rate x seconds for DERIVE)
        self.unknown_sec: F64 = np.empty(0)  #: unknown seconds in the PDP being prepared
        self.last_updated: float | None = None
        #: the rates computed by the last update, per DS (NaN: unknown)
        self.last_rates: F64 = np.empty(0)
        #: raw rates, one row per update, for window queries
        self.raw_rows = raw_rows
        self.raw = _Rows(raw_rows, raw_rows)
        self.raw_times: F64 = np.full(raw_rows, np.nan)
        self.raw_head = raw_rows - 1
        #: the raw ring holds the rate of every update after this time (a row's rate is over the
        #: interval since the update before it): the first update's, later the newest dropped row's
        self.raw_from = -math.inf
        #: the archives may know times before ``raw_from`` (the ring turned, or history was restored);
        #: until then the ring holds every update the bank ever had and the archives nothing more
        self.history_before_raw = False
        #: per DS: its RRD has MIN and MAX archives (xcp-rrdd: always the host's; a VM's or an SR's
        #: only when created while ``pool.other_config:create_min_max_in_new_VM_RRDs`` is true)
        self.minmax: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        #: free indices, per kind of block (a block holds DSs with MIN/MAX archives or DSs without,
        #: so the MIN and MAX archives allocate no tile for the blocks of DSs without them)
        self._free: dict[bool, list[int]] = {True: [], False: []}
        self._slots: dict[bool, int] = {True: 0, False: 0}  #: indices of each kind, used or free

    # -- allocation ------------------------------------------------------------------------

    def _grow(self, capacity: int, minmax: bool) -> None:
        old = self.capacity
        extra = capacity - old

        def ext(a: npt.NDArray[np.generic], fill: float) -> npt.NDArray[np.generic]:
            return np.concatenate([a, np.full(extra, fill, dtype=a.dtype)])

        self.used = ext(self.used, False)  # type: ignore[assignment]
        self.type = ext(self.type, 0)  # type: ignore[assignment]
        self.min = ext(self.min, 0.0)  # type: ignore[assignment]
        self.max = ext(self.max, math.inf)  # type: ignore[assignment]
        self.last_raw = ext(self.last_raw, np.nan)  # type: ignore[assignment]
        self.pdp_value = ext(self.pdp_value, 0.0)  # type: ignore[assignment]
        self.unknown_sec = ext(self.unknown_sec, 0.0)  # type: ignore[assignment]
        self.minmax = ext(self.minmax, minmax)  # type: ignore[assignment]
        for ring in self.rings:
            ring.grow(capacity)
        self._free[minmax].extend(range(capacity - 1, old - 1, -1))
        self._slots[minmax] += extra
        self.capacity = capacity

    def allocate(self, defs: Sequence[DsDef], minmax: bool = True) -> I64:
        """Indices for new DSs, with empty (NaN) history; constant memory per DS. ``minmax``: the
        DSs get MIN and MAX archives besides the AVERAGE ones."""
        free = self._free[minmax]
        need = len(defs) - len(free)
        if need > 0:  # grow this kind by half of what it has, in whole blocks (every array covers them)
            extra = max(need, self._slots[minmax] // 2)
            self._grow(self.capacity + -(-extra // BLOCK) * BLOCK, minmax)
        idx = np.array([free.pop() for _ in defs], dtype=np.int64)
        self.used[idx] = True
        self.type[idx] = [d.type for d in defs]
        self.min[idx] = [d.min for d in defs]
        self.max[idx] = [d.max for d in defs]
        self.reset(idx)
        return idx

    def reset(self, idx: I64) -> None:
        """Forget the history of some DSs (``forget_data_source_archives``)."""
        self.last_raw[idx] = np.nan
        self.pdp_value[idx] = 0.0
        last = self.last_updated
        self.unknown_sec[idx] = 0.0 if last is None else last - math.floor(last / STEP) * STEP
        for ring in self.rings:
            ring.acc[idx] = ring.init_value()
            # the part of the current CDP before this DS existed is unknown
            ring.unknown[idx] = self._pdps_into_cdp(ring.archive)
            ring.store.forget(idx)
        self.raw.forget(idx)

    def _pdps_into_cdp(self, archive: Archive) -> int:
        if self.last_updated is None:
            return 0
        return int(self.last_updated // STEP) % archive.pdp_per_row

    def free(self, idx: I64) -> None:
        """Give DSs back; their indices are reused by later allocations."""
        self.used[idx] = False
        for i in idx.tolist():
            self._free[bool(self.minmax[i])].append(i)

    def tiles_due(self) -> list[tuple[_Rows, tuple[int, int]]]:
        """The tiles the next updates will allocate, as (rows, tile key): of the raw ring and of each
        archive kept in one tile per block (the 5 s and 1 min ones), for every block holding a DS in
        use (the MIN and MAX archives: the blocks of DSs that have them).

        Why: the second update after 10 000 VMs' RRDs appear allocates some 200 such tiles (1 MiB of
        NaN each) and held the event loop 0.23 s for it (issue 12); made ahead with
        :func:`make_tiles`, in a thread (numpy fills them without the GIL), and put in place with
        :meth:`install_tiles`, the update finds them. A missing tile reads as NaN, so nothing a
        query reads changes."""
        if not self.capacity:
            return []
        live = np.flatnonzero(self.used.reshape(-1, BLOCK).any(axis=1)).tolist()
        with_minmax = self.minmax.reshape(-1, BLOCK)[:, 0]
        stores = [(self.raw, True)] + [(r.store, r.archive.cf is Cf.AVERAGE) for r in self.rings]
        return [
            (store, (b, 0))
            for store, every in stores
            if store.chunk_rows == store.rows
            for b in live
            if (b, 0) not in store.tiles and (every or with_minmax[b])
        ]

    @staticmethod
    def install_tiles(tiles: Sequence[tuple[_Rows, tuple[int, int], F32]]) -> None:
        """Put tiles made by :func:`make_tiles` in place, where none was written meanwhile."""
        for store, key, tile in tiles:
            store.tiles.setdefault(key, tile)

    # -- the update ------------------------------------------------------------------------

    def update(self, t: float, idx: I64, values: F64) -> None:
        """Feed the values of DSs ``idx`` read at time ``t``; every other DS is unknown now."""
        raw = np.full(self.capacity, np.nan)
        raw[idx] = values
        last = self.last_updated
        if last is None:  # the first update only sets the counters' starting points
            self.raw_from = t
            self.last_updated = t
            self.last_raw = raw
            self.unknown_sec.fill(t - math.floor(t / STEP) * STEP)  # the PDP before t is unknown
            for ring in self.rings:  # and so are the PDPs of each CDP before t
                ring.unknown.fill(self._pdps_into_cdp(ring.archive))
            return
        interval = t - last
        if interval <= 0:
            return
        rate = self._rates(raw, interval)
        self.last_rates = rate
        self.last_raw = raw
        self.last_updated = t
        self._record_raw(t, rate)

        proc = math.floor(last / STEP) * STEP  # start of the PDP the last update was in
        occu = math.floor(t / STEP) * STEP  # start of the PDP this update is in
        elapsed = (occu - proc) // STEP  # PDPs completed by this update
        pre, post = (interval - (t - occu), t - occu) if elapsed > 0 else (interval, 0.0)

        unknown = np.isnan(rate)
        derive = self.type == DsType.DERIVE
        self.unknown_sec[unknown] += pre
        known_derive = derive & ~unknown
        self.pdp_value[known_derive] += pre * rate[known_derive]
        self.pdp_value[~derive] = rate[~derive]
        if elapsed == 0:
            return

        with np.errstate(invalid="ignore", divide="ignore"):
            pdps = np.where(derive, self.pdp_value / (occu - proc - self.unknown_sec), self.pdp_value)
        pdps[derive & (self.unknown_sec >= occu - proc)] = np.nan
        if interval > HEARTBEAT:
            pdps[:] = np.nan
        pdps = self._bound(pdps)
        minmax_pdps = None
        for ring in self.rings:
            if ring.archive.cf is Cf.AVERAGE:
                self._consolidate(ring, proc, int(elapsed), pdps, self.minmax)
                continue
            if minmax_pdps is None:  # DSs without MIN and MAX archives feed them nothing
                minmax_pdps = np.where(self.minmax, pdps, np.nan)
            self._consolidate(ring, proc, int(elapsed), minmax_pdps, self.minmax)

        # start the PDP this update is in with its share of the interval
        self.unknown_sec = np.where(unknown, post, 0.0)
        self.pdp_value = np.where(derive, np.where(unknown, 0.0, post * rate), rate)

    def _rates(self, raw: F64, interval: float) -> F64:
        if interval > HEARTBEAT:
            return np.full(self.capacity, np.nan)
        t = self.type
        rate = np.where(t == DsType.GAUGE, raw, raw / interval)
        derive = t == DsType.DERIVE
        rate[derive] = (raw[derive] - self.last_raw[derive]) / interval
        return self._bound(rate)

    def _bound(self, values: F64) -> F64:
        """Unknown outside [min, max]; DERIVE up to 5 % above max is capped (``rrd.ml``)."""
        over = (self.type == DsType.DERIVE) & (values > self.max) & (values < self.max * DERIVE_SLACK)
        values = np.where(over, self.max, values)
        with np.errstate(invalid="ignore"):
            values[(values < self.min) | (values > self.max)] = np.nan
        return values

    @staticmethod
    def _consolidate(ring: _Ring, proc: int, elapsed: int, pdps: F64, minmax: npt.NDArray[np.bool_]) -> None:
        """``rra_update``: feed ``elapsed`` PDPs, writing every CDP they complete."""
        per = ring.archive.pdp_per_row
        to_finish = per - (proc // STEP) % per  # PDPs the CDP in preparation still needs
        ring.add_pdps(min(to_finish, elapsed), pdps)
        if elapsed < to_finish:
            return
        completed = (elapsed - to_finish) // per + 1
        ring.push(ring.finish_cdp(minmax))
        if completed > 1:  # CDPs made only of this update's PDPs are the PDP value itself
            ring.add_pdps(per, pdps)
            ring.push(ring.finish_cdp(minmax), completed - 1)
        ring.add_pdps((elapsed - to_finish) % per, pdps)

    def _record_raw(self, t: float, rate: F64) -> None:
        self.raw_head = (self.raw_head + 1) % self.raw_rows
        dropped = float(self.raw_times[self.raw_head])
        if dropped == dropped:  # the ring turned: the oldest row left covers the time after the dropped one
            self.raw_from = max(self.raw_from, dropped)
            self.history_before_raw = True
        self.raw_times[self.raw_head] = t
        self.raw.write_rows(np.array([self.raw_head], dtype=np.int64), rate)

    # -- reading ---------------------------------------------------------------------------

    def rings_of(self, minmax: bool) -> list[tuple[int, Archive]]:
        """The archives an RRD has, as (ring index, archive with its xff): all of them with MIN and
        MAX, else only the AVERAGE ones, with xff 0.5 (``create_rras``)."""
        if minmax:
            return list(enumerate(self.archives))
        return [
            (i, Archive(a.cf, a.rows, a.pdp_per_row, PLAIN_XFF))
            for i, a in enumerate(self.archives)
            if a.cf is Cf.AVERAGE
        ]

    def cdp_time(self, archive: Archive) -> int:
        """Time of the newest row of ``archive`` (the end of its period), 0 before any update."""
        if self.last_updated is None:
            return 0
        return math.floor(self.last_updated / archive.period) * archive.period

    def latest(self, idx: I64, ring: int = 0) -> F64:
        """The newest row of archive ``ring`` for DSs ``idx`` (xcp-rrdd's ``query_named_ds``)."""
        row: F64 = self.rings[ring].columns(idx, 1)[0]
        return row

    def raw_window(self, idx: I64, since: float) -> F64:
        """Raw rates of DSs ``idx`` from updates after ``since``, shape (updates, len(idx))."""
        rows = self.raw_rows
        order = (self.raw_head - np.arange(rows)[::-1]) % rows
        times = self.raw_times[order]
        return self.raw.read(order[times > since], idx)

    def raw_span(self) -> float:
        """Seconds back from the last update over which the raw ring holds every update's rate; inf
        while the bank has no history the ring lacks (a window no longer than this is reduced over
        the raw rates, whole ticks, never over an archive's 5 s rows, see :func:`reduce_window`).

        The oldest row's rate covers the interval since the update before it, so the ring reaches
        back to that update, one interval before the oldest row's own time; once the ring has
        turned, to the newest row dropped; after a restore (:meth:`restored`), to the restored
        time at most: the archives hold what came before."""
        if self.last_updated is None:
            return 0.0
        return self.last_updated - self.raw_from if self.history_before_raw else math.inf

    def restored(self, until: float) -> None:
        """Archived history up to ``until`` is being written into the archives (a restore): the raw
        ring holds none of it. A bank not yet updated takes ``until`` as its last update."""
        if self.last_updated is None:
            self.last_updated = self.raw_from = until
        self.history_before_raw = True

    def bytes_per_ds(self, minmax: bool = True) -> int:
        """Memory one DS costs once every archive has made a full turn, whatever the number of DSs:
        float32 rows, and per DS five float64 scalars, per archive a float64 accumulator and an
        int32 count of unknown PDPs, the type (int8), the in-use and MIN/MAX flags. A DS without
        MIN and MAX archives costs less by their rows."""
        rows = sum(a.rows for _, a in self.rings_of(minmax)) + self.raw_rows
        return rows * STORE_DTYPE().itemsize + 5 * 8 + len(self.archives) * (8 + 4) + 3

    def nbytes(self) -> int:
        """Memory the bank holds now (its arrays; the lazily allocated tiles as far as they exist)."""
        vectors = [self.used, self.type, self.min, self.max, self.last_raw, self.pdp_value, self.unknown_sec, self.minmax]
        total = sum(v.nbytes for v in vectors) + self.raw.nbytes()
        return total + sum(r.acc.nbytes + r.unknown.nbytes + r.store.nbytes() for r in self.rings)


def make_tiles(due: Sequence[tuple[_Rows, tuple[int, int]]]) -> list[tuple[_Rows, tuple[int, int], F32]]:
    """Empty (NaN) tiles for :meth:`Bank.tiles_due`; touches no bank state, so it may run in a thread."""
    return [(store, key, np.full((store.rows, BLOCK), np.nan, dtype=STORE_DTYPE)) for store, key in due]
