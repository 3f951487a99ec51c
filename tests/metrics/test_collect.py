"""Collection: the simulator's bulk sample moves, repeats, and feeds xcp-rrdd's sources."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xenia.drivers.sim import VirtualClock
from xenia.metrics.registry import Registry
from xenia.metrics.rrd import Bank
from xenia.metrics.sources import disk_name, vm_defs, vm_layout, vm_values

from ..unit.drivers.simutil import open_sim, spec

PINNED = {"xenia-sim-cpu": "0.75"}


@pytest.mark.asyncio
async def test_pinned_load_shows_as_that_fraction(tmp_path: Path) -> None:
    clock = VirtualClock()
    s = spec(PINNED)
    drv = await open_sim(tmp_path, clock, cpus="4")
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    first = (await drv.metrics.sample()).domains[0]
    await clock.run_for(60)
    second = (await drv.metrics.sample()).domains[0]
    assert second.vcpu_time_ns[0] - first.vcpu_time_ns[0] == pytest.approx(0.75 * 60e9, rel=1e-6)
    await drv.close()


@pytest.mark.asyncio
async def test_workloads_move_and_repeat(tmp_path: Path) -> None:
    s = spec()
    runs = []
    for n in range(2):
        clock = VirtualClock()
        drv = await open_sim(tmp_path / str(n), clock, cpus="4")
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
        samples = []
        for _ in range(4):
            samples.append((await drv.metrics.sample()).domains[0].vcpu_time_ns[0])
            await clock.run_for(60)
        runs.append(samples)
        await drv.close()
    assert runs[0] == runs[1]  # seeded by the VM's uuid: the same curve every run
    per_minute = np.diff(runs[0])
    assert len(set(per_minute.tolist())) == 3  # and it moves: no two minutes alike
    assert all(0 < d < 60e9 for d in per_minute)


@pytest.mark.asyncio
async def test_host_busy_time_follows_the_domains(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, cpus="4")
    for _ in range(2):
        s = spec(PINNED)
        await drv.vm.create(s)
        await drv.vm.unpause(s.vm_uuid)
    first = (await drv.metrics.sample()).host
    await clock.run_for(10)
    second = (await drv.metrics.sample()).host
    assert first is not None and second is not None
    # two vCPUs at 0.75 spread over 4 CPUs, plus the control domain's 2 %: 0.395 of each CPU
    busy = [(b - a) / 10e9 for a, b in zip(first.cpu_busy_ns, second.cpu_busy_ns, strict=True)]
    assert busy == pytest.approx([0.02 + 1.5 / 4] * 4)
    await drv.close()


@pytest.mark.asyncio
async def test_sample_feeds_xcp_rrdd_sources(tmp_path: Path) -> None:
    clock = VirtualClock(start=86_400.0 * 20_000)
    drv = await open_sim(tmp_path, clock, cpus="4")
    s = spec(PINNED)
    await drv.vm.create(s)
    await drv.vm.unpause(s.vm_uuid)
    bank = Bank()
    reg = Registry(bank)
    obj = reg.obtain("vm", s.vm_uuid)
    prev = None
    for _ in range(4):
        sample = await drv.metrics.sample()
        (m,) = sample.domains
        if obj.layout != vm_layout(m):
            reg.set_layout(obj, vm_layout(m), vm_defs(vm_layout(m)))
        bank.update(sample.taken_at, obj.feed, np.array(obj.pick_values(vm_values(m, prev))))
        prev = m.disks
        await clock.run_for(5)
    names = [d.name for d in obj.defs]
    assert names == [
        "cpu0",
        "cpu_usage",
        "cpu_avg",
        "memory",
        "memory_target",
        "memory_internal_free",
    ]  # no disks, no NICs
    latest = dict(zip(names, bank.latest(obj.idx).tolist(), strict=True))
    assert latest["cpu0"] == pytest.approx(0.75)
    assert latest["cpu_usage"] == pytest.approx(0.75)
    assert latest["memory"] == s.memory_target
    await drv.close()


def test_disk_names_follow_xen() -> None:
    assert [disk_name(str(i)) for i in (0, 1, 3, 25, 26)] == ["xvda", "xvdb", "xvdd", "xvdz", "xvdaa"]
