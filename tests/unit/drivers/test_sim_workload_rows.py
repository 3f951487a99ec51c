"""The simulator's metrics follow each domain's own workload: a VM started again after its
``xenia-sim-cpu`` changed shows the new load (the workload rows kept between samples belong to a
domain, not to a VM uuid)."""

from __future__ import annotations

import asyncio
import math
import random
import zlib
from pathlib import Path

import numpy as np
import pytest

from xenia.drivers.columns import DomainColumns
from xenia.drivers.sim import VirtualClock

from .simutil import open_sim, spec


@pytest.mark.asyncio
async def test_a_vm_started_again_shows_its_new_pinned_load(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, guest_delay="0")
    vm = "6f1c2a8e-0b0d-4c59-9b5e-7d7b1c7d2f10"
    try:
        for load in (0.5, 0.125):
            await drv.vm.create(spec({"xenia-sim-cpu": str(load)}, vm_uuid=vm))
            await drv.vm.unpause(vm)
            before = (await drv.metrics.sample()).domains[0].vcpu_time_ns[0]
            clock.advance(10.0)
            after = (await drv.metrics.sample()).domains[0].vcpu_time_ns[0]
            assert after - before == pytest.approx(load * 10.0 * 1e9, rel=1e-6)  # a constant load: time x load
            await drv.vm.destroy(vm)
            await drv.metrics.sample()  # the domain went
    finally:
        await drv.close()


def _draws_of_the_first_release(vm_uuid: str, vcpus: int, pinned: str | None) -> list[float]:
    """The simulator's workload as it was first drawn (one ``random.uniform`` per parameter, seeded by
    the uuid's CRC-32), flattened in :func:`workload_row`'s order: the reference the row must keep."""
    rng = random.Random(zlib.crc32(vm_uuid.encode()))

    def wave(low: float, high: float) -> list[float]:
        base = rng.uniform(low, high)
        return [base, base * rng.uniform(0.3, 1.0), rng.uniform(60.0, 600.0), rng.uniform(0.0, 2 * math.pi)]

    if pinned is not None:
        try:
            level = min(1.0, max(0.0, float(pinned)))
        except ValueError:
            level = 0.25
        cpu = [level, 0.0, 60.0, 0.0] * vcpus
    else:
        cpu = [x for _ in range(vcpus) for x in wave(0.03, 0.45)]
    disk_read, disk_write = wave(8_192, 2_000_000), wave(4_096, 1_000_000)
    block, latency = rng.choice((4096, 16384, 65536)), rng.randrange(100_000, 5_000_000)
    nic_rx, nic_tx = wave(1_000, 1_000_000), wave(500, 500_000)
    free_memory = [0.4, 0.15, rng.uniform(120.0, 900.0), rng.uniform(0.0, 2 * math.pi)]
    return [*cpu, *disk_read, *disk_write, *nic_rx, *nic_tx, *free_memory, block, latency]


def test_a_workload_row_draws_what_the_simulator_always_drew() -> None:
    """``workload_row`` makes a VM's row without an object per wave (after a restart the first
    sample makes 10 000 of them, issue 12); it must be the draws the simulator always made, bit for
    bit, or every simulated graph would change."""
    import uuid as uuidlib

    from xenia.drivers.sim.workload import CPU_KEY, workload_row

    for i in range(300):
        vm = str(uuidlib.UUID(int=i * 0x9E3779B97F4A7C15 % (1 << 128)))
        for pinned in (None, "0.3", "7", "high"):
            vcpus = 1 + i % 8
            expected = np.array(_draws_of_the_first_release(vm, vcpus, pinned), dtype=np.float64)
            config = {} if pinned is None else {CPU_KEY: pinned}
            assert workload_row(vm, vcpus, config).tobytes() == expected.tobytes()


