"""The collector: once per tick, one bulk driver read feeds every RRD, then the live db fields.

Per tick: ``driver.metrics.sample()`` (one call for every domain and the host), one flat list
of values built from it (:mod:`xenia.metrics.sources`), one :meth:`Bank.update`, and one db
batch writing the fields xapi keeps live (``VM_metrics.VCPUs_utilisation``,
``host_cpu.utilisation``, ``host_metrics.memory_free``) where they changed. RRDs are saved
every ``save_interval`` seconds and on stop (``docs/metrics.md``), restored at start, kept when
a VM halts and deleted with the VM.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from xenia.datamodel.errors import ApiError
from xenia.db import Db
from xenia.db.core import Change
from xenia.drivers.base import DiskMetrics, Driver, MetricsSample
from xenia.drivers.columns import DomainBlock, DomainColumns
from xenia.drivers.errors import DriverError
from xenia.metrics import persist
from xenia.metrics.query import reduce_window
from xenia.metrics.registry import ObjectRrd, Registry
from xenia.metrics.rrd import Bank, make_tiles
from xenia.metrics.sources import (
    SR_COUNTERS,
    SR_DEFS,
    VmLayout,
    block_layout,
    host_defs,
    host_layout,
    host_values,
    sr_values,
    vm_defs,
    vm_layout,
    vm_value_matrix,
    vm_values,
)
from xenia.util.clock import xapi_time
from xenia.util.foreground import Foreground

__all__ = ["MetricsConfig", "MetricsService"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MetricsConfig:
    tick: float = 5.0  #: seconds between collections
    save_interval: float = 300.0  #: seconds between saves of every changed RRD
    #: ticks between refreshes of a VM's live db fields; each tick refreshes its share of the VMs,
    #: so 10 000 VMs cost 10 000 / N db updates (and events) per tick rather than a burst
    db_refresh_ticks: int = 6
    #: VMs whose live db fields one tick refreshes at most: past 1 500 VMs each is refreshed less often
    #: than every ``db_refresh_ticks`` ticks, so a tick's db writes (and events) stop growing with the
    #: VMs; at 10 000 the sixth per tick was 1 667 writes, most of a tick's cost (issue 12)
    db_refresh_max: int = 250
    #: VMs whose live db fields one loop step of a tick refreshes: between slices (and between the
    #: sample, the RRD update and the db) the tick yields, so at 10 000 VMs a call never waits for a
    #: whole tick, only for one part of it (250 VMs a step held the loop 25-65 ms at 10 000 VMs)
    db_refresh_slice: int = 100
    #: new VM RRDs laid out (and VBDs looked at for the disk to SR map) per loop step of a tick: the
    #: first tick after a restart gives 10 000 VMs their RRDs, 0.5 s of the loop in one piece (issue 12)
    layout_slice: int = 500


@functools.lru_cache(maxsize=64)
def _dict_maker(keys: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function of ``len(keys)`` positional values returning ``{keys[0]: value0, ...}``.

    The cooked query's answer is thousands of small dicts with the same keys; a dict display
    builds each about twice as fast as ``dict(zip(keys, values))``. The keys enter the generated
    source only as ``repr`` literals, which evaluate back to the same strings (no injection)."""
    params = ", ".join(f"_{i}" for i in range(len(keys)))
    body = ", ".join(f"{k!r}: _{i}" for i, k in enumerate(keys))
    maker: Callable[..., dict[str, Any]] = eval(f"lambda {params}: {{{body}}}", {"__builtins__": {}})
    return maker


@dataclass(eq=False)
class _BlockPlan:
    """Where a block's values go: positions in its value matrix (``src``) and bank indices
    (``dst``), valid for these domains at this registry version."""

    uuids: tuple[str, ...]
    devices: tuple[str, ...]  #: disk userdevices
    version: int
    src: np.ndarray
    dst: np.ndarray
    objects: list[ObjectRrd]
    disk: np.ndarray | None = None  #: the disk counters fed last
    #: each disk's row in the SR totals (-1: on no known SR), for SR map version ``sr_version``
    sr_slots: np.ndarray | None = None
    sr_version: int = -1
    #: rows of ``sr_slots`` not yet looked up (the domains new to a plan kept across starts and stops)
    sr_stale: np.ndarray | None = None
    #: the registry's ``reshaped`` count the plan was built at: while it holds, the feeds of
    #: ``objects`` are those in ``dst``
    reshaped: int = -1
    #: the number of sources each domain feeds (its part of ``src`` and ``dst``)
    lens: np.ndarray | None = None
    _rows: dict[str, int] | None = None
    #: the last :meth:`kept_rows` asked and its answer (a tick asks for one block's twice)
    _kept: tuple[tuple[str, ...], np.ndarray] | None = None

    def kept_rows(self, uuids: tuple[str, ...]) -> np.ndarray:
        """Each domain's row in this plan (-1: not in it), at C speed (no Python step per domain)."""
        if self._kept is not None and self._kept[0] is uuids:
            return self._kept[1]
        if self._rows is None:
            self._rows = dict(zip(self.uuids, range(len(self.uuids)), strict=True))
        rows = np.fromiter(map(self._rows.get, uuids, itertools.repeat(-1)), np.int64, len(uuids))
        rows.flags.writeable = False  # shared by the callers
        self._kept = (uuids, rows)
        return rows


