"""The simulator's metrics follow each domain's own workload: a VM started again after its
``xenia-sim-cpu`` changed shows the new load (the workload rows kept between samples belong to a
domain, not to a VM uuid)."""

from __future__ import annotations

import asyncio
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


def test_a_workload_row_draws_what_workload_of_draws() -> None:
    """``workload_row`` makes a VM's row without :class:`Wave` objects (after a restart the first
    sample makes 10 000 of them, issue 12); it must be :func:`workload_of`'s waves, bit for bit, or
    every simulated graph would change."""
    import uuid as uuidlib

    from xenia.drivers.sim.workload import CPU_KEY, ROW_WAVES, workload_of, workload_row

    for i in range(300):
        vm = str(uuidlib.UUID(int=i * 0x9E3779B97F4A7C15 % (1 << 128)))
        for config in ({}, {CPU_KEY: "0.3"}, {CPU_KEY: "7"}, {CPU_KEY: "high"}):
            vcpus = 1 + i % 8
            w = workload_of(vm, vcpus, config)
            waves = (*w.cpu, *(getattr(w, name) for name in ROW_WAVES))
            expected = [x for wave in waves for x in (wave.base, wave.amplitude, wave.period, wave.phase)]
            expected += [w.disk_block, w.disk_latency_ns]
            assert workload_row(vm, vcpus, config).tobytes() == np.array(expected, dtype=np.float64).tobytes()


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
