"""The simulator's metrics follow each domain's own workload: a VM started again after its
``xenia-sim-cpu`` changed shows the new load (the workload rows kept between samples belong to a
domain, not to a VM uuid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xenia.drivers.sim import VirtualClock

from .simutil import open_sim, spec

pytestmark = pytest.mark.asyncio


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