class MetricsService:
    """Owns the bank, the registry and the collection loop of one daemon."""

    def __init__(self, db: Db, driver: Driver, host_ref: str, state_dir: Path, config: MetricsConfig) -> None:
        self.db = db
        self.driver = driver
        self.host_ref = host_ref
        self.host_uuid: str = db.get("host", host_ref)["uuid"]
        self.config = config
        self.root = state_dir / "rrd"
        self.bank = Bank()
        self.registry = Registry(self.bank)
        self._prev_disks: dict[str, tuple[DiskMetrics, ...]] = {}
        #: per layout, the last block of domains fed (its feed plan and disk counters)
        self._blocks: dict[VmLayout, _BlockPlan] = {}
        #: (VM uuid, VBD userdevice) -> uuid of the SR holding the disk; None: rebuild (a VDI went)
        self._sr_map: dict[tuple[str, str], str] | None = None
        self._sr_map_version = 0
        #: VBD -> its key in ``_sr_map``; the VBDs changed since the map was last brought up to date
        self._sr_keys: dict[str, tuple[str, str]] = {}
        self._sr_dirty: set[str] = set()
        #: VDIs gone (each drops the map): a build spread over loop steps that saw one go is not kept
        self._sr_resets = 0
        #: (SR map version, VM uuid) of each entry changed after version ``_sr_log_from``, so that a
        #: block's disk to SR slots are looked up again for those VMs only (:meth:`_block_sr_slots`)
        self._sr_log: list[tuple[int, str]] = []
        self._sr_log_from = 0
        #: the registry version whose RRDs' tiles were last made ahead (:meth:`Bank.tiles_due`)
        self._tiles_checked = -1
        #: each SR's row in ``_sr_totals``: its disks' counter increments summed since start
        self._sr_slots: dict[str, int] = {}
        self._sr_totals = np.zeros((0, SR_COUNTERS))
        self._sr_last: dict[str, np.ndarray] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._unsubscribe: Any = None
        self._saving = asyncio.Lock()
        #: the VMs with a domain at the last tick
        self.live_vms: set[str] = set()
        #: the SRs plugged here at the last tick
        self.plugged_srs: set[str] = set()
        self.last_tick_seconds = 0.0
        self._last_plan: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], np.ndarray] | None = None
        #: where the next tick's turn of live field refreshes starts, in the sample's order of VMs, in
        #: units of 1 / ``db_refresh_ticks`` of a VM
        self._refresh_cursor = 0
        #: set once the saved RRDs are restored (:meth:`_restore`); the RRD queries wait for it
        self.restored = asyncio.Event()
        #: when set, the restore gives way to the big answers being encoded
        self.foreground: Foreground | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start collecting; the saved RRDs are restored first, in the background (:meth:`_restore`)."""
        self._unsubscribe = self.db.subscribe(self._on_changes)
        self._tasks = [asyncio.create_task(self._loop()), asyncio.create_task(self._save_loop())]

    async def _restore(self) -> None:
        """Restore the saved RRDs on the event loop, a few files at a time, before the first tick.

        Not before the daemon listens: at 10 000 VMs reading the files took 6-12 s of a restart
        (issue 12), and the API does not need them to answer. A query of an RRD meanwhile finds the
        part restored so far; no tick feeds a bank still being restored, and a save meanwhile
        writes only what was fed since (nothing is, before the first tick)."""
        steps = persist.load_steps(self.root, self.registry)
        try:
            while True:
                try:
                    next(steps)
                except StopIteration as done:
                    if done.value:
                        log.info("metrics: %d RRDs restored from %s", done.value, self.root)
                    return
                await (self.foreground.wait_idle() if self.foreground is not None else asyncio.sleep(0))
        except Exception:  # collection goes on without the history rather than not at all
            log.exception("metrics: restoring the saved RRDs failed")
        finally:
            self.restored.set()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._unsubscribe is not None:
            self._unsubscribe()
        await self.save_all()

    async def _loop(self) -> None:
        await self._restore()
        if self.foreground is not None:  # the first tick lays out every VM's RRD: clients first
            await self.foreground.wait_idle()
        while True:
            started = time.monotonic()
            try:
                await self.tick()
            except Exception:  # a bug in one tick must not end collection for the daemon's life
                log.exception("metrics: tick failed")
            await asyncio.sleep(max(0.0, self.config.tick - (time.monotonic() - started)))

    async def _save_loop(self) -> None:
        """A save every ``save_interval``, spread over half of it: at 10 000 VMs a save is 10 000 files,
        and written at once they took the loop and the CPU from the calls for many seconds (issue 12)."""
        interval = self.config.save_interval
        await asyncio.sleep(interval)
        while True:
            started = time.monotonic()
            await self.save_all(spread=interval / 2)
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    async def tick(self) -> None:
        """One collection; a failing driver read loses this tick only (it shows as unknown)."""
        try:
            sample = await self.driver.metrics.sample()
        except (DriverError, OSError) as e:
            log.warning("metrics: sample failed: %s", e)
            return
        await asyncio.sleep(0)  # the calls that came in while the driver sampled go first
        await self._prepare(sample)
        started = time.perf_counter()
        self.ingest(sample, refresh_db=False)
        spent = time.perf_counter() - started
        now = xapi_time()
        turn = self._refresh_turn(sample)
        step = max(1, self.config.db_refresh_slice)
        for first in range(0, len(turn), step):
            await asyncio.sleep(0)
            started = time.perf_counter()
            with self.db.batch():
                self._refresh_vms(turn[first : first + step], now)
            spent += time.perf_counter() - started
        started = time.perf_counter()
        with self.db.batch():
            self._refresh_host_fields(sample, now)
        self.last_tick_seconds = spent + time.perf_counter() - started

    # -- one tick --------------------------------------------------------------------------

    async def _prepare(self, sample: MetricsSample) -> None:
        """The per-VM part of :meth:`ingest` for VMs new to it, ``layout_slice`` VMs per loop step: each
        new VM's RRD created and laid out, and the disk to SR map built, so that :meth:`ingest` finds
        them done and is a few array operations. After a restart every one of 10 000 VMs is new, and
        :meth:`ingest` doing it held the loop 0.5 s in one piece (issue 12)."""
        domains = sample.domains
        if not isinstance(domains, DomainColumns):
            return
        reg = self.registry
        reg.vm_min_max = self._vm_min_max()
        step = max(1, self.config.layout_slice)
        for block in domains.blocks:
            layout = block_layout(block)
            last = self._blocks.get(layout)
            if last is not None and last.uuids == block.vm_uuids:
                continue  # the same domains as the last tick: laid out then
            uuids = block.vm_uuids
            if last is not None and last.reshaped == reg.reshaped:  # those of the last tick are laid out
                uuids = tuple(uuids[i] for i in np.flatnonzero(last.kept_rows(uuids) < 0).tolist())
            todo = [u for u in uuids if (obj := reg.get("vm", u)) is None or obj.layout != layout]
            defs = vm_defs(layout) if todo else ()
            for first in range(0, len(todo), step):
                await self._between_slices(bulk=len(todo) > step)
                objs = [reg.obtain("vm", u) for u in todo[first : first + step]]
                reg.set_layout_many([obj for obj in objs if obj.layout != layout], layout, defs)
        if self._sr_map is None and any(block.disks for block in domains.blocks):
            await self._build_sr_map(step)
        if self._tiles_checked != reg.version:  # RRDs came: the tiles their first updates will fill
            self._tiles_checked = reg.version
            due = self.bank.tiles_due()
            if due:
                self.bank.install_tiles(await asyncio.to_thread(make_tiles, due))

    async def _between_slices(self, bulk: bool) -> None:
        """Between two slices of a tick: the next loop turn; for bulk work (laying out many new VMs'
        RRDs, the whole disk to SR map: after a restart, all 10 000) also until no client's answer is
        being produced (:mod:`xenia.util.foreground`, bounded). Yielding one turn let the first tick
        after a restart run its slices inside the first client's answer, about a second (issue 12)."""
        if bulk and self.foreground is not None:
            await self.foreground.wait_idle()
        else:
            await asyncio.sleep(0)

    async def _build_sr_map(self, step: int) -> None:
        """:meth:`_disk_srs`' full build, ``step`` VBDs per loop step. A VBD that changes meanwhile is
        looked at again by :meth:`_disk_srs` (it is in ``_sr_dirty``); a VDI that goes meanwhile
        leaves the map to be built in one piece there."""
        resets = self._sr_resets
        self._sr_dirty.clear()
        found: dict[tuple[str, str], str] = {}
        keys: dict[str, tuple[str, str]] = {}
        refs = self.db.refs("VBD")
        for first in range(0, len(refs), step):
            await self._between_slices(bulk=len(refs) > step)
            for vbd in refs[first : first + step]:
                entry = self._sr_entry(vbd) if self.db.exists("VBD", vbd) else None
                if entry is not None:
                    found[entry[0]] = entry[1]
                    keys[vbd] = entry[0]
        if self._sr_resets == resets and self._sr_map is None:
            self._sr_map, self._sr_keys = found, keys
            self._sr_map_version += 1
            self._sr_log, self._sr_log_from = [], self._sr_map_version

    def ingest(self, sample: MetricsSample, refresh_db: bool = True) -> None:
        """Feed one sample to the RRDs and (unless :meth:`tick` does it in slices) the live db fields."""
        reg = self.registry
        reg.vm_min_max = self._vm_min_max()
        feeds: list[np.ndarray] = []
        chunks: list[np.ndarray] = []
        values: list[float] = []
        prev = self._prev_disks
        running_vcpus = 0
        live: set[str] = set()
        domains = sample.domains
        blocks = domains.blocks if isinstance(domains, DomainColumns) else ()
        previous, self._blocks = self._blocks, {}
        for block in blocks:
            dst, vals = self._block_feed(block, previous)
            feeds.append(dst)
            chunks.append(vals)
            live.update(block.vm_uuids)
            running_vcpus += len(block) * block.vcpus
        for m in () if blocks else domains:
            obj = reg.obtain("vm", m.vm_uuid)
            layout = vm_layout(m)
            if layout != obj.layout:
                reg.set_layout(obj, layout, vm_defs(layout))
            feeds.append(obj.feed)
            values += obj.pick_values(vm_values(m, prev.get(m.vm_uuid)))
            self._add_disk_increments(m.vm_uuid, m.disks, prev.get(m.vm_uuid))
            prev[m.vm_uuid] = m.disks
            obj.dirty = True
            live.add(m.vm_uuid)
            running_vcpus += len(m.vcpu_time_ns)
        for gone in self.live_vms - live:
            prev.pop(gone, None)
        self.live_vms = live
        sr_io = self._feed_srs(feeds, values)
        host = sample.host
        if host is not None:
            obj = reg.obtain("host", self.host_uuid)
            hlayout = host_layout(host, tuple(sr8 for sr8, _ in sr_io))
            if hlayout != obj.layout:
                reg.set_layout(obj, hlayout, host_defs(hlayout))
            feeds.append(obj.feed)
            values += obj.pick_values(host_values(host, running_vcpus, len(domains), [v for _, v in sr_io]))
            obj.dirty = True
        chunks.append(np.array(values, dtype=np.float64))
        idx = np.concatenate(feeds) if feeds else np.empty(0, dtype=np.int64)
        self.bank.update(sample.taken_at, idx, np.concatenate(chunks))
        if refresh_db:
            self._refresh_db(sample)

    def _block_feed(self, block: DomainBlock, previous: dict[VmLayout, _BlockPlan]) -> tuple[np.ndarray, np.ndarray]:
        """Bank indices and values of a block of domains: the values of every source for every
        domain in one numpy step, and a plan (kept while the block's domains and the registry
        stay the same) picking each domain's recorded ones."""
        layout = block_layout(block)
        last = previous.get(layout)
        plan = None
        if last is not None and last.uuids == block.vm_uuids:
            prev_disk = last.disk
            if last.version == self.registry.version:
                plan = last
            kept = None
        else:
            kept = last.kept_rows(block.vm_uuids) if last is not None else None
            prev_disk = self._prev_disk_rows(block, previous, last, kept)
        if plan is None:
            if last is not None and last.reshaped == self.registry.reshaped and last.lens is not None:
                plan = self._replan_block(block, layout, last, kept)
            else:
                plan = self._plan_block(block, layout)
        if prev_disk is not None and block.disks:
            self._add_block_increments(block, plan, prev_disk)
        plan.disk = block.disk
        self._blocks[layout] = plan
        for obj in plan.objects:
            obj.dirty = True
        matrix = vm_value_matrix(block, prev_disk)
        return plan.dst, matrix.ravel()[plan.src]

    def _plan_block(self, block: DomainBlock, layout: VmLayout) -> _BlockPlan:
        reg = self.registry
        defs = vm_defs(layout)
        width = len(defs)
        objects = [reg.obtain("vm", uuid) for uuid in block.vm_uuids]
        reg.set_layout_many([obj for obj in objects if obj.layout != layout], layout, defs)
        empty = np.empty(0, dtype=np.int64)
        # a plan is rebuilt on every start and stop: when every domain records the same first m
        # sources (the usual case), its value indices are one array expression, not 10 000 small arrays
        prefixes = {len(obj.feed) if obj.pick is None else -1 for obj in objects}
        if len(prefixes) == 1 and (m := prefixes.pop()) >= 0:
            src = (np.arange(m, dtype=np.int64)[None, :] + np.arange(len(objects), dtype=np.int64)[:, None] * width).ravel()
        else:
            src = np.concatenate([(np.arange(len(obj.feed)) if obj.pick is None else np.array(obj.pick, dtype=np.int64))
                                  + row * width for row, obj in enumerate(objects)]) if objects else empty  # fmt: skip
        lens = np.fromiter((len(obj.feed) for obj in objects), np.int64, len(objects))
        return _BlockPlan(
            block.vm_uuids,
            block.disks,
            reg.version,
            src,
            np.concatenate([obj.feed for obj in objects]) if objects else empty,
            objects,
            reshaped=reg.reshaped,
            lens=lens,
        )

    def _replan_block(self, block: DomainBlock, layout: VmLayout, last: _BlockPlan, kept: np.ndarray | None) -> _BlockPlan:
        """:meth:`_plan_block` after starts and stops, from the last plan of the layout: the parts of
        ``src`` and ``dst`` of the domains that stay gathered in one numpy step, only the new domains'
        looked up. Planning all 10 000 domains again took some 12 ms of every tick that followed a
        start or a stop (issue 12); the arrays are the same either way. Valid while no feed of a
        domain in ``last`` changed (``last.reshaped``)."""
        assert last.lens is not None
        reg = self.registry
        uuids = block.vm_uuids
        n = len(uuids)
        if kept is None:
            kept = last.kept_rows(uuids)
        width = len(vm_defs(layout))
        new_at = np.flatnonzero(kept < 0)
        new_objs = [reg.obtain("vm", uuids[i]) for i in new_at.tolist()]
        reg.set_layout_many([obj for obj in new_objs if obj.layout != layout], layout, vm_defs(layout))
        if last.reshaped != reg.reshaped:  # a new domain's RRD had another layout: nothing else moved
            last_reshaped = reg.reshaped
        else:
            last_reshaped = last.reshaped
        new_lens = np.fromiter((len(obj.feed) for obj in new_objs), np.int64, len(new_objs))
        old_at = np.where(kept >= 0, kept, 0)
        lens = last.lens[old_at]
        lens[new_at] = new_lens
        # where each domain's part starts in the pool (the last plan's arrays, then the new domains')
        old_starts = np.cumsum(last.lens) - last.lens
        from_pool = old_starts[old_at]
        from_pool[new_at] = len(last.dst) + np.cumsum(new_lens) - new_lens
        gather = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(from_pool - (np.cumsum(lens) - lens), lens)
        empty = np.empty(0, dtype=np.int64)
        dst = np.concatenate([last.dst, *(obj.feed for obj in new_objs)])[gather]
        local = last.src - np.repeat(np.arange(len(last.lens), dtype=np.int64) * width, last.lens)
        picks = [np.arange(len(obj.feed)) if obj.pick is None else np.array(obj.pick, dtype=np.int64) for obj in new_objs]
        src = np.concatenate([local, *picks])[gather] + np.repeat(np.arange(n, dtype=np.int64) * width, lens)
        objects = [last.objects[i] for i in old_at.tolist()]
        for i, obj in zip(new_at.tolist(), new_objs, strict=True):
            objects[i] = obj
        plan = _BlockPlan(
            uuids, block.disks, reg.version, src.astype(np.int64, copy=False) if n else empty,
            dst.astype(np.int64, copy=False) if n else empty, objects, reshaped=last_reshaped, lens=lens,
        )  # fmt: skip
        if last.sr_slots is not None and last.devices == block.disks:  # the kept rows' slots, the new ones' to look up
            plan.sr_slots = last.sr_slots[old_at]
            plan.sr_version = last.sr_version
            plan.sr_stale = new_at
        return plan

    # -- SRs ---------------------------------------------------------------------------------

    def _disk_srs(self) -> dict[tuple[str, str], str]:
        """Which SR each VM disk is on, from the VBDs and VDIs (rebuilt after they change)."""
        if self._sr_map is None:
            found: dict[tuple[str, str], str] = {}
            keys: dict[str, tuple[str, str]] = {}
            for vbd in self.db.refs("VBD"):
                entry = self._sr_entry(vbd)
                if entry is not None:
                    found[entry[0]] = entry[1]
                    keys[vbd] = entry[0]
            self._sr_map, self._sr_keys = found, keys
            self._sr_dirty.clear()
            self._sr_map_version += 1
            self._sr_log, self._sr_log_from = [], self._sr_map_version
        elif self._sr_dirty:  # a start or a stop touches its VBDs: look at those again, not at all 10 000
            srs, changed = self._sr_map, False
            for vbd in self._sr_dirty:
                entry = self._sr_entry(vbd) if self.db.exists("VBD", vbd) else None
                old = self._sr_keys.get(vbd)
                if entry is not None and old == entry[0] and srs.get(old) == entry[1]:
                    continue  # only currently_attached or the like moved
                changed = True
                version = self._sr_map_version + 1
                if old is not None:
                    del self._sr_keys[vbd]
                    srs.pop(old, None)
                    self._sr_log.append((version, old[0]))
                if entry is not None:
                    srs[entry[0]] = entry[1]
                    self._sr_keys[vbd] = entry[0]
                    self._sr_log.append((version, entry[0][0]))
            self._sr_dirty.clear()
            if changed:
                self._sr_map_version += 1
                if len(self._sr_log) > self.SR_LOG_MAX:  # the older half goes: a plan older than that looks up all
                    cut = self._sr_log[len(self._sr_log) // 2][0]
                    self._sr_log = [e for e in self._sr_log if e[0] > cut]
                    self._sr_log_from = max(self._sr_log_from, cut)
        return self._sr_map

    def _sr_entry(self, vbd: str) -> tuple[tuple[str, str], str] | None:
        """((VM uuid, userdevice), SR uuid) of a disk VBD whose VM, VDI and SR exist; else None."""
        db = self.db
        r = db.get("VBD", vbd)
        if r["type"] != "Disk" or not db.exists("VDI", r["VDI"]) or not db.exists("VM", r["VM"]):
            return None
        sr = db.get("VDI", r["VDI"])["SR"]
        if not db.exists("SR", sr):
            return None
        return (db.get("VM", r["VM"])["uuid"], r["userdevice"]), db.get("SR", sr)["uuid"]

    def _sr_slot(self, sr_uuid: str) -> int:
        slot = self._sr_slots.get(sr_uuid)
        if slot is None:
            slot = self._sr_slots[sr_uuid] = len(self._sr_slots)
            grown = np.zeros((slot + 1, SR_COUNTERS))
            grown[:slot] = self._sr_totals
            self._sr_totals = grown
        return slot

    #: entries of the SR map's change log kept (:meth:`_sr_changed_since`)
    SR_LOG_MAX = 4096

    def _sr_changed_since(self, version: int) -> set[str] | None:
        """The VMs whose disk to SR entries changed after SR map ``version``; None: not known."""
        if version < self._sr_log_from:
            return None
        out: set[str] = set()
        for at, vm_uuid in reversed(self._sr_log):  # the newest last: a plan of the last tick reads few
            if at <= version:
                break
            out.add(vm_uuid)
        return out

    def _slots_of(self, srs: dict[tuple[str, str], str], uuids: Sequence[str], disks: tuple[str, ...]) -> np.ndarray:
        """Each disk's row in the SR totals (-1: on no known SR), shape (len(uuids), len(disks)): each
        disk's SR, then one slot per SR (a handful), not one slot lookup per disk (10 000 of those
        were some 50 ms of the first tick after a restart)."""
        on = [srs.get((u, d)) for u in uuids for d in disks]
        slot_of = {sr: self._sr_slot(sr) for sr in dict.fromkeys(on) if sr is not None}
        return np.fromiter((slot_of.get(sr, -1) if sr is not None else -1 for sr in on), np.int64,
                           len(on)).reshape(len(uuids), len(disks))  # fmt: skip

    def _block_sr_slots(self, block: DomainBlock, plan: _BlockPlan) -> None:
        """Bring ``plan.sr_slots`` up to date with the SR map: the rows of a plan kept across starts and
        stops (``sr_stale``: its new domains) and of the VMs whose entries changed since are looked up
        again, not all 10 000 (some 8 ms of every tick after a start, issue 12); else every row."""
        srs = self._disk_srs()
        if plan.sr_slots is not None and plan.sr_version == self._sr_map_version and plan.sr_stale is None:
            return
        changed = self._sr_changed_since(plan.sr_version) if plan.sr_slots is not None else None
        if changed is None:
            plan.sr_slots = self._slots_of(srs, block.vm_uuids, block.disks)
        else:
            assert plan.sr_slots is not None
            rows = plan.kept_rows(tuple(changed))
            todo = np.union1d(rows[rows >= 0], plan.sr_stale if plan.sr_stale is not None else rows[:0])
            if len(todo):
                plan.sr_slots[todo] = self._slots_of(srs, [block.vm_uuids[i] for i in todo.tolist()], block.disks)
        plan.sr_version = self._sr_map_version
        plan.sr_stale = None

    def _add_block_increments(self, block: DomainBlock, plan: _BlockPlan, prev_disk: np.ndarray) -> None:
        """Add a block's disk counter increments since the last tick to their SRs' totals (a
        disk that is new or whose counters went back adds nothing), so an SR's counters never go
        backwards when a VM stops."""
        self._block_sr_slots(block, plan)
        assert plan.sr_slots is not None
        delta = block.disk - prev_disk
        with np.errstate(invalid="ignore"):
            ok = (plan.sr_slots >= 0) & (delta >= 0).all(axis=2)
        if ok.any():
            np.add.at(self._sr_totals, plan.sr_slots[ok], delta[ok])

    def _add_disk_increments(self, vm_uuid: str, disks: tuple[DiskMetrics, ...], before: tuple[DiskMetrics, ...] | None) -> None:
        if not before:
            return
        srs = self._disk_srs()
        old = {d.userdevice: d for d in before}
        for d in disks:
            p = old.get(d.userdevice)
            sr = srs.get((vm_uuid, d.userdevice))
            if p is None or sr is None:
                continue
            delta = np.array(
                [d.read_bytes - p.read_bytes, d.write_bytes - p.write_bytes, d.read_ops - p.read_ops,
                 d.write_ops - p.write_ops, d.read_time_ns - p.read_time_ns, d.write_time_ns - p.write_time_ns],
                dtype=np.float64,
            )  # fmt: skip
            if (delta >= 0).all():
                slot = self._sr_slot(sr)
                self._sr_totals[slot] += delta

    def _feed_srs(self, feeds: list[np.ndarray], values: list[float]) -> list[tuple[str, list[float]]]:
        """The RRD of every SR plugged on this host: its disks' summed counters and its sizes.
        Returns each SR's first 8 uuid characters and values, for the host's per-SR sources."""
        db, reg = self.db, self.registry
        out: list[tuple[str, list[float]]] = []
        plugged: set[str] = set()
        for pbd in db.referrers("PBD", "host", self.host_ref):
            rec = db.get("PBD", pbd)
            if not rec["currently_attached"] or not db.exists("SR", rec["SR"]):
                continue
            sr = db.get("SR", rec["SR"])
            obj = reg.obtain("sr", sr["uuid"])
            if obj.layout != "sr":
                reg.set_layout(obj, "sr", SR_DEFS)
            slot = self._sr_slot(sr["uuid"])
            totals = self._sr_totals[slot].copy()
            sizes = (float(sr["physical_utilisation"]), float(sr["physical_size"]), float(sr["virtual_allocation"]))
            row = sr_values(totals, self._sr_last.get(sr["uuid"]), sizes)
            feeds.append(obj.feed)
            values += obj.pick_values(row)
            self._sr_last[sr["uuid"]] = totals
            obj.dirty = True
            out.append((sr["uuid"][:8], row))
            plugged.add(sr["uuid"])
        self.plugged_srs = plugged
        out.sort(key=lambda item: item[0])  # a stable host layout whatever the PBDs' order
        return out

    def _prev_disk_rows(
        self, block: DomainBlock, previous: dict[VmLayout, _BlockPlan], same: _BlockPlan | None, kept: np.ndarray | None
    ) -> np.ndarray | None:
        """The previous tick's disk counters of a block's domains, matched by uuid and device
        (NaN where a domain or disk is new): the block's set of domains changed. ``same`` is the
        last plan of the block's layout and ``kept`` each domain's row in it: the other plans are
        searched only for the domains not in it (a domain is in one plan, its layout's)."""
        if not block.disks:
            return None
        out = np.full(block.disk.shape, np.nan)
        uuids = block.vm_uuids
        at = np.arange(len(uuids))
        for plan in previous.values():  # matched rows copied at once
            if plan.disk is None or not plan.uuids:
                continue
            if plan is same and kept is not None:
                rows, where = kept, at
            else:
                rows = plan.kept_rows(uuids)
                where = at
            hit = rows >= 0
            if not hit.any():
                continue
            for j, dev in enumerate(block.disks):
                if dev in plan.devices:
                    out[where[hit], j] = plan.disk[rows[hit], plan.devices.index(dev)]
            if plan is same and kept is not None and hit.all():
                break
        return out

    def _vm_min_max(self) -> bool:
        """Whether new VM and SR RRDs get MIN and MAX archives: xapi's pool-wide
        ``other_config:create_min_max_in_new_VM_RRDs`` (``monitor_master.ml``), off by default."""
        for pool in self.db.refs("pool"):
            return bool(self.db.get("pool", pool)["other_config"].get("create_min_max_in_new_VM_RRDs") == "true")
        return False

    def rates(self, obj: ObjectRrd, names: list[str]) -> list[float]:
        """The rates of the last update (NaN where unknown)."""
        last = self.bank.last_rates
        return [float(last[obj.index_of(n)]) if n in obj.pos and len(last) else float("nan") for n in names]

    def _refresh_db(self, sample: MetricsSample) -> None:
        now = xapi_time()
        with self.db.batch():
            self._refresh_vms(self._refresh_turn(sample), now)
            self._refresh_host_fields(sample, now)

    def _refresh_turn(self, sample: MetricsSample) -> list[tuple[str, int]]:
        """(VM uuid, vCPUs) of the VMs whose live fields this tick refreshes: the next sixth of them by
        default, at most ``db_refresh_max``, taken in turn from where the last tick stopped."""
        domains = sample.domains
        groups: list[tuple[tuple[str, ...], int]]
        if isinstance(domains, DomainColumns):
            groups = [(b.vm_uuids, b.vcpus) for b in domains.blocks]
        else:
            groups = [((m.vm_uuid,), len(m.vcpu_time_ns)) for m in domains]
        n = sum(len(uuids) for uuids, _ in groups)
        if not n:
            return []
        # the cursor counts in sixths of a VM (1 / db_refresh_ticks): each tick moves it by n sixths,
        # so each VM is refreshed every db_refresh_ticks ticks however few there are (a whole VM a
        # tick would refresh a lone VM every tick), and by at most db_refresh_max VMs
        every = max(1, self.config.db_refresh_ticks)
        start = self._refresh_cursor % (n * every)
        step = min(n, max(1, self.config.db_refresh_max) * every)
        self._refresh_cursor = start + step
        first, count = -(-start // every), -(-(start + step) // every) - -(-start // every)
        first %= n
        turn: list[tuple[str, int]] = []
        for lo, hi in ((first, min(n, first + count)), (0, first + count - n)):  # the second: wrapped round
            offset = 0
            for uuids, vcpus in groups:
                a, b = max(lo - offset, 0), min(hi - offset, len(uuids))
                if a < b:
                    turn += [(u, vcpus) for u in uuids[a:b]]
                offset += len(uuids)
        return turn

    def _refresh_vms(self, vcpus: list[tuple[str, int]], now: str) -> None:
        db = self.db
        for vm_uuid, count in vcpus:
            obj = self.registry.get("vm", vm_uuid)
            try:
                vm = db.by_uuid("VM", vm_uuid)
            except ApiError:  # the VM went while the sample was taken
                continue
            metrics = db.get("VM", vm)["metrics"]
            if obj is None or not db.exists("VM_metrics", metrics):
                continue
            rates = self.rates(obj, [f"cpu{i}" for i in range(count)])
            util = {i: round(r, 4) for i, r in enumerate(rates) if r == r}
            if util and util != db.get("VM_metrics", metrics)["VCPUs_utilisation"]:
                db.update("VM_metrics", metrics, VCPUs_utilisation=util, last_updated=now)

    def _refresh_host_fields(self, sample: MetricsSample, now: str) -> None:
        host = self.registry.get("host", self.host_uuid)
        if sample.host is not None and host is not None:
            self._refresh_host(host, sample, now)

    def _refresh_host(self, host: ObjectRrd, sample: MetricsSample, now: str) -> None:
        db = self.db
        assert sample.host is not None
        for ref in db.referrers("host_cpu", "host", self.host_ref):
            number = db.get("host_cpu", ref)["number"]
            (rate,) = self.rates(host, [f"cpu{number}"])
            if rate == rate and round(rate, 4) != db.get("host_cpu", ref)["utilisation"]:
                db.update("host_cpu", ref, utilisation=round(rate, 4))
        metrics = db.get("host", self.host_ref)["metrics"]
        if (
            db.exists("host_metrics", metrics)
            and db.get("host_metrics", metrics)["memory_free"] != sample.host.memory_free
        ):
            db.update("host_metrics", metrics, memory_free=sample.host.memory_free, last_updated=now)

    # -- the cooked query -------------------------------------------------------------------

    def find(self, uuid: str) -> ObjectRrd | None:
        """The RRD of the host, a VM or an SR with this uuid."""
        for kind in ("vm", "host", "sr"):
            obj = self.registry.get(kind, uuid)
            if obj is not None:
                return obj
        return None

    def cooked(
        self, uuids: list[str], sources: list[str], window: float, reductions: list[str]
    ) -> dict[str, dict[str, dict[str, float]]]:
        """``reductions`` of ``sources`` over the last ``window`` seconds, for every object in
        ``uuids`` (every VM with a domain when empty): uuid -> source -> reduction -> value."""
        if not uuids:
            uuids = sorted(self.live_vms)
        reduced = reduce_window(self.bank, self._plan(uuids, sources), window, reductions)
        # one small dict per (object, source), then one per object, each by a dict display
        # mapped over the value columns: no Python-level loop per value or per object
        if not sources or not reductions:
            return {u: {s: {} for s in sources} for u in uuids}
        columns = [reduced[r].tolist() for r in reductions]
        cells = map(_dict_maker(tuple(reductions)), *columns)
        per_object = map(_dict_maker(tuple(sources)), *[cells] * len(sources))
        return dict(zip(uuids, per_object, strict=True))

    def _plan(self, uuids: list[str], sources: list[str]) -> np.ndarray:
        """The bank indices of (object, source) pairs, -1 where there is none. A monitor asks the
        same question every few seconds, so the last plan is kept until the registry changes."""
        key = (self.registry.version, tuple(uuids), tuple(sources))
        if self._last_plan is not None and self._last_plan[0] == key:
            return self._last_plan[1]
        flat: list[int] = []
        for u in uuids:
            obj = self.find(u)
            if obj is None:
                flat += [-1] * len(sources)
            else:
                pos, oidx = obj.pos, obj.idx.tolist()
                flat += [oidx[pos[s]] if s in pos else -1 for s in sources]
        plan = np.array(flat, dtype=np.int64)
        self._last_plan = (key, plan)
        return plan

    # -- keeping and dropping --------------------------------------------------------------

    def _on_changes(self, changes: list[Change]) -> None:
        for c in changes:
            if c.cls == "VBD":
                self._sr_dirty.add(c.ref)
            elif c.cls == "VDI" and c.op == "del":  # its VBDs' disks are on no SR now (a new VDI has no VBD yet)
                self._sr_map = None
                self._sr_resets += 1
            if c.op == "del" and c.cls in ("VM", "SR") and c.last is not None:
                kind = c.cls.lower()
                self.registry.drop(kind, c.last["uuid"])
                asyncio.get_running_loop().run_in_executor(None, persist.remove, self.root, kind, c.last["uuid"])

    #: RRDs copied and written per round of a save: the copies are whole archives (far bigger than the
    #: bank's lazily filled tiles), so copying every RRD of 10 000 VMs before writing any held several
    #: hundred MiB at once and left the daemon's RSS that high (issue 12)
    SAVE_CHUNK = 64

    async def save_all(self, spread: float = 0.0) -> int:
        """Save every RRD fed since its last save, a chunk at a time; returns how many were written.

        With ``spread``, the chunks are paced to take about that many seconds in all. One chunk is
        written at a time (the lock), so a save asked for meanwhile (``host.backup_rrds``, a stop)
        waits for one chunk, not for a paced save's end."""
        dirty = [obj for obj in self.registry if obj.dirty]
        written = 0
        for start in range(0, len(dirty), self.SAVE_CHUNK):
            chunk = dirty[start : start + self.SAVE_CHUNK]
            async with self._saving:
                # not saved by another save meanwhile, nor dropped
                live = [obj for obj in chunk if obj.dirty and self.registry.objects.get((obj.kind, obj.uuid)) is obj]
                todo: list[tuple[str, str, persist.Snapshot]] = []
                for obj, snap in zip(live, persist.snapshots(self.bank, live), strict=True):
                    obj.dirty = False
                    if snap is not None:
                        todo.append((obj.kind, obj.uuid, snap))
                if todo:
                    await asyncio.to_thread(self._write_all, todo)
            written += len(todo)
            if spread > 0 and start + self.SAVE_CHUNK < len(dirty):
                await asyncio.sleep(spread * len(chunk) / len(dirty))
        return written

    def _write_all(self, todo: list[tuple[str, str, persist.Snapshot]]) -> None:
        for kind, uuid, snap in todo:
            if (kind, uuid) in self.registry.objects:  # not destroyed meanwhile
                persist.save(self.root, kind, uuid, snap)