@pytest.mark.asyncio
async def test_a_sample_in_slices_reads_every_domain_at_one_instant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample reads its domains a slice per loop step (at 10 000 domains one pass held the event
    loop 0.1 s a tick, 0.6-1.4 s on the first after a restart, issue 12); its counters are those of
    one pass at the same instant."""
    from xenia.drivers.sim import devices

    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, guest_delay="0")
    try:
        for i in range(7):
            s = spec({"xenia-sim-cpu": "0.5"} if i % 3 == 0 else None)
            await drv.vm.create(s)
            await drv.vm.unpause(s.vm_uuid)
            clock.advance(3.0)
        monkeypatch.setattr(devices, "SAMPLE_SLICE", 2)
        monkeypatch.setattr(devices, "ROW_SLICE", 2)
        task = asyncio.ensure_future(drv.metrics.sample())
        steps = 0
        while not task.done():
            steps += 1
            await asyncio.sleep(0)
        sliced = task.result()
        assert steps >= 3 + 4 + 4  # the domains' layouts, their rows, their state: 2 domains a step
        monkeypatch.setattr(devices, "SAMPLE_SLICE", 1000)
        drv.metrics._groups.clear()  # the rows and waves made again, in one piece
        drv.metrics._rows.clear()
        whole = await drv.metrics.sample()  # the virtual clock has not moved: the same instant
        assert sliced.taken_at == whole.taken_at
        assert isinstance(sliced.domains, DomainColumns) and isinstance(whole.domains, DomainColumns)
        for a, b in zip(sliced.domains.blocks, whole.domains.blocks, strict=True):
            assert a.vm_uuids == b.vm_uuids and a.domids == b.domids and len(a.vm_uuids) > 0
            for field in ("vcpu_time_ns", "memory_actual", "memory_target", "memory_internal_free", "disk", "nic"):
                assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True), field
    finally:
        await drv.close()


@pytest.mark.asyncio
async def test_a_group_kept_across_starts_and_stops_counts_as_one_built_afresh(tmp_path: Path) -> None:
    """After starts and stops a group keeps the rows of the domains that stay and adds only the new
    ones' (stacking every row again cost ~18 ms a tick at 10 000 domains, issue 12): its counters are
    those of a group built from nothing at the same instant, bit for bit, a VM started again with a
    new pinned load included."""
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, guest_delay="0")
    try:
        vms = []
        for i in range(9):
            s = spec({"xenia-sim-cpu": "0.5"} if i % 4 == 0 else None)
            await drv.vm.create(s)
            await drv.vm.unpause(s.vm_uuid)
            vms.append(s.vm_uuid)
            clock.advance(2.0)
        await drv.metrics.sample()  # the groups built
        for vm in (vms[0], vms[3], vms[8]):
            await drv.vm.destroy(vm)
        again = spec({"xenia-sim-cpu": "0.125"}, vm_uuid=vms[3])  # its new domain has a new load
        await drv.vm.create(again)
        await drv.vm.unpause(again.vm_uuid)
        for _ in range(2):
            s = spec(None)
            await drv.vm.create(s)
            await drv.vm.unpause(s.vm_uuid)
        clock.advance(4.0)
        kept = await drv.metrics.sample()
        drv.metrics._groups.clear()  # every row and wave made again, in one piece
        drv.metrics._rows.clear()
        afresh = await drv.metrics.sample()  # the virtual clock has not moved: the same instant
        assert isinstance(kept.domains, DomainColumns) and isinstance(afresh.domains, DomainColumns)
        assert sum(len(b) for b in kept.domains.blocks) == 9
        for a, b in zip(kept.domains.blocks, afresh.domains.blocks, strict=True):
            assert a.vm_uuids == b.vm_uuids and a.domids == b.domids
            for field in ("vcpu_time_ns", "memory_actual", "memory_target", "memory_internal_free", "disk", "nic"):
                assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True), field
        row = kept.domains.blocks[0].vm_uuids.index(vms[3])
        clock.advance(8.0)
        later = await drv.metrics.sample()
        assert isinstance(later.domains, DomainColumns)
        spent = later.domains.blocks[0].vcpu_time_ns[row] - afresh.domains.blocks[0].vcpu_time_ns[row]
        assert spent[0] == pytest.approx(0.125 * 8.0 * 1e9, rel=1e-6)  # the new load, not the old 0.5
    finally:
        await drv.close()
