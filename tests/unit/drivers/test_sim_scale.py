"""The simulator holds 10 000 domains (functional, not timed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xenia.drivers.base import RunState
from xenia.drivers.sim import VirtualClock

from .simutil import MiB, open_sim, spec

pytestmark = pytest.mark.asyncio

N = 10_000


async def test_ten_thousand_domains(tmp_path: Path) -> None:
    clock = VirtualClock()
    drv = await open_sim(tmp_path, clock, memory=f"{N * 64}M")
    specs = [spec(memory=64 * MiB, vm_uuid=f"vm-{i:05d}") for i in range(N)]
    for s in specs:
        await drv.vm.create(s)
    for s in specs[::2]:
        await drv.vm.unpause(s.vm_uuid)
    assert await drv.host.memory_free() == 0
    sample = await drv.metrics.sample()
    assert len(sample.domains) == N
    await drv.close()

    drv = await open_sim(tmp_path, clock, memory=f"{N * 64}M")
    states = await drv.vm.list_domains()
    assert len(states) == N and len({d.domid for d in states}) == N
    assert sum(d.run_state is RunState.RUNNING for d in states) == N // 2
    await drv.close()
